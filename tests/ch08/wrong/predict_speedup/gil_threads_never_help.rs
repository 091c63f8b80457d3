//! Wrong attempt: Believes threads under a GIL never speed anything up, sleeping ones included.

    // ANCHOR: solution
    match (work, runner) {
        (_, Runner::GilThreads) => 1,
        (Work::Cpu, _) => copies.min(cores),
        (Work::Sleep, _) => copies,
    }
    // ANCHOR_END: solution
