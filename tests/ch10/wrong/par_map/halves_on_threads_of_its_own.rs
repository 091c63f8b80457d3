//! Wrong attempt: `par_map` and `par_total` split the input in two and start two threads of their own with `std::thread::scope`, instead of using rayon's pool.

    // ANCHOR: solution_par_map
    let (left, right) = inputs.split_at(inputs.len() / 2);
    let f = &f;
    std::thread::scope(|s| {
        let first = s.spawn(move || left.iter().map(|&x| f(x)).collect::<Vec<u64>>());
        let second: Vec<u64> = right.iter().map(|&x| f(x)).collect();
        let mut all = first.join().unwrap();
        all.extend(second);
        all
    })
    // ANCHOR_END: solution_par_map

    // ANCHOR: solution_par_total
    let (left, right) = inputs.split_at(inputs.len() / 2);
    let f = &f;
    std::thread::scope(|s| {
        let first = s.spawn(move || left.iter().map(|&x| f(x)).sum::<u64>());
        let second: u64 = right.iter().map(|&x| f(x)).sum();
        first.join().unwrap() + second
    })
    // ANCHOR_END: solution_par_total
