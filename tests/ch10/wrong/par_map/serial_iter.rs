//! Wrong attempt: `par_map` and `par_total` use `iter()`, which gives the right answer, so it must be right.

    // ANCHOR: solution_par_map
    inputs.iter().map(|&x| f(x)).collect()
    // ANCHOR_END: solution_par_map

    // ANCHOR: solution_par_total
    inputs.iter().map(|&x| f(x)).sum()
    // ANCHOR_END: solution_par_total
