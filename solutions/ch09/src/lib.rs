//! Chapter 09 — Inter-process communication: the exercises.
//!
//! Each exercise is one file in `src/`; this file only lists them. Grade them with
//! `cargo xtask grade 09`; ask for a hint with `cargo xtask hint <exercise>`.

pub mod duplex;
pub mod framing;
pub mod pass_fd;
pub mod shm_handoff;

/// The atomics and the two futex calls `shm_handoff` uses. That file imports them from
/// here (`super::sync`), so that the grading tests can compile it a second time over the
/// loom model checker's look-alike types (the `model` module below).
pub mod sync {
    pub use std::sync::atomic;

    // Sleep while a word holds a value, and wake the sleepers: see their documentation.
    pub use support::futex::{wait as futex_wait, wake as futex_wake};
}

/// `shm_handoff.rs` once more, over the loom model checker's types: the grading tests run
/// this copy's `send` and `recv` under every interleaving of two threads.
#[cfg(test)]
#[allow(dead_code, clippy::duplicate_mod)] // loaded twice on purpose: once over loom's types
#[path = "."] // the file below is this folder's, not a `model/` folder's
mod model {
    pub mod sync {
        pub use support::model::loom::sync::atomic;
        use support::model::loom::sync::atomic::Ordering::Relaxed;

        /// The futex in the model: if the word still holds `expected`, lets the other
        /// threads run first, then returns — as the real call may (a spurious wake-up), so
        /// code that checks the word again after it, as it must, stays correct. The load is
        /// `Relaxed`, so it orders nothing that your own loads do not.
        pub fn futex_wait(word: &atomic::AtomicU32, expected: u32) {
            if word.load(Relaxed) == expected {
                support::model::loom::thread::yield_now();
            }
        }

        /// Nothing to do in the model: a waiter never sleeps there.
        pub fn futex_wake(_word: &atomic::AtomicU32) {}
    }
    #[path = "shm_handoff.rs"]
    pub mod shm_handoff;
}

// The grading tests live outside the learner's files, in `tests/ch09/`, and are compiled
// into this crate so they can call its functions. The solutions crate includes the same
// tests, which is how the maintainer check proves the solutions pass.
#[cfg(test)]
#[path = "../../../tests/ch09/mod.rs"]
mod grading;
