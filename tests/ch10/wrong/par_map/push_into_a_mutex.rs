//! Wrong attempt: `par_map` runs `f` with `par_iter().for_each` and pushes each result into a `Mutex<Vec>`, so the results come out in the order they finished.

    // ANCHOR: solution_par_map
    use rayon::prelude::*;
    use std::sync::Mutex;

    let results = Mutex::new(Vec::with_capacity(inputs.len()));
    inputs.par_iter().for_each(|&x| {
        let y = f(x);
        results.lock().unwrap().push(y);
    });
    results.into_inner().unwrap()
    // ANCHOR_END: solution_par_map
