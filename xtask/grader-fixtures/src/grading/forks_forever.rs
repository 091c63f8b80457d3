use nix::unistd::{ForkResult, fork};

/// Every child goes on forking instead of exiting. Capped at 2^10 processes so that a
/// broken grader cannot take the machine down with it.
#[test]
#[ignore = "grader test data"]
fn forks_forever() {
    let _graded = support::sealed::graded();
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
