//! Wrong attempt: the child runs the job without `catch_unwind`, so a panicking job unwinds out of `run_in_child` into the rest of the program in the child, which then ends with status 0.

    // ANCHOR: solution_run_in_child
    use nix::unistd::{ForkResult, fork};
    // SAFETY: the child runs only `job` and then `_exit`s; the callers (and the grading
    // tests) fork from a process whose other threads hold no locks.
    match unsafe { fork() } {
        Err(error) => Err(JobError::System(format!("fork failed: {error}"))),
        Ok(ForkResult::Child) => {
            let status = job();
            // SAFETY: ends the child at once, without running the parent's destructors.
            unsafe { libc::_exit(status) }
        }
        Ok(ForkResult::Parent { child }) => match nix::sys::wait::waitpid(child, None) {
            Ok(status) => outcome(status),
            Err(error) => Err(JobError::System(format!("waitpid failed: {error}"))),
        },
    }
    // ANCHOR_END: solution_run_in_child
