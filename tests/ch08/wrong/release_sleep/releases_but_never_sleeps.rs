//! Wrong attempt: Releases and re-takes the lock but forgets the sleep itself.

    // ANCHOR: solution
    thread.release();
    let _pause = std::time::Duration::from_millis(ms.max(0) as u64);
    thread.reacquire();
    0
    // ANCHOR_END: solution
