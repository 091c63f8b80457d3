//! Chapter 05 — Processes versus threads: the exercises.
//!
//! Each exercise is one file in `src/`; this file only lists them. Grade them with
//! `cargo xtask grade 05`; ask for a hint with `cargo xtask hint <exercise>`.

pub mod child_result;
pub mod panicking_worker;
pub mod threads_or_processes;

// The grading tests live outside the learner's files, in `tests/ch05/`, and are compiled
// into this crate so they can call its functions. The solutions crate includes the same
// tests, which is how the maintainer check proves the solutions pass.
#[cfg(test)]
#[path = "../../../tests/ch05/mod.rs"]
mod grading;
