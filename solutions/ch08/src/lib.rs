//! Chapter 08 — A GIL-like lock: the exercises.
//!
//! Each exercise is one file in `src/`; this file only lists them. Grade them with
//! `cargo xtask grade 08`; ask for a hint with `cargo xtask hint <exercise>`. They all run
//! code in the toy interpreter of `ch08_toyvm`.

pub mod locked_increment;
pub mod predict_speedup;
pub mod processes;
pub mod release_sleep;

// The grading tests live outside the learner's files, in `tests/ch08/`, and are compiled
// into this crate so they can call its functions. The solutions crate includes the same
// tests, which is how the maintainer check proves the solutions pass.
#[cfg(test)]
#[path = "../../../tests/ch08/mod.rs"]
mod grading;
