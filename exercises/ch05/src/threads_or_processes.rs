//! Exercise `threads_or_processes`: choose threads or processes for a workload — and let
//! a measurement check the choice.
//!
//! Chapter 05 measured both sides on your machine:
//!
//! - **Failure.** A segfault or `abort()` in a thread ends the whole process; in a child
//!   process it ends only the child, and the parent reads why from `waitpid`.
//! - **Start cost.** Creating and joining a thread is many times cheaper than forking and
//!   waiting for a process.
//! - **Sharing.** A thread reads the caller's data in place (a pointer); a process that
//!   was not forked with the data must receive a copy (a pipe, a socket).
//!
//! So: when a task's crash must not take the caller with it — because the task runs code
//! known to crash, or code nobody vetted — the answer is a process, whatever it costs.
//! Otherwise threads are cheaper to start and to feed.
//!
//! The grading test runs each workload your way: a crash-prone one in a throwaway
//! "caller" that must survive a crashing task, a plain one timed with threads and with
//! processes, where your choice must not be the slower one.
//!
//! Your code goes between each `// ANCHOR: solution_…` line below and its
//! `// ANCHOR_END: solution_…`, in place of `todo!()`. To Rust they are ordinary comments;
//! they mark the parts of the file that are yours (the reference solution in `solutions/`
//! differs from this file only there), so leave them where they are.

/// How to run a workload's tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// One thread per task, in the caller's process.
    Threads,
    /// One child process per task.
    Processes,
}

/// What we know about a workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Workload {
    /// A short description.
    pub name: &'static str,
    /// How many independent tasks it splits into.
    pub tasks: usize,
    /// Bytes of the caller's data each task reads.
    pub input_bytes: usize,
    /// A task may crash (segfault in native code, `abort()`), and the caller must survive
    /// it.
    pub may_crash: bool,
    /// The tasks run code nobody vetted (plug-ins, user scripts): they must not be able to
    /// read or corrupt the caller's memory.
    pub untrusted: bool,
}

/// Chooses how to run `workload`:
///
/// - [`Choice::Processes`] when a task may crash or runs untrusted code — isolation is
///   the requirement, not an optimisation;
/// - otherwise [`Choice::Threads`]: cheaper to start, and they read the input in place.
pub fn choose(workload: &Workload) -> Choice {
    // ANCHOR: solution_choose
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution_choose
}
