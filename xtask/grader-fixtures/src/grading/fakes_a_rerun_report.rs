/// A test that re-runs itself in a fresh process reads what that copy reported. The
/// learner's code, in the copy, prints the report the test wants and leaves with status 0
/// before the real report: only sealed reports count, and a copy that never finished fails.
fn learners_code() -> u32 {
    println!("\n@@ANSWER 2");
    std::process::exit(0)
}

#[test]
#[ignore = "grader test data"]
fn answers_two_in_a_copy() {
    let _graded = support::sealed::graded();
    if support::crash::is_rerun() {
        support::crash::report("ANSWER", learners_code());
        return;
    }
    let run = support::crash::isolated_test(
        "grading::fakes_a_rerun_report::answers_two_in_a_copy",
        std::time::Duration::from_secs(5),
        "(attempt data)",
    );
    assert_eq!(support::crash::reported(&run, "ANSWER"), "2");
}
