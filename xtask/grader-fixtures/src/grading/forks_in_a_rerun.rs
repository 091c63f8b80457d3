use std::process::Command;
use std::time::Duration;

use nix::unistd::{ForkResult, fork};

/// As the forking chapters' tests do, the test re-runs itself alone in a new process
/// group (what `support::crash::rerun_test` does, plus `--include-ignored` since this test
/// is ignored), and the copy forks in a loop. The grader must count the whole tree, not
/// its own process group, to see it. Capped at 2^10 processes so that a broken grader
/// cannot take the machine down with it.
#[test]
#[ignore = "grader test data"]
fn forks_in_a_rerun() {
    let _graded = support::sealed::graded();
    if !support::crash::is_rerun() {
        let exe = std::env::current_exe().unwrap();
        let mut copy = Command::new(exe);
        copy.args([
            "--exact",
            "grading::forks_in_a_rerun::forks_in_a_rerun",
            "--include-ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(support::crash::RERUN_ENV, "1");
        let finished = support::crash::run(&mut copy, Duration::from_secs(30)).unwrap();
        assert!(finished.ending.success(), "{}", finished.ending);
        return;
    }
    for _ in 0..10 {
        // SAFETY: after fork the child only calls fork, sleep and _exit below: all
        // async-signal-safe, so the other test-harness thread cannot matter.
        if let Ok(ForkResult::Parent { .. }) | Ok(ForkResult::Child) = unsafe { fork() } {
            continue;
        }
    }
    // SAFETY: sleep and _exit are async-signal-safe.
    unsafe {
        libc::sleep(30);
        libc::_exit(0);
    }
}
