//! Wrong attempt: the choices are looked up by the workload's name in a table copied from the snapshot, and anything else gets threads.

    // ANCHOR: solution_choose
    // The answers, as the snapshot shows them.
    match workload.name {
        "parse 8 uploaded files with a C library that segfaults on bad input"
        | "run customers' plug-in scripts"
        | "render 16 tiles of a map with a crash-prone GPU driver" => Choice::Processes,
        _ => Choice::Threads,
    }
    // ANCHOR_END: solution_choose
