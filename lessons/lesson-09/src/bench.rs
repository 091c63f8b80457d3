//! Step 14: one table — every channel's round trip and throughput, measured here, beside
//! `perf bench sched pipe`, a plain memcpy of the same bytes, and shared memory used in
//! place (zero-copy) beside the same checksum computed alone in one process.

use std::io::Write;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use nix::sys::signal::{SigSet, SigmaskHow, Signal, kill, sigprocmask};
use nix::unistd::getppid;
use support::affinity;
use support::bars::bar;
use support::child::fork;
use support::fmt;
use support::stats::{Summary, measure};
use support::table::Table;

use crate::Ctx;
use crate::ends::{self, End};
use crate::shm::{self, SLOT, SLOTS};

/// How much to measure.
struct Plan {
    runs: usize,
    round_trips: u32,
    total: usize,
}

const MSG: usize = 64;
const CHUNK: usize = 64 * 1024;

/// One channel's results (shared memory used in place has no round-trip row, a signal
/// no throughput row).
struct Row {
    name: &'static str,
    cpus: (usize, usize),
    latency: Option<Summary>,
    transfer: Option<Summary>,
}

// ANCHOR: measure
/// The child echoes: `round_trips` 64-byte messages for each latency run, then for each
/// throughput run it takes `total` bytes in 64 KiB chunks and answers with one byte.
fn measure_channel(
    parent: End,
    child: End,
    cpus: (usize, usize),
    plan: &Plan,
) -> Result<(Summary, Summary)> {
    let runs = plan.runs + 1; // one untimed warm-up run of each kind
    let mut end = child;
    let echo = fork(|| {
        let _ = affinity::pin_to(cpus.1);
        let (mut msg, mut chunk) = ([0u8; MSG], vec![0u8; CHUNK]);
        for _ in 0..runs * plan.round_trips as usize {
            if end.recv(&mut msg).and_then(|()| end.send(&msg)).is_err() {
                return 1;
            }
        }
        for _ in 0..runs {
            for _ in 0..plan.total / CHUNK {
                if end.recv(&mut chunk).is_err() {
                    return 1;
                }
            }
            if end.send(&[1]).is_err() {
                return 1;
            }
        }
        0
    })?;
    let mut end = parent;
    let (mut msg, chunk, mut ack) = ([7u8; MSG], vec![7u8; CHUNK], [0u8; 1]);
    let mut failed = None;
    let latency = measure(1, plan.runs, || {
        for _ in 0..plan.round_trips {
            if let Err(e) = end.send(&msg).and_then(|()| end.recv(&mut msg)) {
                failed.get_or_insert(e);
            }
        }
    });
    let transfer = measure(1, plan.runs, || {
        for _ in 0..plan.total / CHUNK {
            if let Err(e) = end.send(&chunk) {
                failed.get_or_insert(e);
            }
        }
        if let Err(e) = end.recv(&mut ack) {
            failed.get_or_insert(e);
        }
    });
    let status = echo.wait()?;
    if let Some(e) = failed {
        return Err(e);
    }
    if !matches!(status, nix::sys::wait::WaitStatus::Exited(_, 0)) {
        bail!("the echoing child {}", support::child::describe(&status));
    }
    Ok((latency.per_operation(plan.round_trips), transfer))
}
// ANCHOR_END: measure

/// Round trips of a signal: the parent sends SIGUSR1, the child sends it back; both have
/// it blocked and take it with sigwait (no handler runs).
fn signal_round_trips(cpus: (usize, usize), plan: &Plan) -> Result<Summary> {
    let mut set = SigSet::empty();
    set.add(Signal::SIGUSR1);
    let mut old = SigSet::empty();
    sigprocmask(SigmaskHow::SIG_BLOCK, Some(&set), Some(&mut old))?;
    let total = (plan.runs + 1) * plan.round_trips as usize;
    let child = fork(|| {
        let _ = affinity::pin_to(cpus.1);
        let parent = getppid();
        for _ in 0..total {
            if set.wait().is_err() || kill(parent, Signal::SIGUSR1).is_err() {
                return 1;
            }
        }
        0
    })?;
    let pid = child.pid();
    let latency = measure(1, plan.runs, || {
        for _ in 0..plan.round_trips {
            let _ = kill(pid, Signal::SIGUSR1);
            let _ = set.wait();
        }
    });
    child.wait()?;
    sigprocmask(SigmaskHow::SIG_SETMASK, Some(&old), None)?;
    Ok(latency.per_operation(plan.round_trips))
}

/// `perf bench sched pipe` (a kernel tool's pipe round trip), started while this process
/// is pinned, so both its processes inherit the pinning. `None` when perf is missing.
fn perf_pipe(cpu: usize, plan: &Plan) -> Option<Summary> {
    affinity::pin_to(cpu).ok()?;
    let loops = plan.round_trips * 10;
    let samples: Option<Vec<Duration>> = (0..plan.runs)
        .map(|_| {
            let mut cmd = std::process::Command::new("perf");
            cmd.args(["bench", "sched", "pipe", "-l", &loops.to_string()]);
            let out = support::child::output(&mut cmd)
                .ok()
                .filter(|o| o.status.success())?;
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            let usecs: f64 = text
                .lines()
                .find(|l| l.contains("usecs/op"))?
                .split_whitespace()
                .next()?
                .parse()
                .ok()?;
            Some(Duration::from_nanos((usecs * 1000.0) as u64))
        })
        .collect();
    samples.and_then(Summary::of)
}

/// A plain memcpy of the same bytes, in the same 64 KiB chunks, in one process.
fn memcpy(plan: &Plan) -> Summary {
    let (src, mut dst) = (vec![7u8; CHUNK], vec![0u8; CHUNK]);
    measure(1, plan.runs, || {
        for _ in 0..plan.total / CHUNK {
            dst.copy_from_slice(std::hint::black_box(&src));
            std::hint::black_box(&mut dst);
        }
    })
}

/// The two halves of the zero-copy rows' work, each timed alone in one process.
#[derive(Clone, Copy)]
struct Alone {
    fill: Summary,
    checksum: Summary,
}

/// The producer's and the consumer's loops of the zero-copy rows, each alone: over the
/// same number of bytes, slot by slot through a ring's worth of this process's memory,
/// with no hand-off and no second process.
fn work_alone(plan: &Plan) -> Alone {
    let mut slots = vec![0u8; SLOTS as usize * SLOT];
    let count = plan.total / SLOT;
    let fill = measure(1, plan.runs, || {
        let mut sum = 0u64;
        for seq in 0..count {
            let slot = &mut slots[(seq % SLOTS as usize) * SLOT..][..SLOT];
            sum = sum.wrapping_add(shm::fill(std::hint::black_box(slot), seq as u64));
        }
        std::hint::black_box(sum);
    });
    let checksum = measure(1, plan.runs, || {
        let mut sum = 0u64;
        for slot in slots.chunks_exact(SLOT).cycle().take(count) {
            sum = sum.wrapping_add(shm::checksum(std::hint::black_box(slot)));
        }
        std::hint::black_box(sum);
    });
    Alone { fill, checksum }
}

/// Prints what is about to be measured, measures it, then prints how long that took, so
/// a reader sees the step is working while it runs.
fn progress<T>(what: &str, cpus: &str, work: impl FnOnce() -> T) -> T {
    print!("    {what:<23}  {cpus:<11}  …");
    // Flushed before any fork, so no child inherits an unwritten copy of the line.
    let _ = std::io::stdout().flush();
    let start = Instant::now();
    let result = work();
    println!(" {}", fmt::duration(start.elapsed()));
    result
}

fn rate(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / d.as_secs_f64().max(1e-12)
}

fn gib_s(bytes_per_s: f64) -> String {
    format!("{:.2} GiB/s", bytes_per_s / (1u64 << 30) as f64)
}

/// Step 14.
pub fn show_table(ctx: &Ctx) -> Result<()> {
    fmt::step("14. One table: every channel, measured here");
    let plan = if ctx.quick {
        Plan {
            runs: 3,
            round_trips: 200,
            total: 4 << 20,
        }
    } else {
        Plan {
            runs: 7,
            round_trips: 1000,
            total: 64 << 20,
        }
    };
    let mut conditions = support::fmt::Conditions::build(
        "measured in a debug (unoptimised) build: the copies are the library's memcpy\n\
         either way, but the loops around them run slower, and the in-place rows' fill\n\
         and checksum loops (plain Rust) far slower: try cargo run --release -p lesson-09;",
        "measured in a release (optimised) build;",
    );
    conditions.line("RUST_BACKTRACE changes nothing here, as nothing panics while timed");
    for line in conditions.lines() {
        println!("  {line}");
    }
    println!(
        "  measuring each channel in turn ({} runs of each kind after a warm-up); time taken:",
        plan.runs
    );
    let all = affinity::allowed()?;
    let (a, b) = affinity::two_cpus()?;
    affinity::pin_to(a)?;
    let measured = measure_all(ctx, &plan, (a, b));
    affinity::allow(&all)?;
    let (rows, in_place_agreed) = measured?;
    let one_cpu = rows
        .iter()
        .find(|r| r.cpus == (a, a))
        .and_then(|r| r.latency);
    let perf = progress("perf bench sched pipe", &format!("{a} ↔ {a}"), || {
        perf_pipe(a, &plan)
    });
    affinity::allow(&all)?;
    let copy = progress("memcpy", "one process", || memcpy(&plan));
    let alone = progress("fill and checksum alone", "one process", || {
        work_alone(&plan)
    });
    println!();
    print_latency(&rows, &plan, perf, one_cpu, a);
    print_throughput(&rows, &plan, copy, alone);
    support::checks::invariant(
        "in place, the child's checksum equalled the parent's in every run",
        in_place_agreed,
    );
    judge_in_place(&rows, &plan);
    Ok(())
}

fn measure_all(ctx: &Ctx, plan: &Plan, (a, b): (usize, usize)) -> Result<(Vec<Row>, bool)> {
    let mut rows = Vec::new();
    let mut add = |name: &'static str, cpus: (usize, usize), pair: ends::Pair| -> Result<()> {
        let (parent, child, _names) = pair;
        let (latency, transfer) = progress(name, &cpu_pair(cpus), || {
            measure_channel(parent, child, cpus, plan).with_context(|| name)
        })?;
        rows.push(Row {
            name,
            cpus,
            latency: Some(latency),
            transfer: Some(transfer),
        });
        Ok(())
    };
    add("pipe (two)", (a, a), ends::pipes()?)?;
    add("pipe (two)", (a, b), ends::pipes()?)?;
    add("FIFO (two)", (a, b), ends::fifos(ctx)?)?;
    add("Unix stream", (a, b), ends::unix_stream()?)?;
    add("Unix datagram", (a, b), ends::unix_dgram()?)?;
    add("TCP 127.0.0.1", (a, b), ends::tcp()?)?;
    add("message queue", (a, b), ends::queues()?)?;
    for (name, spin) in [("shm + futex", false), ("shm + spinning", true)] {
        let (parent, child, shm) = ends::shared(spin)?;
        let (latency, transfer) = progress(name, &cpu_pair((a, b)), || {
            measure_channel(parent, child, (a, b), plan).with_context(|| name)
        })?;
        drop(shm);
        rows.push(Row {
            name,
            cpus: (a, b),
            latency: Some(latency),
            transfer: Some(transfer),
        });
    }
    let mut agreed = true;
    for (name, spin) in [
        ("shm in place + futex", false),
        ("shm in place + spinning", true),
    ] {
        let shm = shm::create()?;
        let slots = (plan.total / SLOT) as u64;
        let run = progress(name, &cpu_pair((a, b)), || {
            shm::hand_off_in_place(&shm, spin, Some(b), slots, (1, plan.runs)).with_context(|| name)
        })?;
        agreed &= run.all_equal();
        rows.push(Row {
            name,
            cpus: (a, b),
            latency: None,
            transfer: Some(run.time),
        });
    }
    let latency = progress("signal", &cpu_pair((a, b)), || {
        signal_round_trips((a, b), plan)
    })?;
    rows.push(Row {
        name: "signal",
        cpus: (a, b),
        latency: Some(latency),
        transfer: None,
    });
    Ok((rows, agreed))
}

fn cpu_pair((parent, child): (usize, usize)) -> String {
    format!("{parent} ↔ {child}")
}

fn print_latency(
    rows: &[Row],
    plan: &Plan,
    perf: Option<Summary>,
    one_cpu: Option<Summary>,
    a: usize,
) {
    println!("  Round trip of a 64-byte message (there and back), per round trip:");
    let max = rows
        .iter()
        .filter_map(|r| r.latency)
        .map(|l| l.median.as_secs_f64())
        .fold(0.0, f64::max);
    let mut table = Table::new(["channel", "CPUs", "median", "middle half", ""])
        .right(2)
        .right(3);
    for row in rows {
        let Some(l) = row.latency else { continue };
        table.row([
            row.name.to_owned(),
            cpu_pair(row.cpus),
            fmt::duration(l.median),
            format!("{}–{}", fmt::duration(l.q1), fmt::duration(l.q3)),
            bar(l.median.as_secs_f64(), max, 30),
        ]);
    }
    print!("{table}");
    println!(
        "  each row: {} runs of {} round trips after one warm-up run; parent ↔ child CPU",
        plan.runs, plan.round_trips
    );
    match (perf, one_cpu) {
        (Some(p), Some(mine)) => {
            println!(
                "  perf bench sched pipe, both on CPU {a}: {} per round trip ({} runs, middle",
                fmt::duration(p.median),
                p.runs
            );
            println!(
                "    half {}–{}); the lesson's pipe, both on CPU {a}: {} → ratio {:.2}",
                fmt::duration(p.q1),
                fmt::duration(p.q3),
                fmt::duration(mine.median),
                mine.median.as_secs_f64() / p.median.as_secs_f64()
            );
        }
        _ => println!("  perf bench sched pipe: not available here (perf is not installed)"),
    }
}

/// One throughput row's cells: median rate, middle half of the rates, and the share of
/// memcpy's rate, also as a bar (full at memcpy's, and no longer for a faster row).
fn rate_cells(total: usize, t: Summary, ceiling: f64) -> [String; 4] {
    let median = rate(total, t.median);
    [
        gib_s(median),
        format!(
            "{:.2}–{:.2}",
            rate(total, t.q3) / (1u64 << 30) as f64,
            rate(total, t.q1) / (1u64 << 30) as f64
        ),
        format!("{:.0} %", 100.0 * median / ceiling),
        bar(median, ceiling, 20),
    ]
}

fn print_throughput(rows: &[Row], plan: &Plan, copy: Summary, alone: Alone) {
    println!();
    println!(
        "  Throughput: {} in 64 KiB chunks, parent → child, one reply at the end:",
        fmt::bytes(plan.total as u64)
    );
    let ceiling = rate(plan.total, copy.median);
    let mut table = Table::new(["channel", "CPUs", "median", "middle half", "of memcpy", ""])
        .right(2)
        .right(3)
        .right(4);
    let named = rows
        .iter()
        .filter_map(|r| Some((r.name, cpu_pair(r.cpus), r.transfer?)));
    let one_process = [
        ("fill alone", alone.fill),
        ("checksum alone", alone.checksum),
        ("memcpy", copy),
    ]
    .map(|(name, t)| (name, "one process".to_owned(), t));
    for (name, cpus, t) in named.chain(one_process) {
        let [median, middle, share, bar] = rate_cells(plan.total, t, ceiling);
        table.row([name.to_owned(), cpus, median, middle, share, bar]);
    }
    print!("{table}");
    println!(
        "  each row: {} runs after one warm-up run; the message queue moves {}-byte",
        plan.runs,
        crate::messages::mq_limit("msgsize_max").clamp(64, 65536)
    );
    println!("  messages (msgsize_max), every other channel 64 KiB pieces. In place: the parent");
    println!("  fills each slot in the shared memory, the child sums it there, and only the");
    println!("  8-byte checksum comes back. Fill alone, checksum alone: the parent's loop and");
    println!(
        "  the child's, each in one process with no hand-off. A bar is full at memcpy's rate."
    );
}

/// Whether using the slots in place beat copying into and out of them, with the same kind
/// of waiting: an expectation, since it is a race between timings.
fn judge_in_place(rows: &[Row], plan: &Plan) {
    let median = |name: &str| {
        rows.iter()
            .find(|r| r.name == name)
            .and_then(|r| r.transfer)
            .map(|t| rate(plan.total, t.median))
            .unwrap_or(0.0)
    };
    let (copied, in_place) = (median("shm + spinning"), median("shm in place + spinning"));
    support::checks::expectation(
        "with spinning, shared memory used in place moves more bytes per second than copied",
        &format!("in place {}, copied {}", gib_s(in_place), gib_s(copied)),
        in_place > copied,
        if cfg!(debug_assertions) {
            "In a debug build the fill and checksum loops run unoptimised, while the copies \
             are the library's memcpy either way."
        } else {
            "The two differ by little: both move every byte from one CPU's cache to the \
             other's, and the copying row's extra copies (from the parent's buffer, into the \
             child's) stay within one CPU's cache, so other programs' load can reverse so \
             small a gap."
        },
    );
}
