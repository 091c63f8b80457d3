//! Grading tests for chapter 09. Each submodule grades the exercise of the same name, and
//! is compiled into both `exercises-09` (grading) and `solutions-09` (verification).
//!
//! Tests that fork run their forking part in a fresh copy of the test binary (see
//! [`isolated`]): libtest runs tests on threads, and a forked child of a threaded process
//! may only call async-signal-safe functions.

mod duplex;
mod framing;
mod pass_fd;
mod shm_handoff;

use std::time::Duration;

use support::crash::Finished;

/// Runs the test `path` (`grading::<stem>::<name>`) again, alone, in a new process where
/// [`support::crash::is_rerun`] is true, killed after `limit`, and returns what it
/// printed. Fails the calling test unless the run passed, with the isolated copy's own
/// panic message first.
pub fn isolated(path: &str, limit: Duration, on_timeout: &str) -> Finished {
    support::crash::isolated_test(path, limit, on_timeout)
}

pub use support::crash::{report, reported};

/// The descriptors this process has open, by number.
pub fn open_fds() -> Vec<String> {
    let mut fds: Vec<String> = std::fs::read_dir("/proc/self/fd")
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    fds.sort();
    fds
}

/// Entries of `/dev/shm` that carry this run's prefix (from `support::names`).
pub fn shm_leftovers() -> Vec<String> {
    let probe = support::names::unique("probe");
    let prefix = &probe[1..probe.rfind("probe").unwrap_or(1)];
    std::fs::read_dir("/dev/shm")
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| name.starts_with(prefix))
                .collect()
        })
        .unwrap_or_default()
}

/// Seconds of CPU this thread has used so far (user + system), from getrusage(2).
pub fn thread_cpu() -> Duration {
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_THREAD)
        .expect("getrusage(RUSAGE_THREAD)");
    let micros = |t: nix::sys::time::TimeVal| t.tv_sec() as u64 * 1_000_000 + t.tv_usec() as u64;
    Duration::from_micros(micros(usage.user_time()) + micros(usage.system_time()))
}
