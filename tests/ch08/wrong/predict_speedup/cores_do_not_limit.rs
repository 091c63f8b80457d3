//! Wrong attempt: Believes CPU-bound copies without a shared lock scale with their number, however few cores there are.

    // ANCHOR: solution
    match (work, runner) {
        (Work::Cpu, Runner::GilThreads) => 1,
        _ => copies,
    }
    // ANCHOR_END: solution
