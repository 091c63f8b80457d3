//! CPU-bound or I/O-bound? What a task's switch counters and CPU time say about it.
//!
//! The kernel counts, for every task (thread), the context switches it made in two kinds
//! (chapter 06, step 1): **voluntary**, when the task blocked (it slept, waited for a pipe,
//! a disk, a lock) and gave the core up itself; and **involuntary**, when the scheduler
//! took the core from a task that could have gone on running. It also adds up how long
//! the task has run on a CPU, in nanoseconds. All three are in `/proc`:
//!
//! - `/proc/<pid>/task/<tid>/status` has the two counters, one per line, a name, a colon,
//!   a tab (shown here as spaces), and the number:
//!
//!   ```text
//!   voluntary_ctxt_switches:        50
//!   nonvoluntary_ctxt_switches:     3
//!   ```
//!
//! - `/proc/<pid>/task/<tid>/schedstat` is one line of three numbers separated by spaces:
//!   the time the task has spent on a CPU (ns), the time it has spent waiting to run (ns),
//!   and how many times it was given a CPU (see the kernel's
//!   Documentation/scheduler/sched-stats.rst).
//!
//! The counters only grow, so what a task did during a stretch of time is the difference
//! between two readings. A task that mostly blocks is **I/O-bound** (waiting is what it
//! does); one that mostly has the core taken from it is **CPU-bound**.
//!
//! Your code goes between each `// ANCHOR: solution_…` line below and its
//! `// ANCHOR_END: solution_…`, in place of `todo!()`. To Rust they are ordinary comments;
//! they mark the parts of the file that are yours (the reference solution in `solutions/`
//! differs from this file only there), so leave them where they are.

use std::io;
use std::time::Duration;

/// One reading of a task's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// `voluntary_ctxt_switches`: times the task blocked and gave the core up.
    pub voluntary: u64,
    /// `nonvoluntary_ctxt_switches`: times the scheduler took the core away.
    pub involuntary: u64,
    /// Time on a CPU: the first number of `schedstat`.
    pub on_cpu: Duration,
}

impl Counters {
    /// What happened between `before` and `self` (a later reading of the same task).
    pub fn since(self, before: Counters) -> Counters {
        Counters {
            voluntary: self.voluntary - before.voluntary,
            involuntary: self.involuntary - before.involuntary,
            on_cpu: self.on_cpu.saturating_sub(before.on_cpu),
        }
    }
}

/// What a task was doing during a stretch of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// It mostly had the core taken from it: it wanted to run more than it could.
    CpuBound,
    /// It mostly gave the core up itself: it spent its time waiting.
    IoBound,
    /// Both kinds of switch, neither twice the other.
    Mixed,
    /// No switch and little CPU time: it was asleep or blocked the whole time.
    Idle,
}

/// The two switch counters from the text of a `status` file, as
/// `(voluntary, involuntary)`. Each is on its own line: the field's whole name, a colon,
/// whitespace, a number. Beware: `voluntary_ctxt_switches` is the end of
/// `nonvoluntary_ctxt_switches`, so match a line by how it *starts*, and do not count on
/// the order of the lines. `None` when either line is missing or its value is not a
/// number.
pub fn parse_status(text: &str) -> Option<(u64, u64)> {
    // ANCHOR: solution_parse_status
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution_parse_status
}

/// The time on a CPU from the text of a `schedstat` file: its first number, in
/// nanoseconds. `None` when the text does not start with a number.
pub fn parse_schedstat(text: &str) -> Option<Duration> {
    // ANCHOR: solution_parse_schedstat
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution_parse_schedstat
}

/// Reads task `tid` of process `pid` now: its `status` and `schedstat` under
/// `/proc/<pid>/task/<tid>/`. A file that cannot be read is that error; a file without
/// the fields is an error of kind [`io::ErrorKind::InvalidData`].
pub fn read(pid: i32, tid: i32) -> io::Result<Counters> {
    // ANCHOR: solution_read
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution_read
}

/// What a task did, from `change` (the difference of two readings, see
/// [`Counters::since`]) over `wall`, the real time between the two readings. The rules,
/// in this order:
///
/// 1. No switch of either kind: [`Kind::CpuBound`] if it was on a CPU for at least half
///    of `wall` (it had a core to itself and never let go), otherwise [`Kind::Idle`].
/// 2. Voluntary switches at least twice the involuntary ones: [`Kind::IoBound`].
/// 3. Involuntary switches at least twice the voluntary ones: [`Kind::CpuBound`].
/// 4. Otherwise [`Kind::Mixed`].
pub fn classify(change: Counters, wall: Duration) -> Kind {
    // ANCHOR: solution_classify
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution_classify
}
