#[test]
#[ignore = "grader test data"]
fn passes() {
    let _graded = support::sealed::graded();
    assert_eq!(1 + 1, 2);
}
