//! Chapter 06 — Context switching: the exercises.
//!
//! Each exercise is one file in `src/`; this file only lists them. Grade them with
//! `cargo xtask grade 06`; ask for a hint with `cargo xtask hint <exercise>`.

pub mod classify_task;
pub mod middle_half;
pub mod ping_pong;

// The grading tests live outside the learner's files, in `tests/ch06/`, and are compiled
// into this crate so they can call its functions. The solutions crate includes the same
// tests, which is how the maintainer check proves the solutions pass.
#[cfg(test)]
#[path = "../../../tests/ch06/mod.rs"]
mod grading;
