//! Wrong attempt: Believes CPU-bound work gets no speedup from threads in any interpreter, with or without a GIL, nor from processes.

    // ANCHOR: solution
    match work {
        Work::Cpu => 1,
        Work::Sleep => copies,
    }
    // ANCHOR_END: solution
