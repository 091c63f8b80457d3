//! Grading tests for chapter 03. Each submodule grades the exercise of the same name, and
//! is compiled into both `exercises-03` (grading) and `solutions-03` (verification).
//!
//! Tests that fork run their forking part in a fresh copy of the test binary (see
//! [`isolated`]): libtest runs tests on threads, and a forked child of a threaded process
//! may only call async-signal-safe functions.

mod exit_codes;
mod fork_tree;
mod pipeline;

use std::fs::File;
use std::io::{Read, Seek};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use support::crash::{Ending, Finished, RERUN_ENV};

/// How long an isolated run may take before it is killed: generous for a loaded 2-core
/// machine, short enough that a hang costs seconds.
const LIMIT: Duration = Duration::from_secs(5);

/// Runs the test `path` (`grading::<stem>::<name>`) again, alone, in a new process where
/// [`support::crash::is_rerun`] is true, and returns what it printed. Fails the calling
/// test, with what probably happened, unless the run passed.
pub fn isolated(path: &str) -> Finished {
    let run = rerun_in_own_group(path).expect("start a copy of the test binary");
    match run.ending {
        Ending::Exited(0) => run,
        Ending::TimedOut => panic!(
            "your code did not finish within {LIMIT:?} and was killed: does every child \
             leave (child_body never returns), and does the parent wait for each child \
             exactly once?\n{}",
            indented(&run)
        ),
        ending => panic!(
            "{}\n(the isolated copy of this test {ending}; what it printed:)\n{}",
            first_panic(&run).unwrap_or("the isolated copy of this test failed"),
            indented(&run)
        ),
    }
}

/// Like `support::crash::rerun_test`, but the copy leads a process group of its own, and
/// the whole group is killed when the copy ends or runs out of time: a child your code
/// forked and never ended cannot outlive the test (it would have no parent to reap it).
fn rerun_in_own_group(path: &str) -> std::io::Result<Finished> {
    // Output goes to unnamed temporary files, not pipes: a leftover child holding a pipe
    // open would keep us waiting for its end.
    let (mut out, mut err) = (tempfile::tempfile()?, tempfile::tempfile()?);
    let start = Instant::now();
    let mut copy = Command::new(std::env::current_exe()?)
        .args(["--exact", path, "--nocapture", "--test-threads=1"])
        .env(RERUN_ENV, "1")
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(err.try_clone()?)
        .spawn()?;
    let group = Pid::from_raw(-(copy.id() as i32));
    let status = loop {
        if let Some(status) = copy.try_wait()? {
            break Some(status);
        }
        if start.elapsed() > LIMIT {
            break None;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    // Whether it finished or not, nothing it started may live on.
    let _ = kill(group, Signal::SIGKILL);
    if status.is_none() {
        copy.wait()?;
    }
    let ending = match status {
        None => Ending::TimedOut,
        Some(s) => match (s.code(), s.signal()) {
            (Some(code), _) => Ending::Exited(code),
            (None, signal) => Ending::Signaled {
                signal: signal.unwrap_or(0),
                core_dumped: s.core_dumped(),
            },
        },
    };
    let read_back = |file: &mut File| -> std::io::Result<String> {
        let mut text = String::new();
        file.rewind()?;
        file.read_to_string(&mut text)?;
        Ok(text)
    };
    Ok(Finished {
        ending,
        stdout: read_back(&mut out)?,
        stderr: read_back(&mut err)?,
        elapsed: start.elapsed(),
    })
}

/// The message of the first panic the isolated copy printed (the line after `panicked at`).
fn first_panic(run: &Finished) -> Option<&str> {
    let mut lines = run.stderr.lines().chain(run.stdout.lines());
    lines.find(|line| line.contains("' panicked at "))?;
    lines.next()
}

/// The isolated copy's output, indented so it cannot be mistaken for this test's own.
fn indented(run: &Finished) -> String {
    run.stdout
        .lines()
        .chain(run.stderr.lines())
        .map(|line| format!("    | {line}\n"))
        .collect()
}

/// In the isolated copy: prints `value` under `label` for [`reported`] to find.
pub fn report(label: &str, value: impl std::fmt::Display) {
    // libtest may have printed the test's name on the same line: the marker is unique.
    println!("\n@@{label} {value}");
}

/// What the isolated copy [`report`]ed under `label`.
pub fn reported<'a>(run: &'a Finished, label: &str) -> &'a str {
    let marker = format!("@@{label} ");
    run.stdout
        .lines()
        .find_map(|line| Some(&line[line.find(&marker)? + marker.len()..]))
        .unwrap_or_else(|| panic!("no report {label:?} in:\n{}{}", run.stdout, run.stderr))
}
