//! Exercise `predict`: every way a tiny concurrent program can end.
//!
//! A [`Program`] is a few shared integer variables and two or three threads, each a short
//! list of indivisible [`Step`](ch07_interleave::Step)s (`r0 = x`, `r0 = r0 + 1`,
//! `x = r0`, ...; `ch07_interleave` documents them all). A *schedule* is one order in
//! which all the threads' steps run, each thread's own steps staying in program order.
//! Different schedules can leave the shared variables with different values: that is a
//! race, and the question "what can `x` be at the end?" is answered by trying every
//! schedule.
//!
//! Write that search. At each point, any thread that can take a step might be the next one
//! to run, so try each in turn, from a copy of the state, and carry on from there; when no
//! thread can take a step, one schedule has ended. [`State`] runs single steps for you
//! (`State::start`, `can_step`, `step`); the search is yours: no crate this one depends
//! on has it, and the grader checks yours against an answer key of its own.
//!
//! Before you run your code on a puzzle, predict the answer: two threads that each do
//! `x = x + 1` as load, add, store have 20 schedules. How many end with `x == 2`?
//!
//! Your code goes between the `// ANCHOR: solution` and `// ANCHOR_END: solution` lines
//! below, in place of `todo!()`. To Rust they are ordinary comments; they mark the part of
//! the file that is yours (the reference solution in `solutions/` differs from this file
//! only there), so leave them where they are.

use std::collections::BTreeMap;

// Re-exported, so the grading test and your code name the same types.
pub use ch07_interleave::{Program, State};

/// For each distinct final value of the shared variables (in the order of
/// `program.vars`), how many schedules end with it. A schedule ends when no thread can take
/// a step (normally because all have finished).
pub fn outcomes(program: &Program) -> BTreeMap<Vec<i64>, u64> {
    // ANCHOR: solution
    /// Every schedule that continues from `state`, counted into `found` by how it ends.
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
            *found.entry(state.vars).or_insert(0) += 1;
        }
    }
    let mut found = BTreeMap::new();
    search(program, State::start(program), &mut found);
    found
    // ANCHOR_END: solution
}

/// The values the variable `name` can have at the end, smallest first: your prediction,
/// read off [`outcomes`].
pub fn possible_values(program: &Program, name: &str) -> Vec<i64> {
    let var = program.var(name).expect("a variable of the program");
    let mut values: Vec<i64> = outcomes(program).keys().map(|vars| vars[var]).collect();
    values.sort_unstable();
    values.dedup();
    values
}
