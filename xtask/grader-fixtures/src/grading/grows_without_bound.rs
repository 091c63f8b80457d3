/// The learner's code keeps every line it ever made, in a loop that never ends: memory
/// grows until the grader stops it, which must say so rather than call it a loop or a
/// deadlock.
fn learners_code() -> usize {
    let mut kept: Vec<Vec<u8>> = Vec::new();
    loop {
        kept.push(vec![1u8; 16 << 20]); // 16 MiB, touched, so it is resident
        if kept.len() == usize::MAX {
            return kept.len();
        }
    }
}

#[test]
#[ignore = "grader test data"]
fn answers_two() {
    let _graded = support::sealed::graded();
    assert_eq!(learners_code(), 2);
}
