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

use nix::unistd::Pid;
use support::crash::Finished;

/// How long an isolated run may take before it is killed: generous for a loaded 2-core
/// machine, short enough that a hang costs seconds.
const LIMIT: Duration = Duration::from_secs(5);

/// Runs the test `path` (`grading::<stem>::<name>`) again, alone, in a new process where
/// [`support::crash::is_rerun`] is true, and returns what it printed. Fails the calling
/// test unless the run passed, with the isolated copy's own panic message first, or if a
/// report came twice (then a forked child went on to run the test's own code).
pub fn isolated(path: &str) -> Finished {
    let run = support::crash::isolated_test(
        path,
        LIMIT,
        "does every child end (child_body never returns), does the parent wait for each \
         child exactly once, and is every pipe's write end closed so its reader sees the end?",
    );
    let mut labels = support::crash::report_labels(&run);
    assert!(
        !labels.contains(&"A_CHILD_RETURNED"),
        "a forked child returned from your function into the test's own code. Does every \
         child end with `_exit` (`child_body` does), never returning or falling through?"
    );
    labels.sort();
    for pair in labels.windows(2) {
        assert!(
            pair[0] != pair[1],
            "the test printed its report {:?} more than once: a forked child returned into \
             the test's own code. Does every child end with `_exit` (`child_body` does), \
             never returning or falling through?",
            pair[0]
        );
    }
    run
}

/// In the isolated copy, right after the learner's function returned: a process other
/// than `first` (the test's) is a forked child that returned instead of ending. It says
/// so and leaves at once, before it can run (or hang in) the test's own code.
pub fn only_in(first: Pid) {
    if nix::unistd::getpid() != first {
        report("A_CHILD_RETURNED", nix::unistd::getpid());
        // SAFETY: `_exit` ends this stray copy without running the test's destructors.
        unsafe { libc::_exit(0) }
    }
}

pub use support::crash::{report, reported};

/// This process's children, each as (start time in clock ticks, PID).
pub fn children() -> Vec<(u64, Pid)> {
    support::proc::children(std::process::id() as i32)
        .into_iter()
        .filter_map(|pid| {
            let started = support::proc::open(pid).ok()?.stat().ok()?.starttime;
            Some((started, Pid::from_raw(pid)))
        })
        .collect()
}
