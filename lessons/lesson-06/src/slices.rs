//! Step 4: time slices. Two CPU-bound threads pinned to one core; each spins reading the
//! monotonic clock and notes every gap: while it is switched out, the clock jumps.

use std::sync::Barrier;
use std::time::{Duration, Instant};

use anyhow::Result;
use support::stats::Summary;
use support::{affinity, fmt, table::Table};

/// A gap longer than this in a spinning thread's clock readings counts as "switched
/// out"; an interrupt handled on the way takes a few µs at most.
const GAP: Duration = Duration::from_micros(20);

// ANCHOR: spin
/// Spins on the clock until `until`; returns each stretch it ran without a gap over
/// [`GAP`], as (start, end).
fn spin_and_watch(until: Instant) -> Vec<(Instant, Instant)> {
    let mut runs = Vec::new();
    let mut run_start = Instant::now();
    let mut last = run_start;
    while last < until {
        let now = Instant::now();
        if now - last > GAP {
            runs.push((run_start, last)); // switched out at `last`, back at `now`
            run_start = now; // if the next reading jumps too, this stretch is 0 ns long
        }
        last = now;
    }
    runs.push((run_start, last));
    runs
}
// ANCHOR_END: spin

/// The scheduler's base slice: from debugfs where it is mounted, else from the source.
fn configured_slice() -> String {
    if let Ok(ns) = std::fs::read_to_string("/sys/kernel/debug/sched/base_slice_ns") {
        return format!(
            "base_slice_ns = {} (from /sys/kernel/debug/sched)",
            ns.trim()
        );
    }
    // kernel/sched/fair.c: normalized_sysctl_sched_base_slice × (1 + ilog2(min(online
    // CPUs, 8))) (update_sysctl, SCHED_TUNABLESCALING_LOG); the base was 0.75 ms until
    // Linux 6.15 made it 0.70 ms (commit 2ae891b8, "sched: Reduce the default slice").
    let cpus = online_cpus();
    let factor = f64::from(1 + cpus.clamp(1, 8).ilog2());
    let (base, since) = match kernel_version() {
        Some(v) if v >= (6, 15) => (0.70, "Linux 6.15 on"),
        _ => (0.75, "before Linux 6.15"),
    };
    format!(
        "debugfs is not mounted, so the kernel's base slice cannot be read here; its\n\
         default (kernel/sched/fair.c, {since}) is {base:.2} ms × (1 + log2 CPUs) = {:.2} ms\n\
         for {cpus} online CPU(s)",
        base * factor
    )
}

/// How many CPUs are online, from /sys/devices/system/cpu/online (`0-1`, `0,2-3`).
fn online_cpus() -> u32 {
    let list = std::fs::read_to_string("/sys/devices/system/cpu/online").unwrap_or_default();
    let count: u32 = list
        .trim()
        .split(',')
        .filter_map(|range| match range.split_once('-') {
            Some((a, b)) => Some(b.parse::<u32>().ok()? + 1 - a.parse::<u32>().ok()?),
            None => range.parse::<u32>().ok().map(|_| 1),
        })
        .sum();
    count.max(1)
}

/// The running kernel's (major, minor), from /proc/sys/kernel/osrelease (`6.18.3-…`).
fn kernel_version() -> Option<(u32, u32)> {
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").ok()?;
    let mut parts = release.trim().split(['.', '-']);
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// CONFIG_HZ from /proc/config.gz, when the kernel exposes its configuration.
fn tick() -> Option<u32> {
    let output = support::child::output(std::process::Command::new("zcat").arg("/proc/config.gz"));
    let text = String::from_utf8(output.ok()?.stdout).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("CONFIG_HZ="))
        .and_then(|hz| hz.parse().ok())
}

pub fn show(spin: Duration) -> Result<()> {
    fmt::step("4. Time slices");
    let cpu = affinity::two_cpus()?.0;
    let start = Barrier::new(2);
    let runs: Vec<Vec<(Instant, Instant)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    affinity::pin_to(cpu).ok();
                    start.wait();
                    spin_and_watch(Instant::now() + spin)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no panic"))
            .collect()
    });
    // The first and last stretch of each thread are cut by the start and end of the run.
    let whole: Vec<Duration> = runs
        .iter()
        .flat_map(|r| r.iter().skip(1).take(r.len().saturating_sub(2)))
        .map(|(a, b)| *b - *a)
        .collect();
    let switches: usize = runs.iter().map(|r| r.len() - 1).sum();
    println!(
        "  Two spinning threads on CPU {cpu} for {}: {switches} times a thread's clock jumped by\n  \
         more than {} (it was switched out).",
        fmt::duration(spin),
        fmt::duration(GAP)
    );
    match Summary::of(whole) {
        Some(s) => println!(
            "  How long a thread ran before it was switched out: {}\n  ({})",
            fmt::duration(s.median),
            s.method()
        ),
        None => println!("  No complete slice was seen (was the run too short?)."),
    }
    println!("\n  The first turns, in order (A and B are the two threads):");
    let mut turns: Vec<(Instant, Instant, char)> = runs
        .iter()
        .zip(['A', 'B'])
        .flat_map(|(r, who)| r.iter().map(move |&(a, b)| (a, b, who)))
        .collect();
    turns.sort_by_key(|t| t.0);
    let origin = turns.first().map_or_else(Instant::now, |t| t.0);
    let mut t = Table::new(["who", "from", "ran for"]).right(1).right(2);
    for (a, b, who) in turns.iter().take(8) {
        t.row([
            who.to_string(),
            fmt::duration(*a - origin),
            fmt::duration(*b - *a),
        ]);
    }
    print!("{t}");
    let hz = tick().map_or_else(
        || "The tick rate (CONFIG_HZ) is not exposed here (/proc/config.gz is absent).".into(),
        |hz| {
            format!(
                "CONFIG_HZ={hz}: the scheduler tick, when it checks whether the running task has\n\
                 used up its slice, comes every {}.",
                fmt::duration(Duration::from_secs(1) / hz)
            )
        },
    );
    fmt::note(&format!(
        "{}\n{hz}\nTwo CPU-bound tasks never block, so one is switched out only at a tick after\n\
         its slice has run out, or when another task on this core wakes up and is due.\n\
         One core: concurrency is interleaving, turns of a few milliseconds.",
        configured_slice()
    ));
    Ok(())
}
