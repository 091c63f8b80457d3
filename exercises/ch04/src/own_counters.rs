//! Exercise `own_counters`: give each thread its own counter, and merge after `join`.
//!
//! A `thread_local!` static has the same name in every thread but is a different variable
//! in each: a thread that adds to its `TALLY` never touches another thread's. No lock is
//! needed, because nothing is shared. When a worker finishes, it hands its count back as
//! the return value of its closure, which the starting thread receives from `join()`;
//! only then, on one thread, are the counts merged.
//!
//! ```text
//! worker 1: TALLY 0 → 1 → 2 → 3 ─┐ join() → 3
//! worker 2: TALLY 0 → 1 ─────────┤ join() → 1     total = 3 + 1 + ...
//! caller:   TALLY unchanged ─────┘
//! ```
//!
//! Your code goes between each `// ANCHOR: solution_…` line below and its
//! `// ANCHOR_END: solution_…`, in place of `todo!()`. To Rust they are ordinary comments;
//! they mark the parts of the file that are yours (the reference solution in `solutions/`
//! differs from this file only there), so leave them where they are.

use std::cell::Cell;

thread_local! {
    /// This thread's own count. Starts at 0 in every new thread.
    static TALLY: Cell<u64> = const { Cell::new(0) };
}

/// Adds one to the *calling thread's* `TALLY` and returns the new value.
///
/// On a fresh thread the first call returns 1, the second 2, and so on; calls on other
/// threads do not change it.
pub fn bump() -> u64 {
    // ANCHOR: solution_bump
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution_bump
}

/// The calling thread's `TALLY` (0 on a thread that never called [`bump`]).
pub fn my_tally() -> u64 {
    TALLY.with(Cell::get)
}

/// What the workers counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    /// Each worker's own tally, in the order of `jobs`.
    pub per_worker: Vec<u64>,
    /// The sum of `per_worker`, added up after every worker was joined.
    pub total: u64,
}

/// Starts one thread per entry of `jobs`. Worker `i` calls [`bump`] `jobs[i]` times, then
/// returns [`my_tally`] — its own count — as the result of its closure. The caller joins
/// every worker and merges what they returned into [`Counts`].
///
/// The caller's own `TALLY` must be unchanged afterwards: all counting happens on the
/// workers. No `Mutex` or atomic is needed.
pub fn count_in_threads(jobs: &[u64]) -> Counts {
    // ANCHOR: solution_count_in_threads
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution_count_in_threads
}
