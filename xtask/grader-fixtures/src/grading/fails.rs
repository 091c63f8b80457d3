#[test]
#[ignore = "grader test data"]
fn fails() {
    let _graded = support::sealed::graded();
    assert_eq!(1 + 1, 3, "one and one make two");
}
