//! Grading tests for chapter 03. Each submodule grades the exercise of the same name, and
//! is compiled into both `exercises-03` (grading) and `solutions-03` (verification).
//!
//! Tests that fork run their forking part in a fresh copy of the test binary (see
//! [`isolated`]): libtest runs tests on threads, and a forked child of a threaded process
//! may only call async-signal-safe functions.

mod exit_codes;
mod fork_tree;
mod pipeline;

use std::time::Duration;

use support::crash::Finished;

/// How long an isolated run may take before it is killed: generous for a loaded 2-core
/// machine, short enough that a hang costs seconds.
const LIMIT: Duration = Duration::from_secs(5);

/// Runs the test `path` (`grading::<stem>::<name>`) again, alone, in a new process where
/// [`support::crash::is_rerun`] is true, and returns what it printed. Fails the calling
/// test unless the run passed, with the isolated copy's own panic message first.
pub fn isolated(path: &str) -> Finished {
    support::crash::isolated_test(
        path,
        LIMIT,
        "does every child leave (child_body never returns), and does the parent wait for \
         each child exactly once?",
    )
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
