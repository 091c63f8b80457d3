//! Exercise `panicking_worker`: catch a panicking worker thread and say which one failed.
//!
//! In Rust, a panic in a spawned thread unwinds that thread only. The process lives on,
//! and the thread's `JoinHandle::join()` returns `Err(payload)` instead of `Ok(value)`.
//! The payload is a `Box<dyn Any + Send>`: for `panic!("disk full")` it holds a
//! `&'static str`; for `panic!("bad input {}", 7)` (a formatted message) a `String`; for
//! `std::panic::panic_any(42)` whatever was passed. `downcast_ref::<T>()` asks "is it a T?".
//!
//! (A segfault or `abort()` is different: it ends the whole process, and no `join` ever
//! returns. This exercise is about panics only.)
//!
//! Your code goes between each `// ANCHOR: solution_…` line below and its
//! `// ANCHOR_END: solution_…`, in place of `todo!()`. To Rust they are ordinary comments;
//! they mark the parts of the file that are yours (the reference solution in `solutions/`
//! differs from this file only there), so leave them where they are.

use std::any::Any;

/// A job for one worker thread.
pub type Job = Box<dyn FnOnce() -> u64 + Send>;

/// Which worker failed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerFailure {
    /// The worker's position in `jobs` (0-based).
    pub index: usize,
    /// The worker thread's name: `worker-<index>`.
    pub name: String,
    /// The panic message, or [`NOT_TEXT`] if the payload was neither `&str` nor `String`.
    pub message: String,
}

/// The message used for a panic whose payload is not text.
pub const NOT_TEXT: &str = "a panic payload that is not text";

/// The text of a panic payload: the `&str` or `String` it holds, else [`NOT_TEXT`].
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    // ANCHOR: solution_panic_message
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        NOT_TEXT.to_owned()
    }
    // ANCHOR_END: solution_panic_message
}

/// Runs each job on a thread of its own, named `worker-<index>` (use
/// `std::thread::Builder::new().name(..)`), starting them all before joining any. Returns
/// one entry per job, in order: `Ok(value)` or `Err(WorkerFailure)` for a job that
/// panicked. A failed `spawn` counts as a failure of that worker, with the error's text
/// as its message.
pub fn run_workers(jobs: Vec<Job>) -> Vec<Result<u64, WorkerFailure>> {
    // ANCHOR: solution_run_workers
    let handles: Vec<_> = jobs
        .into_iter()
        .enumerate()
        .map(|(index, job)| {
            let name = format!("worker-{index}");
            let handle = std::thread::Builder::new().name(name.clone()).spawn(job);
            (index, name, handle)
        })
        .collect();
    handles
        .into_iter()
        .map(|(index, name, handle)| {
            let failure = |message| WorkerFailure {
                index,
                name: name.clone(),
                message,
            };
            match handle {
                Err(error) => Err(failure(error.to_string())),
                Ok(handle) => handle
                    .join()
                    .map_err(|payload| failure(panic_message(payload.as_ref()))),
            }
        })
        .collect()
    // ANCHOR_END: solution_run_workers
}

/// One line naming the failed workers, e.g. `"2 of 5 workers failed: worker-1 (disk
/// full), worker-3 (bad input 7)"`, or `"all 5 workers succeeded"`.
pub fn failure_report(results: &[Result<u64, WorkerFailure>]) -> String {
    // ANCHOR: solution_failure_report
    let failures: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(|f| format!("{} ({})", f.name, f.message))
        .collect();
    if failures.is_empty() {
        format!("all {} workers succeeded", results.len())
    } else {
        format!(
            "{} of {} workers failed: {}",
            failures.len(),
            results.len(),
            failures.join(", ")
        )
    }
    // ANCHOR_END: solution_failure_report
}
