//! Wrong attempt: the workers count, and after `join` the caller reads `my_tally()` for each one, as if a thread-local were visible from another thread.

    // ANCHOR: solution_count_in_threads
    let handles: Vec<_> = jobs
        .iter()
        .map(|&times| {
            std::thread::spawn(move || {
                for _ in 0..times {
                    bump();
                }
            })
        })
        .collect();
    // Each worker is done: read what it counted.
    let per_worker: Vec<u64> = handles
        .into_iter()
        .map(|h| {
            h.join().expect("counting does not panic");
            my_tally()
        })
        .collect();
    let total = per_worker.iter().sum();
    Counts { per_worker, total }
    // ANCHOR_END: solution_count_in_threads
