//! Chapter 03 — Processes: fork, exec, wait: the exercises.
//!
//! Each exercise is one file in `src/`; this file only lists them. Grade them with
//! `cargo xtask grade 03`; ask for a hint with `cargo xtask hint <exercise>`.

// Stubs take arguments (and import helpers) they do not use yet; that is expected, not a
// warning to fix.
#![allow(unused_variables, unused_mut, unused_imports)]

pub mod exit_codes;
pub mod fork_tree;
pub mod pipeline;

// The grading tests live outside the learner's files, in `tests/ch03/`, and are compiled
// into this crate so they can call its functions. The solutions crate includes the same
// tests, which is how the maintainer check proves the solutions pass.
#[cfg(test)]
#[path = "../../../tests/ch03/mod.rs"]
mod grading;
