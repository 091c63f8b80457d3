//! Step 1: lost updates, live. Several threads add 1 to one shared counter by reading it
//! and writing it back in two separate steps, first all pinned to one core, then spread
//! over every core, and the lesson counts what went missing.

use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use anyhow::{Context, Result};
use nix::sys::resource::{UsageWho, getrusage};
use support::affinity::{allowed, pin_to};
use support::{fmt, table::Table};

// ANCHOR: racy_increments
/// Adds 1 to `counter`, `times` times, in two steps: read, then write back
/// what was read plus one. Each step is atomic on its own; the pair is not.
/// Safe Rust, no undefined behaviour — and still a race: another thread's
/// write between the two is overwritten.
pub fn racy_increments(counter: &AtomicU64, times: u64) {
    for _ in 0..times {
        let seen = counter.load(Ordering::Relaxed);
        counter.store(seen + 1, Ordering::Relaxed);
    }
}
// ANCHOR_END: racy_increments

/// What one run of the racy counter ended with.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub counted: u64,
    /// Involuntary context switches of the counting threads during their loops (each
    /// thread's own `getrusage(RUSAGE_THREAD)`): how often one was taken off its CPU.
    pub preempted: i64,
}

/// `threads` threads, thread `i` pinned to `cpu_of(i)`, each doing `times` racy
/// increments; they start together at a barrier.
pub fn race(threads: usize, times: u64, cpu_of: impl Fn(usize) -> usize + Sync) -> Result<Run> {
    let counter = AtomicU64::new(0);
    let start = Barrier::new(threads);
    let preempted = thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|i| {
                let (counter, start, cpu) = (&counter, &start, cpu_of(i));
                s.spawn(move || -> Result<i64> {
                    pin_to(cpu).context("pinning a counting thread (sched_setaffinity)")?;
                    start.wait();
                    let before = getrusage(UsageWho::RUSAGE_THREAD)?.involuntary_context_switches();
                    racy_increments(counter, times);
                    let after = getrusage(UsageWho::RUSAGE_THREAD)?.involuntary_context_switches();
                    Ok(after - before)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a counting thread panicked"))
            .sum::<Result<i64>>()
    })?;
    Ok(Run {
        counted: counter.into_inner(),
        preempted,
    })
}

/// Lost updates in `runs` runs of each size, pinned to one core and spread.
pub fn show(threads: usize, sizes: [u64; 2], runs: usize) -> Result<()> {
    fmt::step("1. Lost updates, live");
    let cpus = allowed().context("sched_getaffinity")?;
    fmt::note(&format!(
        "{threads} threads each add 1 to one shared counter, by a load and then a store\n\
         (racy_increments); they start together at a barrier. pinned: every thread on CPU\n\
         {} (sched_setaffinity); spread: thread i on CPU i mod {} (CPUs {cpus:?}).\n\
         lost = expected - counted, in each of {runs} runs; preempted: involuntary context\n\
         switches of the counting threads during their loops (getrusage), all runs.",
        cpus[0],
        cpus.len(),
    ));
    let mut table = Table::new([
        "per thread",
        "where",
        "lost, % of expected, each run",
        "median lost",
        "preempted",
    ])
    .right(0)
    .right(3)
    .right(4);
    // A pinned run that nobody preempted cannot lose: one core ran one thread at a time.
    let mut unpreempted_pinned_lost = 0;
    let mut longest_spread_lost = (0, 0); // (median lost, per-thread size)
    for times in sizes {
        let expected = threads as u64 * times;
        for (name, spread) in [("pinned", false), ("spread", true)] {
            let (mut lost, mut preempted) = (Vec::new(), 0);
            for _ in 0..runs {
                let run = if spread {
                    race(threads, times, |i| cpus[i % cpus.len()])?
                } else {
                    race(threads, times, |_| cpus[0])?
                };
                lost.push((expected - run.counted) as f64);
                preempted += run.preempted;
                if !spread && run.preempted == 0 {
                    unpreempted_pinned_lost += expected - run.counted;
                }
            }
            let each: Vec<String> = lost
                .iter()
                .map(|l| format!("{:.1}", 100.0 * l / expected as f64))
                .collect();
            let median = support::stats::median(&mut lost).unwrap_or(0.0) as u64;
            if spread {
                longest_spread_lost = (median, times);
            }
            table.row([
                group(times),
                name.to_string(),
                each.join(" "),
                group(median),
                preempted.to_string(),
            ]);
        }
    }
    print!("{table}");
    if cpus.len() == 1 {
        fmt::note("This process may use one CPU only, so \"spread\" is pinned too.");
    }
    support::checks::invariant(
        "pinned runs that were never preempted lost nothing",
        unpreempted_pinned_lost == 0,
    );
    let (median, times) = longest_spread_lost;
    support::checks::expectation(
        "spread over cores, the longer runs lose updates",
        &format!(
            "median lost at {} per thread, spread: {}",
            group(times),
            group(median)
        ),
        median > 0,
        "The threads lose updates only while they run at the same moment: when other \
         programs hold the other cores, or when there is one CPU, they take turns instead.",
    );
    fmt::note(
        "pinned: one core runs one thread at a time, so a load and its store are split only\n\
         when the scheduler preempts the thread between the two. A thread that finishes\n\
         within its time slice loses nothing; a preemption that falls in that gap loses, at\n\
         the store, everything the other threads added meanwhile: rare, but in bursts.\n\
         spread: the threads run at the same moment on different cores, and their loads\n\
         and stores cross all the time, preempted or not.",
    );
    Ok(())
}

/// 1234567 → "1,234,567".
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_thread_never_loses() {
        let run = race(1, 10_000, |_| allowed().unwrap()[0]).unwrap();
        assert_eq!(run.counted, 10_000);
        assert_eq!(group(1_234_567), "1,234,567");
        assert_eq!(group(12), "12");
    }
}
