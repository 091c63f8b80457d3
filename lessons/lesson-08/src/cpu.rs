//! The source notes' experiment: the same CPU-bound loop in 1, 2, 4, N and 8 threads,
//! under each runtime, with wall time, speedup and every core's utilisation over time.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use support::cpuchart::Chart;
use support::cpustat::Sampler;
use support::stats::Summary;
use support::table::Table;
use support::toyvm::Mode;

use crate::workloads::{self, spin_in_threads, spin_with_rayon, vm_spin_in_threads};
use crate::{Options, python};

/// Where the same loop runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    RustThreads,
    Rayon,
    ToyGil,
    ToyNoGil,
    ToyProcesses,
    PyThreads,
    PyProcesses,
}

impl Runtime {
    pub const ALL: [Runtime; 7] = [
        Runtime::RustThreads,
        Runtime::Rayon,
        Runtime::ToyGil,
        Runtime::ToyNoGil,
        Runtime::ToyProcesses,
        Runtime::PyThreads,
        Runtime::PyProcesses,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Runtime::RustThreads => "Rust threads",
            Runtime::Rayon => "rayon",
            Runtime::ToyGil => "toy VM, GIL",
            Runtime::ToyNoGil => "toy VM, no GIL",
            Runtime::ToyProcesses => "toy VM, processes",
            Runtime::PyThreads => "CPython threads",
            Runtime::PyProcesses => "CPython processes",
        }
    }

    fn is_python(self) -> bool {
        matches!(self, Runtime::PyThreads | Runtime::PyProcesses)
    }
}

/// Iterations of the loop per runtime, each calibrated so that one thread takes about
/// the same time: the runtimes differ a hundredfold in speed per iteration.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub rust: u64,
    pub vm: u64,
    pub python: Option<u64>,
}

/// One runtime at one thread count.
#[derive(Debug, Clone)]
pub struct Cell {
    pub threads: usize,
    pub wall: Summary,
    /// CPU time of this process and its children divided by wall time: cores' worth used.
    pub cores_busy: f64,
}

/// One runtime at every thread count, and its per-core chart.
#[derive(Debug, Clone)]
pub struct Row {
    pub runtime: Runtime,
    pub cells: Vec<Cell>,
    pub chart: Chart,
}

impl Row {
    /// Wall time with one thread over wall time with `cell`'s threads (medians).
    pub fn speedup(&self, cell: &Cell) -> f64 {
        self.cells[0].wall.median.as_secs_f64() / cell.wall.median.as_secs_f64()
    }
}

/// 1, 2, 4, 8 and the number of cores, in order, without repeats.
pub fn thread_counts(cores: usize) -> Vec<usize> {
    let mut counts = vec![1, 2, 4, 8, cores];
    counts.sort_unstable();
    counts.dedup();
    counts
}

/// Calibrates each runtime's loop to about `target` on one thread.
pub fn calibrate(target: Duration, with_python: bool) -> Result<Sizes> {
    let rust = workloads::calibrate(target, |n| {
        workloads::spin(n);
    });
    let vm = workloads::calibrate(target, |n| {
        vm_spin_in_threads(n, 1, Mode::DEFAULT_GIL);
    });
    let python = if with_python {
        Some(python::calibrate(target)?)
    } else {
        None
    };
    Ok(Sizes { rust, vm, python })
}

/// Runs `runtime` once with `threads` workers and returns the wall time of the work.
fn run_once(runtime: Runtime, sizes: Sizes, threads: usize) -> Result<Duration> {
    let start = Instant::now();
    match runtime {
        Runtime::RustThreads => {
            spin_in_threads(sizes.rust, threads);
        }
        Runtime::Rayon => {
            // The pool's start is left out of the timing, as a program's pool lives long.
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()?;
            let start = Instant::now();
            spin_with_rayon(sizes.rust, &pool);
            return Ok(start.elapsed());
        }
        Runtime::ToyGil => {
            vm_spin_in_threads(sizes.vm, threads, Mode::DEFAULT_GIL);
        }
        Runtime::ToyNoGil => {
            vm_spin_in_threads(sizes.vm, threads, Mode::NoGil);
        }
        Runtime::ToyProcesses => vm_in_processes(sizes.vm, threads)?,
        Runtime::PyThreads | Runtime::PyProcesses => {
            let how = if runtime == Runtime::PyThreads {
                "threads"
            } else {
                "processes"
            };
            let total = sizes.python.context("python3 was not calibrated")?;
            let (n, total) = (threads.to_string(), total.to_string());
            return python::timed(&["cpu", how, &n, &total]);
        }
    }
    Ok(start.elapsed())
}

// ANCHOR: processes
/// The toy VM in `n` processes, each a fresh copy of this lesson (`--vm-spin`) running
/// one VM thread with its own interpreter lock; each gets an `n`th of the work. Their
/// start-up (fork, exec, loading the program) is inside the timing: it is the price.
fn vm_in_processes(iterations: u64, n: usize) -> Result<()> {
    let exe = std::env::current_exe()?;
    let each = (iterations / n as u64).to_string();
    std::thread::scope(|s| {
        let children: Vec<_> = (0..n)
            .map(|_| {
                s.spawn(|| {
                    let mut vm = Command::new(&exe);
                    vm.args(["--vm-spin", &each]).stdout(Stdio::null());
                    support::child::status(&mut vm)
                })
            })
            .collect();
        for child in children {
            let status = child.join().expect("a spawning thread panicked")?;
            if !status.success() {
                bail!("a VM process ended badly: {status}");
            }
        }
        Ok(())
    })
}
// ANCHOR_END: processes

/// CPU time used so far by this process (all its threads) and its reaped children.
fn cpu_time() -> Duration {
    let of = |who| {
        // SAFETY: getrusage fills the struct we pass; all-zero is a valid rusage.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `usage` is a valid, writable rusage for the call to fill.
        unsafe { libc::getrusage(who, &mut usage) };
        let t = |tv: libc::timeval| Duration::new(tv.tv_sec as u64, tv.tv_usec as u32 * 1000);
        t(usage.ru_utime) + t(usage.ru_stime)
    };
    of(libc::RUSAGE_SELF) + of(libc::RUSAGE_CHILDREN)
}

/// Measures one runtime at every thread count, sampling every core all the while.
pub fn measure(runtime: Runtime, sizes: Sizes, counts: &[usize], o: &Options) -> Result<Row> {
    let sampler = Sampler::start(o.sample_every);
    let mut cells = Vec::new();
    let mut marks = Vec::new();
    for &threads in counts {
        marks.push((sampler.mark(), threads.to_string()));
        let (cpu_before, wall_before) = (cpu_time(), Instant::now());
        let mut times = Vec::new();
        for _ in 0..o.runs {
            times.push(run_once(runtime, sizes, threads)?);
        }
        let busy = (cpu_time() - cpu_before).as_secs_f64() / wall_before.elapsed().as_secs_f64();
        cells.push(Cell {
            threads,
            wall: Summary::of(times).expect("at least one run"),
            cores_busy: busy,
        });
    }
    let samples = sampler.finish();
    let title = format!("{}: the loop in {} threads", runtime.name(), join(counts));
    Ok(Row {
        runtime,
        cells,
        chart: Chart {
            title,
            samples,
            marks,
        },
    })
}

fn join(counts: &[usize]) -> String {
    counts
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Measures and draws every runtime that can run here.
pub fn show_experiment(o: &Options, py: Option<&python::Python>) -> Result<Vec<Row>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let counts = thread_counts(cores);
    let sizes = calibrate(o.target, py.is_some())?;
    println!(
        "  The loop is calibrated to take about {} on one thread in each runtime:\n  \
         {} Rust iterations, {} toy-VM iterations, {}.",
        support::fmt::duration(o.target),
        sizes.rust,
        sizes.vm,
        sizes
            .python
            .map_or("no python3".into(), |n| format!("{n} CPython iterations")),
    );
    println!(
        "  The total is fixed: n threads each do 1/n of it. Every core sampled from /proc/stat\n  \
         every {} (the whole machine: other programs show too). One row per core; █ = busy.",
        support::fmt::duration(o.sample_every)
    );
    let mut rows = Vec::new();
    for runtime in Runtime::ALL {
        if runtime.is_python() && py.is_none() {
            continue;
        }
        let row = measure(runtime, sizes, &counts, o)?;
        println!("\n  {}", row.chart.title);
        print!("{}", row.chart.to_terminal(100));
        rows.push(row);
    }
    Ok(rows)
}

/// The speedup table of every runtime measured.
pub fn show_table(rows: &[Row], runs: usize) {
    let Some(first) = rows.first() else { return };
    let mut headers = vec!["runtime".to_string(), "1 thread".into()];
    headers.extend(first.cells[1..].iter().map(|c| format!("{}", c.threads)));
    let most = first.cells.last().map_or(1, |c| c.threads);
    headers.push(format!("cores busy at {most}"));
    let mut table = Table::new(headers);
    for c in 1..first.cells.len() + 2 {
        table = table.right(c);
    }
    let mut widest = (0.0, "", 0);
    for row in rows {
        let mut cells = vec![
            row.runtime.name().to_string(),
            support::fmt::duration(row.cells[0].wall.median),
        ];
        cells.extend(
            row.cells[1..]
                .iter()
                .map(|c| format!("{:.2}×", row.speedup(c))),
        );
        let last = row.cells.last().expect("a cell per count");
        cells.push(format!("{:.2}", last.cores_busy));
        table.row(cells);
        for cell in &row.cells {
            let w = &cell.wall;
            let spread = (w.q3 - w.q1).as_secs_f64() / w.median.as_secs_f64();
            if spread > widest.0 {
                widest = (spread, row.runtime.name(), cell.threads);
            }
        }
    }
    print!("{table}");
    let spread = if runs > 1 {
        format!(
            "\nWidest middle half of any cell: {:.0} % of its median ({}, {} thread(s)).",
            widest.0 * 100.0,
            widest.1,
            widest.2
        )
    } else {
        "\nOne run per cell: no spread to report; run without --quick for medians.".into()
    };
    support::fmt::note(&format!(
        "Columns 2 and up: speedup = one thread's wall time / n threads' (median of {runs} \
         run(s) each).\n\
         Cores busy: CPU time of the lesson and its children / wall time, at {most} threads.\n\
         The machine-wide charts above include other programs; this column does not.{spread}"
    ));
}

/// Writes every chart to one SVG file under `target/` and returns its path.
pub fn write_svg(rows: &[Row]) -> Result<std::path::PathBuf> {
    let exe = std::env::current_exe()?;
    // target/<profile>/lesson-08 → target/
    let target = exe
        .parent()
        .and_then(|p| p.parent())
        .context("the lesson's binary is not inside a target directory")?;
    let path = target.join("lesson-08-cpu-per-core.svg");
    let charts: Vec<Chart> = rows.iter().map(|r| r.chart.clone()).collect();
    let caption = "Chapter 08: every core's utilisation while the same loop runs (marks: threads)";
    std::fs::write(&path, support::cpuchart::svg(&charts, caption))
        .with_context(|| format!("could not write {}", path.display()))?;
    Ok(path)
}
