//! Exercise `task_ids`: find your threads among the kernel's tasks.
//!
//! To the Linux kernel a thread is a *task* with its own ID, the TID, which the system call
//! `gettid()` returns (`nix::unistd::gettid()`). The threads of one process share its PID,
//! and the main thread's TID *is* the PID. The kernel lists a process's tasks as the
//! directories of `/proc/<pid>/task/` — for the calling process, `/proc/self/task/`:
//!
//! ```text
//! $ ls /proc/self/task        (for a process with PID 4242 and two more threads)
//! 4242  4243  4244
//! ```
//!
//! Your code goes between each `// ANCHOR: solution_…` line below and its
//! `// ANCHOR_END: solution_…`, in place of `todo!()`. To Rust they are ordinary comments;
//! they mark the parts of the file that are yours (the reference solution in `solutions/`
//! differs from this file only there), so leave them where they are.

use std::io;

/// The calling thread's kernel thread ID (what `gettid()` returns).
pub fn current_tid() -> i32 {
    // ANCHOR: solution_current_tid
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution_current_tid
}

/// The TIDs of this process's tasks right now: the names of the entries of
/// `/proc/self/task`, parsed as numbers, sorted ascending. Errors reading the directory
/// are returned; an entry whose name is not a number is skipped.
pub fn listed_tasks() -> io::Result<Vec<i32>> {
    // ANCHOR: solution_listed_tasks
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution_listed_tasks
}

/// What [`spawn_and_report`] saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskReport {
    /// This process's PID (`std::process::id()`).
    pub pid: i32,
    /// The TID of the thread that called `spawn_and_report`.
    pub caller_tid: i32,
    /// Each worker's TID, as the worker itself reported it, in the order started.
    pub worker_tids: Vec<i32>,
    /// [`listed_tasks`], read while every worker was still alive.
    pub listed: Vec<i32>,
}

/// Starts `workers` threads. Each one sends its own [`current_tid`] back (use an
/// `std::sync::mpsc` channel) and then *waits* until the caller says it may finish — a
/// finished thread is no longer a task, so it must still be alive when the caller reads
/// [`listed_tasks`]. Then the caller releases every worker, joins them all, and returns
/// the report.
///
/// Release the workers even when reading the list failed, or the join never returns.
pub fn spawn_and_report(workers: usize) -> io::Result<TaskReport> {
    // ANCHOR: solution_spawn_and_report
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution_spawn_and_report
}

/// Checks a report: true when the workers' TIDs are all different, none of them is the
/// PID or the caller's TID, and every one of them is in `listed`.
pub fn workers_belong(report: &TaskReport) -> bool {
    // ANCHOR: solution_workers_belong
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution_workers_belong
}
