//! Exercise `child_result`: run a job in a child process, and turn how it ended into a
//! `Result`.
//!
//! A job that might crash is safest in a process of its own: if it segfaults or aborts,
//! only the child dies, and the parent learns what happened from `waitpid`, which reports
//! either an exit status (the child called `exit(code)`) or the signal that killed it.
//!
//! ```text
//! parent ── fork ──► child: runs the job ── _exit(code) or killed by a signal
//!    │                                              │
//!    └──────────── waitpid(child) ◄─────────────────┘  Exited(pid, code) | Signaled(pid, sig, core)
//! ```
//!
//! Two rules for the child: it must never return into the parent's code (leave with
//! `libc::_exit`, which also skips destructors that belong to the parent), and a panic in
//! the job must not escape (catch it with `std::panic::catch_unwind` and exit with 101,
//! the status Rust gives a program whose `main` panicked).
//!
//! Your code goes between each `// ANCHOR: solution_…` line below and its
//! `// ANCHOR_END: solution_…`, in place of `todo!()`. To Rust they are ordinary comments;
//! they mark the parts of the file that are yours (the reference solution in `solutions/`
//! differs from this file only there), so leave them where they are.

use nix::sys::signal::Signal;
use nix::sys::wait::WaitStatus;

/// The exit status of a child whose job panicked.
pub const PANICKED: i32 = 101;

/// How a job in a child process failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobError {
    /// The child exited with a non-zero status.
    Failed { code: i32 },
    /// A signal killed the child.
    Killed { signal: Signal, core_dumped: bool },
    /// `fork` or `waitpid` failed, or `waitpid` reported something that is not an ending
    /// (a stopped or continued child); the text says which.
    System(String),
}

/// Turns what `waitpid` reported into a `Result`:
///
/// - `Exited(_, 0)` → `Ok(())`;
/// - `Exited(_, code)` → `Err(JobError::Failed { code })`;
/// - `Signaled(_, signal, core_dumped)` → `Err(JobError::Killed { signal, core_dumped })`;
/// - anything else → `Err(JobError::System(..))` with the status in the text
///   (`format!("not an ending: {status:?}")`).
pub fn outcome(status: WaitStatus) -> Result<(), JobError> {
    // ANCHOR: solution_outcome
    match status {
        WaitStatus::Exited(_, 0) => Ok(()),
        WaitStatus::Exited(_, code) => Err(JobError::Failed { code }),
        WaitStatus::Signaled(_, signal, core_dumped) => Err(JobError::Killed {
            signal,
            core_dumped,
        }),
        other => Err(JobError::System(format!("not an ending: {other:?}"))),
    }
    // ANCHOR_END: solution_outcome
}

/// Runs `job` in a forked child process and reports how the child ended.
///
/// - In the child: run `job` inside `std::panic::catch_unwind`; its return value is the
///   exit status, or [`PANICKED`] if it panicked; leave with `libc::_exit(status)`.
/// - In the parent: `nix::sys::wait::waitpid(child, None)` and [`outcome`].
/// - `fork` or `waitpid` failing → [`JobError::System`] with the error's text.
///
/// The child must always be waited for, so no zombie is left behind.
pub fn run_in_child(job: fn() -> i32) -> Result<(), JobError> {
    // ANCHOR: solution_run_in_child
    use nix::unistd::{ForkResult, fork};
    // SAFETY: the child runs only `job` and then `_exit`s; the callers (and the grading
    // tests) fork from a process whose other threads hold no locks.
    match unsafe { fork() } {
        Err(error) => Err(JobError::System(format!("fork failed: {error}"))),
        Ok(ForkResult::Child) => {
            let status = std::panic::catch_unwind(job).unwrap_or(PANICKED);
            // SAFETY: ends the child at once, without running the parent's destructors.
            unsafe { libc::_exit(status) }
        }
        Ok(ForkResult::Parent { child }) => match nix::sys::wait::waitpid(child, None) {
            Ok(status) => outcome(status),
            Err(error) => Err(JobError::System(format!("waitpid failed: {error}"))),
        },
    }
    // ANCHOR_END: solution_run_in_child
}
