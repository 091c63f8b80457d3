#[test]
#[ignore = "grader test data"]
fn aborts() {
    let _graded = support::sealed::graded();
    std::process::abort();
}
