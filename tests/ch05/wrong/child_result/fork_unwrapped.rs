//! Wrong attempt: `fork` is unwrapped, so when it fails (EAGAIN: too many processes) the caller panics instead of getting `JobError::System`.

    // ANCHOR: solution_run_in_child
    use nix::unistd::{ForkResult, fork};
    // SAFETY: the child runs only `job` and then `_exit`s; the callers (and the grading
    // tests) fork from a process whose other threads hold no locks.
    match unsafe { fork() }.expect("fork") {
        ForkResult::Child => {
            let status = std::panic::catch_unwind(job).unwrap_or(PANICKED);
            // SAFETY: ends the child at once, without running the parent's destructors.
            unsafe { libc::_exit(status) }
        }
        ForkResult::Parent { child } => match nix::sys::wait::waitpid(child, None) {
            Ok(status) => outcome(status),
            Err(error) => Err(JobError::System(format!("waitpid failed: {error}"))),
        },
    }
    // ANCHOR_END: solution_run_in_child
