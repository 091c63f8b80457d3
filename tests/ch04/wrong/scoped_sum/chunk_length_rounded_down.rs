//! Wrong attempt: the chunk length is `values.len() / threads`, rounded down, so 10 values in 4 threads make five chunks of 2, not three of 3 and one of 1.

    // ANCHOR: solution_partial_sums
    if values.is_empty() {
        return Vec::new();
    }
    // An equal share for each thread.
    let chunk_len = (values.len() / threads.max(1)).max(1);
    let add_up = &add_up;
    std::thread::scope(|s| {
        let handles: Vec<_> = values
            .chunks(chunk_len)
            .map(|chunk| {
                s.spawn(move || Partial {
                    sum: add_up(chunk),
                    len: chunk.len(),
                    thread: std::thread::current().id(),
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("adding numbers does not panic"))
            .collect()
    })
    // ANCHOR_END: solution_partial_sums

    // ANCHOR: solution_parallel_sum
    partial_sums(values, threads, |chunk| chunk.iter().sum())
        .iter().map(|p| p.sum).sum()
    // ANCHOR_END: solution_parallel_sum
