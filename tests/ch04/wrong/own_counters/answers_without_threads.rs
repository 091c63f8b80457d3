//! Wrong attempt: `count_in_threads` returns each job as its own count, with no thread started: the right numbers, without the work.

    // ANCHOR: solution_count_in_threads
    // Each worker would count to its job and report it: the same numbers, so skip them.
    Counts {
        per_worker: jobs.to_vec(),
        total: jobs.iter().sum(),
    }
    // ANCHOR_END: solution_count_in_threads
