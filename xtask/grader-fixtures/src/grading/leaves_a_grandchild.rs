/// Its test passes, but a shell it ran started `sleep 600` in the background and exited:
/// the sleep stays in the test's own process group, an orphan. Leaving it is a failure.
#[test]
#[ignore = "grader test data"]
fn leaves_a_grandchild() {
    let _graded = support::sealed::graded();
    let status = std::process::Command::new("sh")
        .args(["-c", "sleep 600 &"])
        .status()
        .unwrap();
    assert!(status.success());
}
