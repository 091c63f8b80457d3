//! Wrong attempt: Releases the lock and sleeps, but never takes the lock back.

    // ANCHOR: solution
    thread.release();
    std::thread::sleep(std::time::Duration::from_millis(ms.max(0) as u64));
    0
    // ANCHOR_END: solution
