/// The learner's code sets the marker of a test re-run in a subprocess, so that a later
/// test would take the re-run's branch (report and return) and check nothing: the
/// grader's tests read the marker from the environment the process started with.
fn learners_code() -> u32 {
    // SAFETY: the grader runs one test at a time; no other thread reads the environment.
    unsafe { std::env::set_var(support::crash::RERUN_ENV, "1") };
    3
}

#[test]
#[ignore = "grader test data"]
fn a_first_call() {
    let _graded = support::sealed::graded();
    let _ = learners_code();
}

#[test]
#[ignore = "grader test data"]
fn b_checks_unless_rerun() {
    let _graded = support::sealed::graded();
    if support::crash::is_rerun() {
        return; // a re-run only reports; the test that started it checks
    }
    assert_eq!(learners_code(), 2, "the answer");
}
