//! Chapter 09 — Inter-process communication: the exercises.
//!
//! Each exercise is one file in `src/`; this file only lists them. Grade them with
//! `cargo xtask grade 09`; ask for a hint with `cargo xtask hint <exercise>`.

pub mod duplex;
pub mod framing;
pub mod pass_fd;
pub mod shm_handoff;

// The grading tests live outside the learner's files, in `tests/ch09/`, and are compiled
// into this crate so they can call its functions. The solutions crate includes the same
// tests, which is how the maintainer check proves the solutions pass.
#[cfg(test)]
#[path = "../../../tests/ch09/mod.rs"]
mod grading;
