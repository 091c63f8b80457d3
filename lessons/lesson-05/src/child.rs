//! A forked child that is always reaped: killed and waited for when dropped, so a panic in
//! the lesson never leaves a child running or a zombie behind.
//!
//! Chapter 03's owner is writing the shared version of this guard (`support::child`); this
//! minimal private copy is to be replaced by it once it exists.

use std::panic::{AssertUnwindSafe, catch_unwind};

use anyhow::{Context, Result};
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork};

/// Exit status of a child whose body panicked (Rust's own status for a panicking `main`).
pub const PANICKED: i32 = 101;

/// A running child process, reaped on drop.
#[derive(Debug)]
pub struct Child {
    pid: Pid,
    reaped: bool,
}

impl Child {
    /// Forks; the child runs `body` and leaves with its return value as exit status
    /// (`PANICKED` if it panicked) without returning into the parent's code.
    pub fn fork(body: impl FnOnce() -> i32) -> Result<Child> {
        support::threads::assert_single_threaded("Child::fork");
        Self::fork_checked_by_caller(body)
    }

    /// [`Child::fork`] without the check, for timing loops: reading `/proc/self/task` on
    /// every run would be timed too. The caller asserts single-threadedness once, first.
    pub fn fork_checked_by_caller(body: impl FnOnce() -> i32) -> Result<Child> {
        // SAFETY: the process has exactly one thread (checked by `fork` or, before its
        // loop, by the caller), so no lock can be held by another thread at the moment of
        // the fork; the child runs `body` and leaves with `_exit`, never returning into
        // the caller's code.
        match unsafe { fork() }.context("fork failed")? {
            ForkResult::Parent { child } => Ok(Child {
                pid: child,
                reaped: false,
            }),
            ForkResult::Child => {
                let code = catch_unwind(AssertUnwindSafe(body)).unwrap_or(PANICKED);
                // SAFETY: _exit ends the child at once, skipping the parent's destructors
                // and atexit handlers, which must run once, in the parent only.
                unsafe { libc::_exit(code) }
            }
        }
    }

    pub fn pid(&self) -> Pid {
        self.pid
    }

    /// Waits for the child to end and collects its status (reaping it).
    pub fn wait(mut self) -> Result<WaitStatus> {
        let status = waitpid(self.pid, None).context("waitpid failed")?;
        self.reaped = true;
        Ok(status)
    }

    /// Waits until the child has ended *without* collecting its status, so it stays a
    /// zombie that can be looked at in /proc.
    pub fn wait_until_ended(&self) -> Result<()> {
        nix::sys::wait::waitid(
            nix::sys::wait::Id::Pid(self.pid),
            WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT,
        )
        .context("waitid failed")?;
        Ok(())
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        if !self.reaped {
            kill(self.pid, Signal::SIGKILL).ok();
            waitpid(self.pid, None).ok();
        }
    }
}
