/// The learner's code sleeps for 150 s (a Duration in the wrong unit, say): not a deadlock
/// and not an endless loop, and the verdict must say "sleeping".
fn learners_code() -> u32 {
    std::thread::sleep(std::time::Duration::from_secs(150));
    2
}

#[test]
#[ignore = "grader test data"]
fn answers_two() {
    let _graded = support::sealed::graded();
    assert_eq!(learners_code(), 2);
}
