//! Wrong attempt: always threads, because they are cheaper to start and read the input in place — even when a task may crash the whole process.

    // ANCHOR: solution_choose
    // Threads are cheaper to start and share the input: always the better choice.
    Choice::Threads
    // ANCHOR_END: solution_choose
