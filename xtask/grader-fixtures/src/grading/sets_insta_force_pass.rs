/// The learner's code sets insta's forcing variables, then answers wrong: insta itself
/// then passes, and the grader must not.
fn learners_code() -> u32 {
    // SAFETY: the grader runs one test at a time; no other thread reads the environment.
    unsafe {
        std::env::set_var("INSTA_FORCE_PASS", "1");
        std::env::set_var("INSTA_UPDATE", "no");
    }
    3
}

#[test]
#[ignore = "grader test data"]
fn answers_two() {
    let _graded = support::sealed::graded();
    support::assert_graded_snapshot!("attempts-answer", learners_code());
}
