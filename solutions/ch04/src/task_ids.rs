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
    nix::unistd::gettid().as_raw()
    // ANCHOR_END: solution_current_tid
}

/// The TIDs of this process's tasks right now: the names of the entries of
/// `/proc/self/task`, parsed as numbers, sorted ascending. Errors reading the directory
/// are returned; an entry whose name is not a number is skipped.
pub fn listed_tasks() -> io::Result<Vec<i32>> {
    // ANCHOR: solution_listed_tasks
    let mut tids = Vec::new();
    for entry in std::fs::read_dir("/proc/self/task")? {
        if let Some(tid) = entry?.file_name().to_str().and_then(|n| n.parse().ok()) {
            tids.push(tid);
        }
    }
    tids.sort_unstable();
    Ok(tids)
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
    let (tid_tx, tid_rx) = std::sync::mpsc::channel();
    let mut releases = Vec::new();
    let mut handles = Vec::new();
    for index in 0..workers {
        let tid_tx = tid_tx.clone();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        releases.push(release_tx);
        handles.push(std::thread::spawn(move || {
            tid_tx.send((index, current_tid())).ok();
            // Returns when the caller drops the sender.
            release_rx.recv().ok();
        }));
    }
    drop(tid_tx);
    let mut reported: Vec<(usize, i32)> = tid_rx.iter().take(workers).collect();
    reported.sort_unstable();
    let listed = listed_tasks();
    drop(releases);
    for handle in handles {
        handle.join().expect("a worker only sends and waits");
    }
    Ok(TaskReport {
        pid: std::process::id() as i32,
        caller_tid: current_tid(),
        worker_tids: reported.into_iter().map(|(_, tid)| tid).collect(),
        listed: listed?,
    })
    // ANCHOR_END: solution_spawn_and_report
}

/// Checks a report: true when the workers' TIDs are all different, none of them is the
/// PID or the caller's TID, and every one of them is in `listed`.
pub fn workers_belong(report: &TaskReport) -> bool {
    // ANCHOR: solution_workers_belong
    let mut distinct = report.worker_tids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len() == report.worker_tids.len()
        && report.worker_tids.iter().all(|tid| {
            *tid != report.pid && *tid != report.caller_tid && report.listed.contains(tid)
        })
    // ANCHOR_END: solution_workers_belong
}
