//! Exercise `pipeline`: connect commands with pipes, as a shell does for `a | b | c`.
//!
//! `std::process::Command` is the everyday way to start a program: it forks (or spawns),
//! execs, and hands you a [`Child`](std::process::Child). A pipeline starts every stage at
//! once, each reading what the one before it writes: stage `i`'s standard output *is*
//! stage `i + 1`'s standard input (a pipe made by `Stdio::piped()`; hand the
//! `ChildStdout` to the next `Command` with `Stdio::from(...)`).
//!
//! Two traps: a pipe holds only 64 KiB, so writing a large input to the first stage while
//! nobody reads the last one can block forever — write the input from another thread (or
//! `std::thread::scope`); and every child must be waited for, or it stays a zombie.
//!
//! Your code goes between the `// ANCHOR: solution` and `// ANCHOR_END: solution` lines
//! below, in place of `todo!()`. To Rust they are ordinary comments; they mark the part of
//! the file that is yours (the reference solution in `solutions/` differs from this file
//! only there), so leave them where they are.

use std::io;
use std::process::{Command, Stdio};

/// What a pipeline did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineRun {
    /// Everything the last stage wrote to its standard output.
    pub output: String,
    /// Each stage's exit code, in stage order (`None` if it was killed by a signal).
    pub statuses: Vec<Option<i32>>,
    /// Each stage's PID, in stage order (the tests check each was waited for).
    pub pids: Vec<u32>,
}

/// Runs `stages` (each `[program, args...]`) connected by pipes, feeds `input` to the
/// first stage's standard input, and collects the last stage's output and every exit code.
///
/// All stages run at the same time. Errors: `io::ErrorKind::InvalidInput` when `stages` is
/// empty or a stage is an empty list (found before any stage starts); the error of `spawn`
/// when a program cannot be started (after killing and waiting for the stages already
/// started, so none is left running or a zombie); other I/O errors as they come. A stage's
/// standard error is inherited (not captured).
pub fn run_pipeline(stages: &[&[&str]], input: &str) -> io::Result<PipelineRun> {
    // ANCHOR: solution
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution
}
