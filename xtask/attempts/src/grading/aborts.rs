#[test]
#[ignore = "grader test data"]
fn aborts() {
    std::process::abort();
}
