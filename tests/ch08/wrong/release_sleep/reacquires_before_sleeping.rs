//! Wrong attempt: Releases the lock and takes it straight back, then sleeps.

    // ANCHOR: solution
    thread.release();
    thread.reacquire();
    std::thread::sleep(std::time::Duration::from_millis(ms.max(0) as u64));
    0
    // ANCHOR_END: solution
