//! Wrong attempt: only a task that may crash gets a process; untrusted code runs on a thread, as if code nobody vetted could not crash or read the caller's memory.

    // ANCHOR: solution_choose
    if workload.may_crash {
        Choice::Processes
    } else {
        Choice::Threads
    }
    // ANCHOR_END: solution_choose
