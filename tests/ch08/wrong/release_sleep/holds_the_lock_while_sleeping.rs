//! Wrong attempt: Sleeps inside the builtin without letting go of the interpreter lock.

    // ANCHOR: solution
    std::thread::sleep(std::time::Duration::from_millis(ms.max(0) as u64));
    0
    // ANCHOR_END: solution
