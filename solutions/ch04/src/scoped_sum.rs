//! Exercise `scoped_sum`: add up a slice in several threads at once.
//!
//! A thread started with `std::thread::spawn` may outlive the function that started it,
//! so it may only take data it owns (`'static`). A *scoped* thread is different:
//! `std::thread::scope(|s| { ... s.spawn(...) ... })` joins every thread started inside it
//! before it returns, so those threads may borrow local data — here, chunks of a slice
//! that belongs to the caller. Nothing is copied: every thread reads the same memory.
//!
//! ```text
//! values: [ 1  2  3 | 4  5  6 | 7  8  9 | 10 ]   threads = 4, chunk length = 3
//!           thread 1   thread 2   thread 3  thread 4
//! ```
//!
//! Your code goes between each `// ANCHOR: solution_…` line below and its
//! `// ANCHOR_END: solution_…`, in place of `todo!()`. To Rust they are ordinary comments;
//! they mark the parts of the file that are yours (the reference solution in `solutions/`
//! differs from this file only there), so leave them where they are.

use std::thread::ThreadId;

/// One thread's share of the work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partial {
    /// The sum of this thread's chunk.
    pub sum: u64,
    /// How many values the chunk held.
    pub len: usize,
    /// The thread that added the chunk up: `std::thread::current().id()`, asked *inside*
    /// that thread.
    pub thread: ThreadId,
}

/// Sums `values` in chunks, one scoped thread per chunk, and returns one [`Partial`] per
/// chunk, in the order of the chunks. Each chunk's sum is `add_up(chunk)`, called on that
/// chunk's own thread ([`parallel_sum`] passes `|chunk| chunk.iter().sum()`; the grading
/// test passes one that also checks your threads run at the same time).
///
/// - The chunks are `values.chunks(n)` with `n = values.len().div_ceil(threads)`: every
///   chunk has `n` values except perhaps the last, so there may be fewer chunks than
///   `threads` (9 values in 4 threads: three chunks of 3).
/// - `threads == 0` counts as 1.
/// - An empty slice gives an empty `Vec` and starts no thread.
/// - Every chunk is summed on a thread of its own, never on the calling thread, and the
///   threads run at the same time: start them all before you join any.
pub fn partial_sums(
    values: &[u64],
    threads: usize,
    add_up: impl Fn(&[u64]) -> u64 + Sync,
) -> Vec<Partial> {
    // ANCHOR: solution_partial_sums
    if values.is_empty() {
        return Vec::new();
    }
    let chunk_len = values.len().div_ceil(threads.max(1));
    // Each thread's closure borrows the one `add_up` (it is `Sync`, so that is allowed).
    let add_up = &add_up;
    std::thread::scope(|s| {
        let handles: Vec<_> = values
            .chunks(chunk_len)
            .map(|chunk| {
                s.spawn(move || Partial {
                    sum: add_up(chunk),
                    len: chunk.len(),
                    thread: std::thread::current().id(),
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("adding numbers does not panic"))
            .collect()
    })
    // ANCHOR_END: solution_partial_sums
}

/// The sum of `values`, added up in `threads` threads by [`partial_sums`].
pub fn parallel_sum(values: &[u64], threads: usize) -> u64 {
    // ANCHOR: solution_parallel_sum
    partial_sums(values, threads, |chunk| chunk.iter().sum())
        .iter()
        .map(|p| p.sum)
        .sum()
    // ANCHOR_END: solution_parallel_sum
}
