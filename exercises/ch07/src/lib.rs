//! Chapter 07 — Critical sections: the exercises.
//!
//! Each exercise is one file in `src/`; this file only lists them. Grade them with
//! `cargo xtask grade 07`; ask for a hint with `cargo xtask hint <exercise>`.

// Stubs take arguments they do not use yet; that is expected, not a warning to fix.
#![allow(unused_variables, unused_mut)]

pub mod lost_update;
pub mod predict;
pub mod semaphore;
pub mod transfer;

/// The synchronisation types `lost_update`, `semaphore` and `transfer` use: `std::sync`'s. Those files
/// import them from here (`super::sync`), so that the grading tests can compile the same
/// files a second time over loom's look-alike types (the `model` module below).
pub mod sync {
    pub use std::sync::{Condvar, Mutex, atomic};
}

/// `lost_update.rs`, `semaphore.rs` and `transfer.rs` once more, over the loom model checker's types:
/// the grading tests run this copy under every interleaving of its threads.
#[cfg(test)]
#[allow(dead_code, clippy::duplicate_mod)] // loaded twice on purpose: once over loom's types
#[path = "."] // the files below are this folder's, not a `model/` folder's
mod model {
    pub mod sync {
        pub use support::model::loom::sync::{Condvar, Mutex, atomic};
    }
    #[path = "lost_update.rs"]
    pub mod lost_update;
    #[path = "semaphore.rs"]
    pub mod semaphore;
    #[path = "transfer.rs"]
    pub mod transfer;
}

// The grading tests live outside the learner's files, in `tests/ch07/`, and are compiled
// into this crate so they can call its functions. The solutions crate includes the same
// tests, which is how the maintainer check proves the solutions pass.
#[cfg(test)]
#[path = "../../../tests/ch07/mod.rs"]
mod grading;
