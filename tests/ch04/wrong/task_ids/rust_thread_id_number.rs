//! Wrong attempt: the TID is taken from Rust's `ThreadId` (the 2 in `ThreadId(2)`), which is Rust's own counter, not the kernel's task ID.

    // ANCHOR: solution_current_tid
    // Rust numbers its threads: ThreadId(1), ThreadId(2), ...
    let id = format!("{:?}", std::thread::current().id());
    id.trim_start_matches("ThreadId(")
        .trim_end_matches(')')
        .parse()
        .unwrap_or(0)
    // ANCHOR_END: solution_current_tid
