//! Wrong attempt: `outcomes` finds every way the program can end, but records each ending once, as if one schedule gave it.

    // ANCHOR: solution
    fn search(program: &Program, state: State, found: &mut BTreeMap<Vec<i64>, u64>) {
        let mut ended = true;
        for thread in 0..program.threads.len() {
            if state.can_step(program, thread) {
                ended = false;
                let mut next = state.clone();
                next.step(program, thread);
                search(program, next, found);
            }
        }
        if ended {
            found.insert(state.vars, 1);
        }
    }
    let mut found = BTreeMap::new();
    search(program, State::start(program), &mut found);
    found
    // ANCHOR_END: solution
