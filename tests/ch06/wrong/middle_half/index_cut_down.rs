//! Wrong attempt: the index (len − 1) × q is cut down to a whole number instead of rounded.

    // ANCHOR: solution_at
    sorted[((sorted.len() - 1) as f64 * q) as usize]
    // ANCHOR_END: solution_at
