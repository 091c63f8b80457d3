//! Exercise `semaphore`: a counting semaphore from a `Mutex` and a `Condvar`.
//!
//! A *semaphore* holds a number of permits. `acquire` takes one, and if there is none left
//! it waits until another thread gives one back with `release`. With N permits, at most N
//! threads are between their `acquire` and their `release` at once: a semaphore bounds how
//! many threads use a resource together (N connections, N buffers, N cores). Rust's
//! standard library has no semaphore, but it has the two parts to build one:
//!
//! - a [`Mutex`] guarding the count of free permits, so that checking the count and taking
//!   a permit happen in one critical section (a stretch of code that only one thread at a
//!   time may run). If you check in one lock scope and decrement in another, two threads
//!   can both see "1 free" and both take it;
//! - a [`Condvar`] (condition variable) to sleep on while no permit is free.
//!   [`Condvar::wait`] gives up the lock while it sleeps and takes it back before it
//!   returns. `release` must wake a sleeper (`notify_one`), or they sleep forever.
//!
//! A waiter that wakes must check the count again, in a `while` loop, not an `if`: by the
//! time it holds the lock again, another thread may have taken the permit, and a condition
//! variable may also wake a thread for no reason at all (a *spurious wake-up*, which the
//! [`Condvar`] documentation allows). The grading test wakes your waiters for no reason
//! too, through the public `freed` field, as the operating system may.
//!
//! Your code goes between each `// ANCHOR: solution_…` line below and its
//! `// ANCHOR_END: solution_…`, in place of `todo!()`. To Rust they are ordinary comments;
//! they mark the parts of the file that are yours (the reference solution in `solutions/`
//! differs from this file only there), so leave them where they are.

// `super::sync` is `std::sync` (see lib.rs). The grading tests also compile this file over
// the loom model checker's look-alike types, to try your code under every interleaving.
use super::sync::{Condvar, Mutex};

/// A counting semaphore. The fields are public so the grading test can look and poke;
/// your code must keep the count right whatever it does to `freed`.
#[derive(Debug)]
pub struct Semaphore {
    /// How many permits are free now.
    pub permits: Mutex<usize>,
    /// Signalled when a permit is given back.
    pub freed: Condvar,
}

/// A permit held until it is dropped ([`Semaphore::permit`]); dropping it releases it.
#[derive(Debug)]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.semaphore.release();
    }
}

impl Semaphore {
    /// A semaphore with `permits` free permits.
    pub fn new(permits: usize) -> Self {
        Semaphore {
            permits: Mutex::new(permits),
            freed: Condvar::new(),
        }
    }

    /// Takes a permit, waiting as long as none is free. Checking that one is free and
    /// taking it happen under one lock, and the wait is re-checked in a loop.
    pub fn acquire(&self) {
        // ANCHOR: solution_acquire
        todo!("write this, then run `cargo xtask grade`")
        // ANCHOR_END: solution_acquire
    }

    /// Takes a permit if one is free now and returns true; returns false at once if not.
    pub fn try_acquire(&self) -> bool {
        // ANCHOR: solution_try_acquire
        todo!("write this, then run `cargo xtask grade`")
        // ANCHOR_END: solution_try_acquire
    }

    /// Gives a permit back and wakes one thread waiting in `acquire`, if any.
    pub fn release(&self) {
        // ANCHOR: solution_release
        todo!("write this, then run `cargo xtask grade`")
        // ANCHOR_END: solution_release
    }

    /// Takes a permit (as `acquire` does) and returns a guard that releases it when
    /// dropped, so a permit is given back even if the holder returns early or panics.
    pub fn permit(&self) -> Permit<'_> {
        self.acquire();
        Permit { semaphore: self }
    }
}
