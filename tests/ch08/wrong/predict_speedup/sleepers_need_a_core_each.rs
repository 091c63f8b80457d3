//! Wrong attempt: Believes sleeping copies, too, can overlap only as far as there are cores.

    // ANCHOR: solution
    match (work, runner) {
        (Work::Cpu, Runner::GilThreads) => 1,
        _ => copies.min(cores),
    }
    // ANCHOR_END: solution
