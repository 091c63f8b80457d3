//! Wrong attempt: a death by signal is reported as exit code 128 + the signal's number, as the shell's `$?` shows it, instead of as `Killed`.

    // ANCHOR: solution_outcome
    match status {
        WaitStatus::Exited(_, 0) => Ok(()),
        WaitStatus::Exited(_, code) => Err(JobError::Failed { code }),
        // The shell reports a death by signal N as status 128 + N.
        WaitStatus::Signaled(_, signal, _) => Err(JobError::Failed {
            code: 128 + signal as i32,
        }),
        other => Err(JobError::System(format!("not an ending: {other:?}"))),
    }
    // ANCHOR_END: solution_outcome
