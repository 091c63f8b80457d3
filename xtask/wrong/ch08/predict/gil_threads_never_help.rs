//! Wrong attempt: Believes threads under a GIL never speed anything up, sleeping ones included.
//!
//! Predict, then measure: which workloads do threads speed up under a GIL?
//!
//! Run the same work in N threads (or N processes) instead of one. The *speedup* is how
//! many times more work gets done per second. For each pair of a workload and a way of
//! running it, predict whether the speedup is about 1 (no gain: the threads take turns)
//! or about N (they really run at the same time), on a machine with at least N cores
//! that nothing else is using. The grading test measures the cases it can measure
//! reliably on a busy machine in the toy VM, and shows you the numbers when you are wrong.
//!
//! - [`Work::Cpu`]: a counting loop in bytecode, nothing but instructions.
//! - [`Work::Sleep`]: a `sleep(ms)` builtin that lets go of the interpreter lock while it
//!   blocks (as `time.sleep`, file and socket reads do in CPython).

/// What each thread or process does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Executes bytecode all the time.
    Cpu,
    /// Spends its time blocked in a builtin that releases the interpreter lock.
    Sleep,
}

/// How the N copies of the work are run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    /// N threads of one VM with a global interpreter lock.
    GilThreads,
    /// N threads of one VM without it (`Mode::NoGil`).
    NoGilThreads,
    /// N processes, each with a VM (and an interpreter lock) of its own.
    Processes,
}

/// The speedup class of N copies over one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speedup {
    /// About 1×: the copies take turns.
    AboutOne,
    /// About N×: the copies run at the same time.
    AboutN,
}

/// Your prediction for `work` run by `runner` (see the module documentation).
pub fn predict(work: Work, runner: Runner) -> Speedup {
    // ANCHOR: solution
    match runner {
        Runner::GilThreads => Speedup::AboutOne,
        _ => Speedup::AboutN,
    }
    // ANCHOR_END: solution
}
