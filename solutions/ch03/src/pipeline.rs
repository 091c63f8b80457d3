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
    if stages.is_empty() || stages.iter().any(|s| s.is_empty()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "an empty pipeline or stage",
        ));
    }
    let mut children: Vec<std::process::Child> = Vec::new();
    for stage in stages {
        let stdin = match children.last_mut() {
            None => Stdio::piped(),
            Some(previous) => Stdio::from(previous.stdout.take().expect("stdout was piped")),
        };
        let spawned = Command::new(stage[0])
            .args(&stage[1..])
            .stdin(stdin)
            .stdout(Stdio::piped())
            .spawn();
        match spawned {
            Ok(child) => children.push(child),
            Err(error) => {
                for mut child in children {
                    drop(child.stdin.take());
                    let _ = child.kill();
                    let _ = child.wait();
                }
                return Err(error);
            }
        }
    }
    let mut first_stdin = children[0].stdin.take().expect("stdin was piped");
    let mut last_stdout = children
        .last_mut()
        .and_then(|c| c.stdout.take())
        .expect("stdout was piped");
    let output = std::thread::scope(|scope| {
        scope.spawn(move || {
            // A stage that stops reading early closes the pipe: not our error.
            let _ = io::Write::write_all(&mut first_stdin, input.as_bytes());
        });
        let mut output = String::new();
        io::Read::read_to_string(&mut last_stdout, &mut output).map(|_| output)
    });
    let pids = children.iter().map(|c| c.id()).collect();
    let statuses = children
        .iter_mut()
        .map(|c| c.wait().map(|s| s.code()))
        .collect::<io::Result<_>>()?;
    Ok(PipelineRun {
        output: output?,
        statuses,
        pids,
    })
    // ANCHOR_END: solution
}
