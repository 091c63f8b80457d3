//! Exercise `par_map`: the same answer as a serial loop, computed on several threads with
//! rayon.
//!
//! [rayon](https://docs.rs/rayon) keeps a *thread pool* (a few threads started once and
//! reused for many small jobs) with one thread per CPU by default. `slice.par_iter()` is the
//! parallel twin of `slice.iter()`: rayon splits the slice in halves, and halves of halves,
//! and each idle thread *steals* a piece that another thread has not started yet (*work
//! stealing*), so a thousand items keep two threads busy without a thousand threads.
//!
//! Two things make it a drop-in for the serial loop:
//!
//! - on a slice, `.par_iter().map(f).collect::<Vec<_>>()` puts each result at its input's
//!   index, whichever thread computed it and whenever it finished: the order of the
//!   answer is the order of the input, as with `iter()`;
//! - `.sum()` adds partial sums from each thread; addition of whole numbers does not care
//!   in which order it is done, so the total equals the serial one.
//!
//! `f` runs on several threads at once, so it must be `Sync` (shareable between threads)
//! and anything it changes must be too: a `Mutex` or an atomic, never a plain `&mut`. The
//! grading test passes an `f` that notes which of rayon's threads called it, and runs your
//! functions inside a pool of 2 threads ([`rayon::ThreadPool::install`]): both threads must
//! take part, and two calls of `f` must be running at the same time.
//!
//! Your code goes between each `// ANCHOR: solution_…` line below and its
//! `// ANCHOR_END: solution_…`, in place of `todo!()`. To Rust they are ordinary comments;
//! they mark the parts of the file that are yours (the reference solution in `solutions/`
//! differs from this file only there), so leave them where they are.

/// A CPU-bound function to try yours on: how many steps the Collatz rule (halve an even
/// number, else take `3n + 1`) takes to bring `n` down to 1. `collatz_steps(6)` is 8
/// (6 → 3 → 10 → 5 → 16 → 8 → 4 → 2 → 1). Nobody knows a formula: it has to be computed.
pub fn collatz_steps(n: u64) -> u64 {
    let (mut n, mut steps) = (n.max(1), 0);
    while n != 1 {
        n = if n.is_multiple_of(2) {
            n / 2
        } else {
            3 * n + 1
        };
        steps += 1;
    }
    steps
}

/// `f` applied to every input, computed on rayon's threads; the answer is in input order
/// (the same `Vec` as `inputs.iter().map(|&x| f(x)).collect()`).
pub fn par_map<F>(inputs: &[u64], f: F) -> Vec<u64>
where
    F: Fn(u64) -> u64 + Sync,
{
    // ANCHOR: solution_par_map
    use rayon::prelude::*;

    inputs.par_iter().map(|&x| f(x)).collect()
    // ANCHOR_END: solution_par_map
}

/// The sum of `f` over every input, computed on rayon's threads (the same number as
/// `inputs.iter().map(|&x| f(x)).sum()`).
pub fn par_total<F>(inputs: &[u64], f: F) -> u64
where
    F: Fn(u64) -> u64 + Sync,
{
    // ANCHOR: solution_par_total
    use rayon::prelude::*;

    inputs.par_iter().map(|&x| f(x)).sum()
    // ANCHOR_END: solution_par_total
}
