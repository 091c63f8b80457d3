//! Chapter 04 — Threads: the exercises.
//!
//! Each exercise is one file in `src/`; this file only lists them. Grade them with
//! `cargo xtask grade 04`; ask for a hint with `cargo xtask hint <exercise>`.

pub mod own_counters;
pub mod scoped_sum;
pub mod task_ids;

// The grading tests live outside the learner's files, in `tests/ch04/`, and are compiled
// into this crate so they can call its functions. The solutions crate includes the same
// tests, which is how the maintainer check proves the solutions pass.
#[cfg(test)]
#[path = "../../../tests/ch04/mod.rs"]
mod grading;
