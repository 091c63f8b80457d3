//! Wrong attempt: the `System` texts are copied from the snapshot (with its PID 4242 and SIGSTOP) instead of formatted from the status.

    // ANCHOR: solution_outcome
    match status {
        WaitStatus::Exited(_, 0) => Ok(()),
        WaitStatus::Exited(_, code) => Err(JobError::Failed { code }),
        WaitStatus::Signaled(_, signal, core_dumped) => Err(JobError::Killed {
            signal,
            core_dumped,
        }),
        // As the snapshot shows.
        WaitStatus::Stopped(..) => Err(JobError::System(
            "not an ending: Stopped(Pid(4242), SIGSTOP)".into(),
        )),
        _ => Err(JobError::System("not an ending: Continued(Pid(4242))".into())),
    }
    // ANCHOR_END: solution_outcome
