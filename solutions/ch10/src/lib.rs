//! Chapter 10 — Putting it to work: the exercises.
//!
//! Each exercise is one file in `src/`; this file only lists them. Grade them with
//! `cargo xtask grade 10`; ask for a hint with `cargo xtask hint <exercise>`.

pub mod channel_pipeline;
pub mod par_map;
pub mod pool;
pub mod server;

// The grading tests live outside the learner's files, in `tests/ch10/`, and are compiled
// into this crate so they can call its functions. The solutions crate includes the same
// tests, which is how the maintainer check proves the solutions pass.
#[cfg(test)]
#[path = "../../../tests/ch10/mod.rs"]
mod grading;
