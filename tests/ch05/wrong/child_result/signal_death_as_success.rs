//! Wrong attempt: `outcome` only looks at exit codes, so a child killed by a signal (which has no exit code) counts as a success.

    // ANCHOR: solution_outcome
    match status {
        WaitStatus::Exited(_, 0) => Ok(()),
        WaitStatus::Exited(_, code) => Err(JobError::Failed { code }),
        // No exit code to complain about.
        WaitStatus::Signaled(..) => Ok(()),
        other => Err(JobError::System(format!("not an ending: {other:?}"))),
    }
    // ANCHOR_END: solution_outcome
