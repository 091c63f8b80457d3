//! Chapter 01 — Programs and processes: the exercises.
//!
//! Each exercise is one file in `src/`; this file only lists them. Grade them with
//! `cargo xtask grade 01`; ask for a hint with `cargo xtask hint <exercise>`.

pub mod ancestry;
pub mod proc_stat;
pub mod segments;

// The grading tests live outside the learner's files, in `tests/ch01/`, and are compiled
// into this crate so they can call its functions. The solutions crate includes the same
// tests, which is how the maintainer check proves the solutions pass.
#[cfg(test)]
#[path = "../../../tests/ch01/mod.rs"]
mod grading;
