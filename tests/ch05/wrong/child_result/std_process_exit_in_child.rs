//! Wrong attempt: the child leaves with `std::process::exit`, which runs the parent's clean-up in the child (it writes out a copy of the parent's buffered output), instead of `libc::_exit`.

    // ANCHOR: solution_run_in_child
    use nix::unistd::{ForkResult, fork};
    // SAFETY: the child runs only `job` and then exits; the callers (and the grading
    // tests) fork from a process whose other threads hold no locks.
    match unsafe { fork() } {
        Err(error) => Err(JobError::System(format!("fork failed: {error}"))),
        Ok(ForkResult::Child) => {
            let status = std::panic::catch_unwind(job).unwrap_or(PANICKED);
            // The job is done: end the child with its status.
            std::process::exit(status)
        }
        Ok(ForkResult::Parent { child }) => match nix::sys::wait::waitpid(child, None) {
            Ok(status) => outcome(status),
            Err(error) => Err(JobError::System(format!("waitpid failed: {error}"))),
        },
    }
    // ANCHOR_END: solution_run_in_child
