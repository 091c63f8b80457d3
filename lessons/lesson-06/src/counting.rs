//! Step 1: counting switches. A thread that sleeps and a thread that spins share one core;
//! the kernel counts, per thread, the switches it made by giving the core up (voluntary:
//! it blocked or slept) and the ones forced on it (involuntary: it was preempted).

use std::sync::Barrier;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use support::{affinity, fmt, table::Table};

/// Voluntary and involuntary switch counts, from one source at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Switches {
    pub voluntary: u64,
    pub involuntary: u64,
}

impl Switches {
    fn since(self, before: Self) -> Self {
        Self {
            voluntary: self.voluntary - before.voluntary,
            involuntary: self.involuntary - before.involuntary,
        }
    }
}

// ANCHOR: counters
/// The two counters of one task, from `/proc/self/task/<tid>/status` (or, for `None`,
/// `/proc/self/status`, which shows the main thread's own counters, not the sum).
fn from_proc(tid: Option<i32>) -> Result<Switches> {
    let path = match tid {
        Some(tid) => format!("/proc/self/task/{tid}/status"),
        None => "/proc/self/status".to_owned(),
    };
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    let field = |name: &str| -> Result<u64> {
        let line = text.lines().find(|l| l.starts_with(name));
        let value = line.and_then(|l| l.split_whitespace().nth(1));
        value
            .and_then(|v| v.parse().ok())
            .context("no switch counters")
    };
    Ok(Switches {
        voluntary: field("voluntary_ctxt_switches:")?,
        involuntary: field("nonvoluntary_ctxt_switches:")?,
    })
}

/// The same counters from `getrusage`: `RUSAGE_THREAD` for the calling thread alone,
/// `RUSAGE_SELF` for every thread of the process, those that ended included.
fn from_getrusage(who: libc::c_int) -> Switches {
    // SAFETY: getrusage fills the struct it is given; zeroed is a valid rusage.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable rusage; `who` is RUSAGE_SELF or RUSAGE_THREAD.
    unsafe { libc::getrusage(who, &mut usage) };
    Switches {
        voluntary: usage.ru_nvcsw as u64,
        involuntary: usage.ru_nivcsw as u64,
    }
}
// ANCHOR_END: counters

/// What one worker thread counted about itself.
struct Counted {
    tid: i32,
    proc: Switches,
    rusage: Switches,
}

/// Runs `body` on `cpu`, counting this thread's switches around it both ways.
fn counted(cpu: usize, start: &Barrier, body: impl FnOnce()) -> Result<Counted> {
    affinity::pin_to(cpu)?;
    let tid = support::threads::tid();
    start.wait();
    let (proc0, rusage0) = (from_proc(Some(tid))?, from_getrusage(libc::RUSAGE_THREAD));
    body();
    let (proc1, rusage1) = (from_proc(Some(tid))?, from_getrusage(libc::RUSAGE_THREAD));
    Ok(Counted {
        tid,
        proc: proc1.since(proc0),
        rusage: rusage1.since(rusage0),
    })
}

pub fn show(naps: u32) -> Result<()> {
    fmt::step("1. Counting switches");
    let cpu = affinity::two_cpus()?.0;
    let nap = Duration::from_millis(2);
    let (whole0, main0) = (from_getrusage(libc::RUSAGE_SELF), from_proc(None)?);
    let started = Instant::now();
    let done = AtomicBool::new(false);
    let start = Barrier::new(2);
    let (sleeper, spinner) = std::thread::scope(|s| {
        let sleeper = s.spawn(|| {
            counted(cpu, &start, || {
                for _ in 0..naps {
                    std::thread::sleep(nap);
                }
                done.store(true, Ordering::Relaxed);
            })
        });
        let spinner = s.spawn(|| {
            counted(cpu, &start, || {
                while !done.load(Ordering::Relaxed) {
                    std::hint::spin_loop();
                }
            })
        });
        (sleeper.join(), spinner.join())
    });
    let (sleeper, spinner) = (sleeper.expect("no panic")?, spinner.expect("no panic")?);
    let took = started.elapsed();
    let whole = from_getrusage(libc::RUSAGE_SELF).since(whole0);
    let main = from_proc(None)?.since(main0);
    println!(
        "  Both threads pinned to CPU {cpu} for {}: the sleeper naps {naps} × {}, the spinner\n  \
         loops until the sleeper is done. Switches during the run (after − before):\n",
        fmt::duration(took),
        fmt::duration(nap)
    );
    let mut t = Table::new(["thread", "read from", "voluntary", "involuntary"])
        .right(2)
        .right(3);
    let row = |t: &mut Table, who: &str, from: &str, s: Switches| {
        t.row([
            who,
            from,
            &s.voluntary.to_string(),
            &s.involuntary.to_string(),
        ]);
    };
    for (who, c) in [("sleeper", &sleeper), ("spinner", &spinner)] {
        let tid = c.tid;
        row(
            &mut t,
            who,
            &format!("/proc/self/task/{tid}/status"),
            c.proc,
        );
        row(&mut t, "", "getrusage(RUSAGE_THREAD)", c.rusage);
    }
    row(&mut t, "all threads", "getrusage(RUSAGE_SELF)", whole);
    row(&mut t, "main only", "/proc/self/status", main);
    print!("{t}");
    fmt::note(
        "voluntary: the thread blocked (sleep, read, a lock) and gave the core up itself.\n\
         involuntary: the scheduler took the core away while the thread could still run.\n\
         RUSAGE_SELF sums every thread; /proc/self/status is the main thread's own count\n\
         (it only waited in join here).",
    );
    let sleeper_io = sleeper.proc.voluntary >= u64::from(naps);
    support::checks::invariant(
        "the sleeper switched voluntarily at least once per nap",
        sleeper_io,
    );
    support::checks::invariant(
        "the spinner never gave the core up by itself",
        spinner.proc.voluntary == 0,
    );
    Ok(())
}
