#[test]
#[ignore = "grader test data"]
fn passes() {
    assert_eq!(1 + 1, 2);
}
