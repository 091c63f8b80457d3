//! Wrong attempt: I add up mem_size - file_size over every program header, loaded or not.

    // ANCHOR: solution_zero_fill
    headers
        .iter()
        .map(|h| h.mem_size.saturating_sub(h.file_size))
        .sum()
    // ANCHOR_END: solution_zero_fill
