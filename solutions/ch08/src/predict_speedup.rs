//! Predict, then measure: which workloads do threads speed up under a GIL?
//!
//! Run the same work in several copies — threads, or processes — instead of one. The
//! *speedup* is how many times as much work gets done per second. Predict it for a
//! workload, a way of running it, a number of copies and a number of cores, on a machine
//! that nothing else is using: the ideal figure, in whole copies, that real runs come
//! close to but do not pass. Copies that take turns give 1; copies that really run at the
//! same time give one copy's worth each, as far as each has what it needs to run. The
//! grading test measures the cases it can measure reliably on a busy machine in the toy
//! VM and shows you the numbers when you are wrong; it also asks about numbers of copies
//! and cores drawn fresh on each run.
//!
//! - [`Work::Cpu`]: a counting loop in bytecode, nothing but instructions.
//! - [`Work::Sleep`]: a `sleep(ms)` builtin that lets go of the interpreter lock while it
//!   blocks (as `time.sleep`, file and socket reads do in CPython).
//!
//! Your code goes between the `// ANCHOR: solution` and `// ANCHOR_END: solution` lines
//! below, in place of `todo!()`. To Rust they are ordinary comments; they mark the part of
//! the file that is yours (the reference solution in `solutions/` differs from this file
//! only there), so leave them where they are.

/// What each thread or process does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Executes bytecode all the time.
    Cpu,
    /// Spends its time blocked in a builtin that releases the interpreter lock.
    Sleep,
}

/// How the copies of the work are run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    /// Threads of one VM with a global interpreter lock.
    GilThreads,
    /// Threads of one VM without it (`Mode::NoGil`).
    NoGilThreads,
    /// Processes, each with a VM (and an interpreter lock) of its own.
    Processes,
}

/// Your prediction: the speedup of `copies` copies of `work` run by `runner` over one
/// copy, on a machine with `cores` cores and nothing else running (both at least 1).
pub fn predict(work: Work, runner: Runner, copies: usize, cores: usize) -> usize {
    // ANCHOR: solution
    match (work, runner) {
        // One interpreter lock: one thread executes bytecode at a time, whatever the cores.
        (Work::Cpu, Runner::GilThreads) => 1,
        // Each copy needs a core of its own all the time: no more at once than there are.
        (Work::Cpu, Runner::NoGilThreads | Runner::Processes) => copies.min(cores),
        // A copy asleep in a builtin that released the lock needs neither lock nor core.
        (Work::Sleep, _) => copies,
    }
    // ANCHOR_END: solution
}
