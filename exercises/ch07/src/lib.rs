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

// The grading tests live outside the learner's files, in `tests/ch07/`, and are compiled
// into this crate so they can call its functions. The solutions crate includes the same
// tests, which is how the maintainer check proves the solutions pass.
#[cfg(test)]
#[path = "../../../tests/ch07/mod.rs"]
mod grading;
