//! Wrong attempt: one iterator chain spawns and joins each thread (`.map(spawn).map(join)`), so the lazy iterator joins every thread before it starts the next — serial in disguise.

    // ANCHOR: solution_partial_sums
    if values.is_empty() {
        return Vec::new();
    }
    let chunk_len = values.len().div_ceil(threads.max(1));
    std::thread::scope(|s| {
        // Spawn a thread for each chunk, and take its result.
        values
            .chunks(chunk_len)
            .map(|chunk| {
                s.spawn(|| Partial {
                    sum: add_up(chunk),
                    len: chunk.len(),
                    thread: std::thread::current().id(),
                })
            })
            .map(|handle| handle.join().expect("adding numbers does not panic"))
            .collect()
    })
    // ANCHOR_END: solution_partial_sums

    // ANCHOR: solution_parallel_sum
    partial_sums(values, threads, |chunk| chunk.iter().sum())
        .iter().map(|p| p.sum).sum()
    // ANCHOR_END: solution_parallel_sum
