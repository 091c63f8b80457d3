//! Reading a process's facts from `/proc`, with errors that say what went wrong.
//!
//! The parsing itself is done by the well-kept [`procfs`] crate (re-exported here so every
//! lesson uses the same version); this module adds the two things a learner needs on top:
//! errors that name the PID and the likely cause, and plain-English names for states.

use std::fmt;

pub use procfs;
use procfs::ProcError;
use procfs::process::Process;

/// Why a process's facts could not be read.
#[derive(Debug)]
pub enum ProcessError {
    /// No such process: it never existed, or it has exited (and been reaped) since.
    NotFound { pid: i32 },
    /// The process exists but belongs to someone else, and the kernel hides this file.
    PermissionDenied { pid: i32, what: String },
    /// Anything else `/proc` reported, with the file it was reading.
    Other {
        pid: i32,
        what: String,
        detail: String,
    },
}

impl fmt::Display for ProcessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound { pid } => write!(
                f,
                "no process with PID {pid} (it may have exited; `ps -e` lists the PIDs that exist now)"
            ),
            Self::PermissionDenied { pid, what } => write!(
                f,
                "may not read {what} of PID {pid}: permission denied (it belongs to another user; \
                 run as that user, or pick one of your own processes)"
            ),
            Self::Other { pid, what, detail } => {
                write!(f, "could not read {what} of PID {pid}: {detail}")
            }
        }
    }
}

impl std::error::Error for ProcessError {}

/// Turns a [`ProcError`] into a [`ProcessError`] that names the PID and what was being read.
pub fn explain(pid: i32, what: &str, err: ProcError) -> ProcessError {
    match err {
        ProcError::NotFound(_) => ProcessError::NotFound { pid },
        ProcError::PermissionDenied(_) => ProcessError::PermissionDenied {
            pid,
            what: what.to_owned(),
        },
        other => ProcessError::Other {
            pid,
            what: what.to_owned(),
            detail: other.to_string(),
        },
    }
}

/// Opens `/proc/<pid>`, failing with [`ProcessError::NotFound`] when there is no such process.
pub fn open(pid: i32) -> Result<Process, ProcessError> {
    if pid <= 0 {
        return Err(ProcessError::NotFound { pid });
    }
    Process::new(pid).map_err(|e| explain(pid, "/proc/<pid>", e))
}

/// The PID of `pid`'s parent, read from `/proc/<pid>/stat` (0 for PID 1 and kernel roots).
pub fn parent_pid(pid: i32) -> Result<i32, ProcessError> {
    let stat = open(pid)?
        .stat()
        .map_err(|e| explain(pid, "/proc/<pid>/stat", e))?;
    Ok(stat.ppid)
}

/// The short name the kernel keeps for a process (`comm`, at most 15 bytes).
pub fn command_name(pid: i32) -> Result<String, ProcessError> {
    let stat = open(pid)?
        .stat()
        .map_err(|e| explain(pid, "/proc/<pid>/stat", e))?;
    Ok(stat.comm)
}

/// What the one-letter state in `/proc/<pid>/stat` means.
pub fn state_name(state: char) -> &'static str {
    match state {
        'R' => "running or ready to run",
        'S' => "sleeping (waiting for an event, can be woken)",
        'D' => "in uninterruptible wait (usually disk I/O)",
        'Z' => "zombie (exited, waiting for its parent to collect the status)",
        'T' => "stopped by a signal",
        't' => "stopped by a debugger",
        'X' | 'x' => "dead",
        'I' => "idle kernel thread",
        'P' => "parked",
        'W' => "paging or waking",
        'K' => "wake-kill",
        _ => "unknown state",
    }
}

/// The kernel's page size in bytes.
pub fn page_size() -> u64 {
    procfs::page_size()
}

/// Clock ticks per second, the unit of `utime` and `stime` in `/proc/<pid>/stat`.
pub fn ticks_per_second() -> u64 {
    procfs::ticks_per_second()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_parent_is_readable() {
        let me = std::process::id() as i32;
        assert_eq!(
            parent_pid(me).unwrap(),
            std::os::unix::process::parent_id() as i32
        );
    }

    #[test]
    fn missing_pid_is_not_found() {
        // PID 0 is never a user-visible process.
        assert!(matches!(open(0), Err(ProcessError::NotFound { pid: 0 })));
        let msg = ProcessError::NotFound { pid: 7 }.to_string();
        assert!(msg.contains("no process with PID 7"), "{msg}");
    }
}
