//! Wrong attempt: every job is counted on the calling thread (the difference of its tally before and after), with no worker thread at all.

    // ANCHOR: solution_count_in_threads
    // Count each job here, measuring how far the tally moved.
    let per_worker: Vec<u64> = jobs
        .iter()
        .map(|&times| {
            let before = my_tally();
            for _ in 0..times {
                bump();
            }
            my_tally() - before
        })
        .collect();
    let total = per_worker.iter().sum();
    Counts { per_worker, total }
    // ANCHOR_END: solution_count_in_threads
