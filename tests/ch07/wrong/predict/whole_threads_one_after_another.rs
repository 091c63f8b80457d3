//! Wrong attempt: `outcomes` tries every order of the threads, but runs each thread from start to finish before the next one begins.

    // ANCHOR: solution
    fn orders(left: Vec<usize>, done: Vec<usize>, all: &mut Vec<Vec<usize>>) {
        if left.is_empty() {
            all.push(done);
            return;
        }
        for i in 0..left.len() {
            let mut rest = left.clone();
            let next = rest.remove(i);
            let mut now = done.clone();
            now.push(next);
            orders(rest, now, all);
        }
    }
    let mut all = Vec::new();
    orders((0..program.threads.len()).collect(), Vec::new(), &mut all);
    let mut found = BTreeMap::new();
    for order in all {
        let mut state = State::start(program);
        for thread in order {
            while state.can_step(program, thread) {
                state.step(program, thread);
            }
        }
        *found.entry(state.vars).or_insert(0) += 1;
    }
    found
    // ANCHOR_END: solution
