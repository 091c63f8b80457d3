/// The learner's code ends the whole test process with status 0 before any test can
/// report: the grader must not take status 0 for a pass.
fn learners_code() -> u32 {
    std::process::exit(0)
}

#[test]
#[ignore = "grader test data"]
fn answers_two() {
    let _graded = support::sealed::graded();
    assert_eq!(learners_code(), 2);
}

#[test]
#[ignore = "grader test data"]
fn never_reached() {
    let _graded = support::sealed::graded();
    assert_eq!(1 + 1, 2);
}
