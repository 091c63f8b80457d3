//! Wrong attempt: every chunk is added up on the calling thread, one after another, with no thread started at all.

    // ANCHOR: solution_partial_sums
    if values.is_empty() {
        return Vec::new();
    }
    let chunk_len = values.len().div_ceil(threads.max(1));
    // Adding up is so quick that threads would only slow it down.
    values
        .chunks(chunk_len)
        .map(|chunk| Partial {
            sum: add_up(chunk),
            len: chunk.len(),
            thread: std::thread::current().id(),
        })
        .collect()
    // ANCHOR_END: solution_partial_sums

    // ANCHOR: solution_parallel_sum
    partial_sums(values, threads, |chunk| chunk.iter().sum())
        .iter().map(|p| p.sum).sum()
    // ANCHOR_END: solution_parallel_sum
