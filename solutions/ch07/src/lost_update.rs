//! Exercise `lost_update`: a shared counter that loses no update.
//!
//! `x += 1` on a shared counter is three steps for the machine: read the value, add one,
//! write the result back. Two threads that both read 5 both write 6, and one of the two
//! increments is gone: a *lost update*. Which result you get depends on how the threads'
//! steps happen to interleave, which is what *race condition* means.
//!
//! Safe Rust will not let two threads change a plain `u64` at once, so the counter below is
//! an [`AtomicU64`]: each of its operations is indivisible, and no thread ever sees half a
//! write. But an atomic `load` followed by an atomic `store` is still two operations, and
//! another thread can run between them. Each step is indivisible; the pair is not. So
//!
//! ```text
//! let v = self.value.load(SeqCst);
//! self.value.store(v + n, SeqCst);
//! ```
//!
//! loses updates exactly like `x += 1` on a plain variable would, with no undefined
//! behaviour: just a wrong count. (`SeqCst`, the strongest memory ordering, does not help:
//! ordering says which writes a thread is guaranteed to see, not that nobody writes in
//! between.)
//!
//! The fix is to make the whole read-modify-write one indivisible operation:
//! - for an addition, [`AtomicU64::fetch_add`] does it (on x86-64 it is a single
//!   `lock`-prefixed instruction);
//! - for any other change, a *compare-and-swap loop* does: read the value `v`, compute the
//!   new one, and [`AtomicU64::compare_exchange`] writes it only if the counter still holds
//!   `v`. If another thread changed it in the meantime, nothing is written: read again and
//!   retry. ([`AtomicU64::fetch_update`] is that loop, written for you.)
//!
//! Your code goes between each `// ANCHOR: solution_…` line below and its
//! `// ANCHOR_END: solution_…`, in place of `todo!()`. To Rust they are ordinary comments;
//! they mark the parts of the file that are yours (the reference solution in `solutions/`
//! differs from this file only there), so leave them where they are.

// `super::sync` is `std::sync` (see lib.rs). The grading tests also compile this file over
// the loom model checker's look-alike types, to try your code under every interleaving.
use super::sync::atomic::{AtomicU64, Ordering::SeqCst};

/// A counter that many threads change at once.
#[derive(Debug, Default)]
pub struct Counter {
    value: AtomicU64,
}

impl Counter {
    /// A counter that starts at `start`.
    pub fn new(start: u64) -> Self {
        Counter {
            value: AtomicU64::new(start),
        }
    }

    /// The counter's value now.
    pub fn get(&self) -> u64 {
        self.value.load(SeqCst)
    }

    /// Adds `n` to the counter as one indivisible step, so that no addition is lost
    /// however many threads add at the same time.
    pub fn add(&self, n: u64) {
        // ANCHOR: solution_add
        self.value.fetch_add(n, SeqCst);
        // ANCHOR_END: solution_add
    }

    /// Replaces the counter's value `v` with `change(v)` as if in one step, and returns the
    /// value it replaced. If another thread changes the counter between your read and your
    /// write, your write must not happen: read the new value and call `change` again. So
    /// `change` may be called more than once; it computes, and does nothing else.
    pub fn update(&self, change: impl Fn(u64) -> u64) -> u64 {
        // ANCHOR: solution_update
        let mut seen = self.value.load(SeqCst);
        loop {
            match self
                .value
                .compare_exchange(seen, change(seen), SeqCst, SeqCst)
            {
                Ok(replaced) => return replaced,
                Err(now) => seen = now,
            }
        }
        // ANCHOR_END: solution_update
    }
}
