//! False sharing: two threads, each with a counter of its own, slowed down or not by where
//! the two counters lie in memory.

use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

use anyhow::Result;
use crossbeam_utils::CachePadded;
use support::{affinity, checks, fmt, stats::Summary, table::Table};

use crate::Ctx;

/// The line size the kernel reports for CPU 0's first cache: the smallest amount of data,
/// in bytes, moved between memory and that cache (the kernel's
/// Documentation/ABI/testing/sysfs-devices-system-cpu).
const LINE_SIZE_FILE: &str = "/sys/devices/system/cpu/cpu0/cache/index0/coherency_line_size";

// ANCHOR: layouts
/// Two counters side by side, 8 bytes apart, at the start of a 64-byte-aligned block: they
/// always lie in one cache line.
#[derive(Debug, Default)]
#[repr(C, align(64))]
struct SideBySide {
    a: AtomicU64,
    b: AtomicU64,
}

/// Each counter in crossbeam's `CachePadded`, which aligns and pads it to 128 bytes on
/// x86_64 and aarch64: the two never share a line, nor the pair of adjacent lines that
/// Intel's spatial prefetcher fetches together.
#[derive(Debug, Default)]
struct Padded {
    a: CachePadded<AtomicU64>,
    b: CachePadded<AtomicU64>,
}
// ANCHOR_END: layouts

// ANCHOR: two_counters
/// Two threads, pinned to `cpus`, each adding 1 to its own counter `n` times. They wait at
/// a barrier until both are running, and each times itself from there; the slower one's
/// time is returned. `fetch_add`, an atomic read-modify-write, so the count comes out exact,
/// and each increment is a write to the counter's cache line: the write whose cost the
/// two layouts compare.
fn two_counters(a: &AtomicU64, b: &AtomicU64, n: u64, cpus: (usize, usize)) -> Duration {
    let start_line = Barrier::new(2);
    std::thread::scope(|scope| {
        let workers = [(a, cpus.0), (b, cpus.1)].map(|(counter, cpu)| {
            let start_line = &start_line;
            scope.spawn(move || {
                // `cpu` is one this thread may use (affinity::two_cpus); were pinning to
                // fail all the same, the thread would run wherever the scheduler puts it.
                let _ = affinity::pin_to(cpu);
                start_line.wait();
                let started = Instant::now();
                for _ in 0..n {
                    counter.fetch_add(1, Relaxed);
                }
                started.elapsed()
            })
        });
        workers
            .map(|worker| worker.join().expect("a counting thread does not panic"))
            .into_iter()
            .max()
            .unwrap_or_default()
    })
}
// ANCHOR_END: two_counters

/// The line size in [`LINE_SIZE_FILE`], in bytes.
fn line_size() -> Option<usize> {
    std::fs::read_to_string(LINE_SIZE_FILE)
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Nanoseconds per increment, for one of a summary's times of `n` increments.
fn per_increment(time: Duration, n: u64) -> f64 {
    time.as_nanos() as f64 / n as f64
}

pub fn show_false_sharing(ctx: Ctx) -> Result<()> {
    fmt::step("False sharing");
    let (n, runs) = if ctx.quick {
        (200_000_u64, 3)
    } else {
        (1_000_000, 5)
    };
    let line = match line_size() {
        Some(bytes) => {
            println!(
                "  cache line here: {bytes} bytes (sysfs: cpu0/cache/index0/coherency_line_size)"
            );
            bytes
        }
        None => {
            println!("  cache line size not reported here ({LINE_SIZE_FILE}); 64 bytes assumed");
            64
        }
    };
    let side = SideBySide::default();
    let padded = Padded::default();
    let address = |counter: &AtomicU64| counter.as_ptr() as usize;
    let (side_a, side_b) = (address(&side.a), address(&side.b));
    let (padded_a, padded_b) = (address(&padded.a), address(&padded.b));
    println!(
        "  side by side: the counters are {} bytes apart; each in a CachePadded: {} bytes apart",
        side_b - side_a,
        padded_b - padded_a
    );
    checks::invariant(
        "the side-by-side counters share one cache line; the padded ones do not",
        side_a / line == side_b / line && padded_a / line != padded_b / line,
    );
    let cpus = affinity::two_cpus()?;
    if cpus.0 == cpus.1 {
        println!(
            "  only CPU {} may be used here: the two threads take turns on it",
            cpus.0
        );
    } else {
        println!(
            "  the two threads are pinned to CPUs {} and {} (sched_setaffinity)",
            cpus.0, cpus.1
        );
    }
    println!(
        "  timing {runs} runs of each layout after 1 warm-up, alternating, \
         {n} increments per thread…"
    );
    let mut times = [Vec::new(), Vec::new()];
    let mut exact = true;
    for run in 0..=runs {
        for (layout, (a, b)) in [(&side.a, &side.b), (&*padded.a, &*padded.b)]
            .into_iter()
            .enumerate()
        {
            a.store(0, Relaxed);
            b.store(0, Relaxed);
            let time = two_counters(a, b, n, cpus);
            exact &= a.load(Relaxed) == n && b.load(Relaxed) == n;
            if run > 0 {
                times[layout].push(time);
            }
        }
    }
    let [side_times, padded_times] = times;
    let side_summary = Summary::of(side_times).expect("runs > 0");
    let padded_summary = Summary::of(padded_times).expect("runs > 0");
    let mut table = Table::new(["layout", "per increment", "middle half", "min–max"])
        .right(1)
        .right(2)
        .right(3);
    for (name, s) in [
        ("side by side, one line", side_summary),
        ("each in a CachePadded", padded_summary),
    ] {
        let ns = |t| per_increment(t, n);
        table.row([
            name.to_owned(),
            format!("{:.1} ns", ns(s.median)),
            format!("{:.1}–{:.1} ns", ns(s.q1), ns(s.q3)),
            format!("{:.1}–{:.1} ns", ns(s.min), ns(s.max)),
        ]);
    }
    for row in table.to_string().lines() {
        println!("  {row}");
    }
    println!(
        "  per increment: the slower thread's time ÷ its {n} increments; median of {runs} runs"
    );
    checks::invariant(
        "each counter ended every run at exactly its thread's number of increments",
        exact,
    );
    let side_ns = per_increment(side_summary.median, n);
    let padded_ns = per_increment(padded_summary.median, n);
    let ratio = side_ns / padded_ns;
    checks::expectation(
        "sharing a cache line makes each increment slower (by at least 1.5×)",
        &format!("side by side {side_ns:.1} ns, padded {padded_ns:.1} ns: {ratio:.1}×"),
        ratio >= 1.5,
        "The line moves between caches only while both threads run at the same moment on \
         two cores with caches of their own: on one CPU, on two hyperthreads of one core \
         (one shared L1 cache), or on virtual CPUs the host runs in turn, the gap shrinks.",
    );
    fmt::note(
        "A core must own a line before writing to it, so each write takes the line from the\n\
         other core's cache: side by side, the line travels back and forth at every increment.",
    );
    Ok(())
}
