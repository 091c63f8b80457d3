//! Step 5: what one more thread costs in memory, and what one more process costs.

use std::fs::File;
use std::io::{Read, Write};
use std::sync::mpsc;
use std::thread;

use anyhow::{Context, Result};
use support::fmt;
use support::proc::procfs::process::Process;
use support::table::Table;

/// Memory figures of one process, in bytes.
#[derive(Debug, Clone, Copy, Default)]
struct Footprint {
    /// Resident pages, shared ones included.
    rss: u64,
    /// Resident pages only this process maps and has written.
    private_dirty: u64,
    /// Address space reserved (mapped), touched or not.
    virtual_size: u64,
    /// The kernel's page tables for this address space.
    page_tables: u64,
}

fn footprint(pid: i32) -> Result<Footprint> {
    let process = Process::new(pid).with_context(|| format!("no process {pid}"))?;
    let rollup = process
        .smaps_rollup()
        .with_context(|| format!("could not read /proc/{pid}/smaps_rollup"))?;
    let status = process
        .status()
        .with_context(|| format!("could not read /proc/{pid}/status"))?;
    let field = |name: &str| {
        rollup
            .memory_map_rollup
            .iter()
            .filter_map(|m| m.extension.map.get(name))
            .sum::<u64>()
    };
    Ok(Footprint {
        rss: field("Rss"),
        private_dirty: field("Private_Dirty"),
        virtual_size: status.vmsize.unwrap_or(0) * 1024,
        page_tables: status.vmpte.unwrap_or(0) * 1024,
    })
}

/// Per-thread and per-process figures, for the summary.
#[derive(Debug, Clone, Copy)]
pub struct MemoryCosts {
    pub threads: usize,
    pub count: usize,
    pub thread_rss: i64,
    pub thread_private: i64,
    pub process_rss: f64,
    pub process_private: f64,
    pub process_page_tables: f64,
    /// The parent's (this lesson's) RSS while the children were alive.
    pub parent_rss: u64,
}

/// The hidden `--demo idle-threads` mode: in a fresh process (no thread stacks cached
/// from earlier steps), prints its footprint before and while `IDLE_THREADS` idle threads
/// are alive, as two lines `before`/`during` of numbers the lesson parses.
pub fn report_idle_threads() -> Result<()> {
    let me = std::process::id() as i32;
    let before = footprint(me)?;
    let (during, tasks) = with_idle_threads(IDLE_THREADS, || footprint(me))?;
    let during = during?;
    for (label, f) in [("before", before), ("during", during)] {
        println!(
            "{label} {} {} {} {tasks}",
            f.rss, f.private_dirty, f.virtual_size
        );
    }
    Ok(())
}

/// How many idle threads the fresh process starts.
pub const IDLE_THREADS: usize = 8;

fn parse_report(stdout: &str, label: &str) -> Option<(Footprint, usize)> {
    let line = stdout.lines().find(|l| l.starts_with(label))?;
    let numbers: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|n| n.parse().ok())
        .collect();
    let [rss, private_dirty, virtual_size, tasks] = numbers[..] else {
        return None;
    };
    let footprint = Footprint {
        rss,
        private_dirty,
        virtual_size,
        page_tables: 0,
    };
    Some((footprint, tasks as usize))
}

/// Runs `lesson-05 --demo idle-threads` and reads back its before/during footprints.
fn measure_threads_in_a_fresh_process() -> Result<(Footprint, Footprint, usize)> {
    let finished = support::crash::run_self(
        &["--demo", "idle-threads"],
        std::time::Duration::from_secs(10),
    )
    .context("could not run the idle-threads measurement")?;
    let before = parse_report(&finished.stdout, "before");
    let during = parse_report(&finished.stdout, "during");
    match (before, during) {
        (Some((before, _)), Some((during, tasks))) => Ok((before, during, tasks)),
        _ => anyhow::bail!(
            "the idle-threads measurement {} and printed {:?} {:?}",
            finished.ending,
            finished.stdout,
            finished.stderr
        ),
    }
}

pub fn show_memory_costs(count: usize) -> Result<MemoryCosts> {
    fmt::step("5. Memory per thread and per process");
    let (before, grown, during) = measure_threads_in_a_fresh_process()?;
    let threads = IDLE_THREADS as i64;
    let per = |after: u64, before: u64| (after as i64 - before as i64) / threads;
    let (children, parent) = with_idle_children(count)?;
    let median = |f: fn(&Footprint) -> u64| {
        let mut values: Vec<f64> = children.iter().map(|c| f(c) as f64).collect();
        support::stats::median(&mut values).unwrap_or(0.0)
    };
    let costs = MemoryCosts {
        threads: IDLE_THREADS,
        count,
        thread_rss: per(grown.rss, before.rss),
        thread_private: per(grown.private_dirty, before.private_dirty),
        process_rss: median(|f| f.rss),
        process_private: median(|f| f.private_dirty),
        process_page_tables: median(|f| f.page_tables),
        parent_rss: parent.rss,
    };
    print_memory(&costs, &grown, &before, during);
    Ok(costs)
}

/// A byte difference, which may be negative (memory returned while measuring).
pub fn signed_bytes(n: i64) -> String {
    if n < 0 {
        format!("−{}", fmt::bytes(n.unsigned_abs()))
    } else {
        fmt::bytes(n as u64)
    }
}

fn print_memory(costs: &MemoryCosts, grown: &Footprint, before: &Footprint, threads_seen: usize) {
    let threads = costs.threads as i64;
    let mut table = Table::new(["", "one more thread", "one more process"])
        .right(1)
        .right(2);
    table.row::<String>([
        "resident (RSS)".into(),
        signed_bytes(costs.thread_rss),
        format!(
            "{}, mostly shared (parent: {})",
            fmt::bytes(costs.process_rss as u64),
            fmt::bytes(costs.parent_rss)
        ),
    ]);
    table.row::<String>([
        "private and written (Private_Dirty)".into(),
        signed_bytes(costs.thread_private),
        fmt::bytes(costs.process_private as u64),
    ]);
    table.row::<String>([
        "page tables (VmPTE)".into(),
        "shared".into(),
        fmt::bytes(costs.process_page_tables as u64),
    ]);
    table.row::<String>([
        "address space reserved (VmSize)".into(),
        signed_bytes((grown.virtual_size as i64 - before.virtual_size as i64) / threads),
        "a copy-on-write copy of the parent's".into(),
    ]);
    println!(
        "  threads: a fresh lesson-05 process before and while {} idle threads were alive\n  ({} tasks seen), difference ÷ {};",
        costs.threads, threads_seen, costs.threads
    );
    println!(
        "  processes: median over {} idle children forked from this lesson, each one's own figures:",
        costs.count
    );
    print!("{table}");
    fmt::note(
        "A new thread costs its stack — reserved in full, resident only where touched — and\n\
         a little bookkeeping; most of its VmSize is reservation, not memory: the stack and,\n\
         with glibc, a malloc arena (up to 64 MiB) for a thread that allocates. A forked\n\
         child shares its parent's pages until one of them writes (copy-on-write), so its\n\
         private part is small. Its RSS starts below the parent's: fork copies page-table\n\
         entries only for anonymous memory, so the program's code and other file-backed\n\
         pages count once the child touches them. It needs page tables of its own. Both\n\
         need a kernel task and kernel stack, which none of these figures show.",
    );
}

/// Runs `look` while `count` threads are alive and idle; returns its answer and how many
/// tasks the process had then.
fn with_idle_threads<T>(count: usize, look: impl FnOnce() -> T) -> Result<(T, usize)> {
    thread::scope(|s| {
        let (ready_tx, ready_rx) = mpsc::channel();
        let mut releases = Vec::new();
        for i in 0..count {
            let (release_tx, release_rx) = mpsc::channel::<()>();
            releases.push(release_tx);
            let ready_tx = ready_tx.clone();
            thread::Builder::new()
                .name(format!("idle-{i}"))
                .spawn_scoped(s, move || {
                    ready_tx.send(()).ok();
                    release_rx.recv().ok();
                })
                .context("could not start an idle thread")?;
        }
        drop(ready_tx);
        ready_rx.iter().take(count).for_each(drop);
        let answer = (look(), support::threads::count());
        drop(releases);
        Ok(answer)
    })
}

/// Forks `count` children that each say "ready" and then wait for one byte; measures each
/// one's footprint, and the parent's, while all are waiting; then lets them go and reaps
/// them.
fn with_idle_children(count: usize) -> Result<(Vec<Footprint>, Footprint)> {
    let (go_r, go_w) = nix::unistd::pipe().context("pipe")?;
    let (ready_r, ready_w) = nix::unistd::pipe().context("pipe")?;
    let mut go_reader = File::from(go_r);
    let mut ready_writer = File::from(ready_w);
    let mut children = Vec::with_capacity(count);
    for _ in 0..count {
        children.push(support::child::fork(|| {
            ready_writer.write_all(b"r").ok();
            let mut byte = [0u8; 1];
            go_reader.read_exact(&mut byte).ok();
            0
        })?);
    }
    // Close our own write end, so that if every child died early, the read below ends
    // with an error instead of waiting forever.
    drop(ready_writer);
    let mut ready = vec![0u8; count];
    File::from(ready_r)
        .read_exact(&mut ready)
        .context("children did not report ready")?;
    let footprints = children
        .iter()
        .map(|c| footprint(c.pid().as_raw()))
        .collect::<Result<Vec<_>>>()?;
    let parent = footprint(std::process::id() as i32)?;
    File::from(go_w).write_all(&vec![b'g'; count]).ok();
    for child in children {
        child.wait().context("waitpid")?;
    }
    Ok((footprints, parent))
}
