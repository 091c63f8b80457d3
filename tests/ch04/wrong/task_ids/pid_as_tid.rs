//! Wrong attempt: `current_tid` returns the process's PID, which is the TID of the main thread only.

    // ANCHOR: solution_current_tid
    // Threads belong to a process, so they share its ID.
    std::process::id() as i32
    // ANCHOR_END: solution_current_tid
