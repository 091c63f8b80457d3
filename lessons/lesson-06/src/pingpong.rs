//! Step 2: ping-pong, measured four ways (threads or processes, one core or two), over
//! pipes and over a futex; then `perf bench sched pipe` with the same pinning.

use std::process::Command;

use anyhow::Result;
use support::{affinity, fmt, table::Table};

use crate::wire::{self, Ends, PingPong, Setup, Wire};

/// Round trips per batch and timed batches.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub round_trips: u32,
    pub batches: usize,
}

/// The pinned pipe round trips (processes, threads), for the summary.
pub struct Pinned {
    pub processes: PingPong,
    pub threads: PingPong,
}

pub fn show(size: Size) -> Result<Pinned> {
    fmt::step("2. Ping-pong, measured four ways");
    let (c0, c1) = affinity::two_cpus()?;
    let mut t = Table::new([
        "wire",
        "ends",
        "cores",
        "round trip",
        "middle half",
        "per switch",
        "A on",
        "B on",
    ])
    .right(3)
    .right(4)
    .right(5);
    let mut pinned_pipe = (None, None);
    // Pipe, threads: the round trip on one core and on two, for their ratio below.
    let mut pipe_threads = [None, None];
    for wire in [Wire::Pipe, Wire::Futex] {
        for ends in [Ends::Threads, Ends::Processes] {
            for (cores, cpu_b) in [("one", c0), ("two", c1)] {
                let setup = Setup {
                    wire,
                    ends,
                    cpu_a: c0,
                    cpu_b,
                    round_trips: size.round_trips,
                    batches: size.batches,
                    working_set: 0,
                };
                let m = wire::run(setup)?;
                wire::check_pinning(&setup, &m)?;
                let s = m.per_round_trip;
                let per_switch = if cpu_b == c0 {
                    fmt::duration(s.median / 2)
                } else {
                    "—".into()
                };
                t.row([
                    format!("{wire:?}").to_lowercase(),
                    format!("{ends:?}").to_lowercase(),
                    cores.into(),
                    fmt::duration(s.median),
                    format!("{}–{}", fmt::duration(s.q1), fmt::duration(s.q3)),
                    per_switch,
                    wire::cpu_list(m.cpus_a),
                    wire::cpu_list(m.cpus_b),
                ]);
                if (wire, ends) == (Wire::Pipe, Ends::Threads) {
                    pipe_threads[usize::from(cpu_b != c0)] = Some(s.median);
                }
                if wire == Wire::Pipe && cpu_b == c0 {
                    match ends {
                        Ends::Threads => pinned_pipe.1 = Some(m),
                        Ends::Processes => pinned_pipe.0 = Some(m),
                    }
                }
            }
        }
    }
    print!("{t}");
    fmt::note(&format!(
        "Each row: median of {} batches of {} round trips (after one untimed batch), divided by\n\
         {}; middle half = the middle 50 % of the batches. A and B: the CPUs sched_getcpu()\n\
         reported after every hand-off. One core: a round trip is two switches (A→B, B→A), so\n\
         per switch = round trip ÷ 2 — which also counts a write, a read and a wake-up per\n\
         hand-off (lmbench's lat_ctx subtracts the pipe's own cost; this does not). Two cores:\n\
         each end sleeps and is woken on its own core, so the cost is a cross-core wake-up (an\n\
         interrupt to the other core, which may be idle and must wake), not one switch.",
        size.batches, size.round_trips, size.round_trips
    ));
    if let [Some(one), Some(two)] = pipe_threads {
        println!(
            "  two cores ÷ one core (pipe, threads): {:.0}×\n  this machine: {}",
            two.as_secs_f64() / one.as_secs_f64().max(1e-12),
            support::machine::kind()
        );
    }
    if c0 == c1 {
        fmt::note("Only one CPU is allowed here, so \"two cores\" ran on one as well.");
    }
    let (Some(processes), Some(threads)) = pinned_pipe else {
        unreachable!("both pinned pipe rows ran")
    };
    Ok(Pinned { processes, threads })
}

// ANCHOR: perf
/// `taskset -c <cpu> perf bench sched pipe -l <loops> [-T]`: perf's own pipe ping-pong, both
/// ends pinned to `cpu`. Its "usecs/op" is microseconds per loop, one round trip each.
fn perf_pipe(cpu: usize, loops: u64, threads: bool) -> std::io::Result<Option<f64>> {
    let mut command = Command::new("taskset");
    command.args(["-c", &cpu.to_string(), "perf", "bench", "sched", "pipe"]);
    command.args(["-l", &loops.to_string()]);
    if threads {
        command.arg("-T");
    }
    // In a process group of its own, killed whole afterwards and on Ctrl-C: perf forks a
    // worker for the other end, which must not outlive perf.
    let run = support::crash::run(&mut command, std::time::Duration::from_secs(60))?;
    Ok(run
        .stdout
        .lines()
        .find(|l| l.contains("usecs/op"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok()))
}
// ANCHOR_END: perf

pub fn compare_with_perf(size: Size, ours: &Pinned) -> Result<()> {
    let cpu = affinity::two_cpus()?.0;
    // perf's figure includes starting its ends; enough loops make that negligible.
    let loops = (u64::from(size.round_trips) * (size.batches as u64 + 1)).max(20_000);
    println!(
        "\n  The same pinned pipe ping-pong by `perf bench sched pipe` (taskset -c {cpu}, {loops} loops):"
    );
    let mut t = Table::new([
        "ends",
        "perf (µs/round trip)",
        "this lesson",
        "lesson ÷ perf",
    ])
    .right(1)
    .right(2)
    .right(3);
    for (ends, flag, mine) in [
        ("processes", false, &ours.processes),
        ("threads (-T)", true, &ours.threads),
    ] {
        // Three runs of perf, and their median: one run can be hit by another task.
        let runs: std::io::Result<Vec<Option<f64>>> =
            (0..3).map(|_| perf_pipe(cpu, loops, flag)).collect();
        let median = runs.map(|r| {
            let mut r: Vec<f64> = r.into_iter().collect::<Option<_>>()?;
            support::stats::median(&mut r)
        });
        match median {
            Ok(Some(perf_us)) => {
                let mine_us = mine.per_round_trip.median.as_nanos() as f64 / 1000.0;
                t.row([
                    ends.to_string(),
                    format!("{perf_us:.2} µs"),
                    format!("{mine_us:.2} µs"),
                    format!("{:.2}", mine_us / perf_us),
                ]);
            }
            Ok(None) => {
                println!("  perf ran but printed no usecs/op line; skipping the comparison.");
                return Ok(());
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                println!("  taskset or perf is not installed here; skipping the comparison.");
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        }
    }
    print!("{t}");
    fmt::note(
        "perf: median of 3 runs, each timing all its loops at once (total ÷ loops); the lesson:\n\
         the median of batches measured a moment earlier. A ratio near 1: both time the same.",
    );
    Ok(())
}
