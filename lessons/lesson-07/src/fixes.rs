//! Step 3: three fixes for the lost update, with their price. The same count is done with
//! the racy load-then-store, an atomic `fetch_add`, a `Mutex`, and per-thread counters
//! merged after `join`; each is checked for the right total and timed.

use std::hint::black_box;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use support::{fmt, stats, table::Table};

use crate::lost::{group, racy_increments};

// ANCHOR: fetch_add
/// Fix 1: one indivisible read-modify-write. On x86-64 this is one locked
/// instruction (`lock xadd`, or `lock inc` when the old value is unused): no
/// other core can touch the counter's cache line in between.
pub fn atomic_increments(counter: &AtomicU64, times: u64) {
    for _ in 0..times {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}
// ANCHOR_END: fetch_add

// ANCHOR: mutex
/// Fix 2: a lock around the read-modify-write. Only the thread holding the
/// guard may touch the number; the others wait in `lock()` (spinning briefly,
/// then sleeping in the kernel on a futex) until the guard is dropped at the
/// end of the statement.
pub fn locked_increments(counter: &Mutex<u64>, times: u64) {
    for _ in 0..times {
        *counter.lock().unwrap() += 1;
    }
}
// ANCHOR_END: mutex

// ANCHOR: per_thread
/// Fix 3: share nothing while counting. Each thread counts in its own local
/// variable and hands back its total; the caller adds the totals after `join`
/// (chapter 04).
pub fn per_thread_counts(threads: usize, times: u64) -> u64 {
    thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(move || {
                    let mut mine = 0u64;
                    for _ in 0..times {
                        mine += 1;
                        // Keeps the compiler from replacing the loop by `mine
                        // = times`.
                        black_box(&mut mine);
                    }
                    mine
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    })
}
// ANCHOR_END: per_thread

/// The four ways to count, in the order the table shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    Racy,
    Atomic,
    Locked,
    PerThread,
}

impl Way {
    pub const ALL: [Way; 4] = [Way::Racy, Way::Atomic, Way::Locked, Way::PerThread];

    fn name(self) -> &'static str {
        match self {
            Way::Racy => "load + store (racy)",
            Way::Atomic => "fetch_add (atomic)",
            Way::Locked => "Mutex<u64>",
            Way::PerThread => "per-thread, merged",
        }
    }
}

/// `threads` threads each add 1 `times` times the given way; returns the total.
pub fn count(way: Way, threads: usize, times: u64) -> u64 {
    match way {
        Way::PerThread => per_thread_counts(threads, times),
        Way::Locked => {
            let counter = Mutex::new(0);
            thread::scope(|s| {
                for _ in 0..threads {
                    s.spawn(|| locked_increments(&counter, times));
                }
            });
            counter.into_inner().unwrap()
        }
        Way::Atomic | Way::Racy => {
            let counter = AtomicU64::new(0);
            thread::scope(|s| {
                for _ in 0..threads {
                    s.spawn(|| match way {
                        Way::Atomic => atomic_increments(&counter, times),
                        _ => racy_increments(&counter, times),
                    });
                }
            });
            counter.into_inner()
        }
    }
}

/// Times every way with 1 thread and with `all` threads.
pub fn show(all: usize, times: u64, runs: usize) {
    fmt::step("3. Three fixes, with their price");
    fmt::note(&format!(
        "Each run: the threads are started, each adds 1 to the counter {} times, all are\n\
         joined. ns/increment = the run's time ÷ the increments ONE thread did: how long\n\
         each increment took as that thread saw it. {runs} timed runs after 1 untimed; threads are\n\
         not pinned. correct: every run's total was threads × {}.",
        group(times),
        group(times),
    ));
    let mut table = Table::new([
        "way",
        "threads",
        "ns/increment",
        "middle half",
        "min",
        "max",
        "correct",
    ])
    .right(1)
    .right(2)
    .right(3)
    .right(4)
    .right(5);
    let ns = |d: Duration| format!("{:.1}", d.as_nanos() as f64 / times as f64);
    for way in Way::ALL {
        for threads in if all > 1 { vec![1, all] } else { vec![1] } {
            let expected = threads as u64 * times;
            let mut wrong = 0;
            let summary = stats::measure(1, runs, || {
                if count(way, threads, times) != expected {
                    wrong += 1;
                }
            });
            table.row([
                way.name().to_string(),
                threads.to_string(),
                ns(summary.median),
                format!("{}–{}", ns(summary.q1), ns(summary.q3)),
                ns(summary.min),
                ns(summary.max),
                if wrong == 0 {
                    "yes".to_string()
                } else {
                    format!("NO in {wrong} of {}", runs + 1)
                },
            ]);
        }
    }
    print!("{table}");
    fmt::note(
        "Published, for scale (not this machine): Travis Downs, \"A Concurrency Cost\n\
         Hierarchy\" (2020, Skylake), ns per increment — 1 thread: plain 2.2, atomic 7.0,\n\
         mutex 20.9; 4 threads: atomic 96, mutex 276.",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_fixes_count_everything() {
        for way in [Way::Atomic, Way::Locked, Way::PerThread] {
            assert_eq!(count(way, 3, 20_000), 60_000, "{way:?}");
        }
        assert_eq!(count(Way::Racy, 1, 20_000), 20_000);
    }
}
