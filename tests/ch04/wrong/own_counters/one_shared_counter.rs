//! Wrong attempt: `bump` adds to one `static` atomic counter shared by every thread, instead of the calling thread's own `TALLY`.

    // ANCHOR: solution_bump
    // One counter for the whole program: every thread adds to it.
    static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let now = COUNT.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
    TALLY.with(|tally| tally.set(now));
    now
    // ANCHOR_END: solution_bump
