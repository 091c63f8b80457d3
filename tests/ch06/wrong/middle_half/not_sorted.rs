//! Wrong attempt: the timings are read in the order they were measured, never sorted.

    // ANCHOR: solution_middle_half
    if samples.is_empty() {
        return None;
    }
    let sorted = samples.to_vec();
    Some(MiddleHalf {
        runs: sorted.len(),
        q1: at(&sorted, 0.25),
        median: at(&sorted, 0.5),
        q3: at(&sorted, 0.75),
    })
    // ANCHOR_END: solution_middle_half
