//! Wrong attempt: the choice is made by input size (threads for big inputs, processes for small ones), ignoring whether a task may crash or is untrusted.

    // ANCHOR: solution_choose
    // Big inputs are costly to copy into processes; small ones are not, so small work gets the
    // safety of a process.
    if workload.input_bytes >= 4 * 1024 * 1024 {
        Choice::Threads
    } else {
        Choice::Processes
    }
    // ANCHOR_END: solution_choose
