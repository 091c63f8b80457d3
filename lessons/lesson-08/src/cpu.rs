//! The source notes' experiment: the same CPU-bound loop in 1, 2, 4, N and 8 threads (or
//! processes), under each runtime, with wall time, speedup, and this program's CPU time on
//! every core over time beside the whole machine's.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use ch08_toyvm::Mode;
use support::stats::Summary;
use support::table::Table;

use crate::cpuchart::{self, Chart};
use crate::sampler::{Sampled, Sampler};
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

    /// What its workers are: each of its n copies of the loop runs in a thread of one
    /// process, or in a process of its own.
    pub fn workers(self) -> &'static str {
        match self {
            Runtime::ToyProcesses | Runtime::PyProcesses => "processes",
            _ => "threads",
        }
    }

    /// Whether one interpreter lock serialises its workers.
    fn has_one_gil(self) -> bool {
        matches!(self, Runtime::ToyGil | Runtime::PyThreads)
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

/// One runtime at one thread (or process) count.
#[derive(Debug, Clone)]
pub struct Cell {
    pub threads: usize,
    pub wall: Summary,
    /// CPU time of this program (its threads but the sampler, and its children) divided by
    /// wall time, from getrusage: how many cores' worth it used.
    pub cores_busy: f64,
}

/// One runtime at every thread count, and its per-core chart.
#[derive(Debug, Clone)]
pub struct Row {
    pub runtime: Runtime,
    pub cells: Vec<Cell>,
    pub chart: Chart,
    /// This program's CPU time over the whole chart, from getrusage (the sampler's left
    /// out): the chart's rows hold all of it but what threads used after their last read.
    pub cpu: Duration,
    /// The CPU time the sampling thread used meanwhile, left out of every figure.
    pub sampler_cpu: Duration,
    /// For the toy VM in this process: the most VM threads executing instructions at the
    /// same moment in any run (`ch08_toyvm::Report::max_running`); 0 for the others.
    pub most_at_once: usize,
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
    // The trials run what a 1-thread run of Rust threads (or of the toy VM with its GIL)
    // runs, result included: a trial that threw `spin`'s result away would let the
    // optimiser drop the additions, and size the loop for that cheaper one.
    let rust = workloads::calibrate(target, |n| {
        spin_in_threads(n, 1);
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

/// Runs `runtime` once with `threads` workers and returns the wall time of the work. For
/// the toy VM in this process, raises `at_once` to the most VM threads it saw executing
/// instructions at the same moment.
fn run_once(
    runtime: Runtime,
    sizes: Sizes,
    threads: usize,
    at_once: &mut usize,
) -> Result<Duration> {
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
        Runtime::ToyGil | Runtime::ToyNoGil => {
            let mode = if runtime == Runtime::ToyGil {
                Mode::DEFAULT_GIL
            } else {
                Mode::NoGil
            };
            let report = vm_spin_in_threads(sizes.vm, threads, mode);
            *at_once = (*at_once).max(report.max_running);
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

/// CPU time used so far by this process (all its threads) and its reaped children, and so
/// by their reaped children in turn (getrusage(2)).
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
    let row_start = cpu_time();
    let sampler = Sampler::start(o.sample_every);
    let mut cells = Vec::new();
    let mut marks = Vec::new();
    let mut most_at_once = 0;
    for &threads in counts {
        marks.push((sampler.mark(), threads.to_string()));
        let (cpu_before, wall_before) = (cpu_time() - sampler.sampler_cpu(), Instant::now());
        let mut times = Vec::new();
        for _ in 0..o.runs {
            times.push(run_once(runtime, sizes, threads, &mut most_at_once)?);
        }
        let cpu = (cpu_time() - sampler.sampler_cpu()).saturating_sub(cpu_before);
        cells.push(Cell {
            threads,
            wall: Summary::of(times).expect("at least one run"),
            cores_busy: cpu.as_secs_f64() / wall_before.elapsed().as_secs_f64(),
        });
    }
    let Sampled {
        cpus,
        samples,
        sampler_cpu,
    } = sampler.finish();
    let title = format!(
        "{}: the loop in {} {}",
        runtime.name(),
        join(counts),
        runtime.workers()
    );
    Ok(Row {
        runtime,
        cells,
        chart: Chart {
            title,
            cpus,
            samples,
            marks,
        },
        cpu: cpu_time().saturating_sub(row_start + sampler_cpu),
        sampler_cpu,
        most_at_once,
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
    let (target, every) = (o.target, o.sample_every);
    println!(
        "  Each loop was just sized to take {} on one thread: trial runs doubled its length\n  \
         until one took at least {}, then scaled it. {} Rust iterations (Rust threads\n  \
         and rayon), {} toy-VM iterations (its three rows), {}.\n  \
         A machine busier or quieter than during the trials makes the 1-worker times differ.",
        support::fmt::duration(target),
        support::fmt::duration(target / 4),
        sizes.rust,
        sizes.vm,
        sizes
            .python
            .map_or("no python3".into(), |n| format!("{n} CPython iterations")),
    );
    println!("{}", chart_legend(every));
    let mut rows = Vec::new();
    let mut sampler_cpu = Duration::ZERO;
    for runtime in Runtime::ALL {
        if runtime.is_python() && py.is_none() {
            continue;
        }
        let row = measure(runtime, sizes, &counts, o)?;
        println!("\n  {}", row.chart.title);
        print!("{}", row.chart.to_terminal(100));
        println!(
            "  CPU time of this program (getrusage): {}; the cpu rows hold {:.0} % of it.",
            support::fmt::duration(row.cpu),
            100.0 * row.chart.program_cpu().as_secs_f64() / row.cpu.as_secs_f64().max(1e-9)
        );
        if row.runtime == Runtime::ToyGil {
            support::checks::invariant(
                &format!(
                    "under its GIL, the toy VM never ran two threads' instructions at once \
                     (at most {})",
                    row.most_at_once
                ),
                row.most_at_once == 1,
            );
        }
        sampler_cpu += row.sampler_cpu;
        rows.push(row);
    }
    println!(
        "\n  The sampling thread itself used {} of CPU in all, left out of every figure.",
        support::fmt::duration(sampler_cpu)
    );
    Ok(rows)
}

/// What the charts show and how they were read.
fn chart_legend(every: Duration) -> String {
    format!(
        "  The total is fixed: n threads (or processes) each do 1/n of it. Every {} the lesson\n  \
         reads, for each of its threads and its child processes' threads, the core it last ran\n  \
         on and its CPU time so far (/proc/<pid>/task/<tid>/stat, schedstat), and charges the\n  \
         time since the last read to that core. cpuN: this program on core N (█ = all of it);\n  \
         program: all cores together; machine: everything the machine ran (/proc/stat), this\n  \
         program included. The gap between the two is mostly other programs, plus this\n  \
         program's own time the rows miss: a thread that ends between two reads leaves the\n  \
         time it used since the last one out of them.",
        support::fmt::duration(every)
    )
}

/// The speedup table of every runtime measured.
pub fn show_table(rows: &[Row], runs: usize) {
    let Some(first) = rows.first() else { return };
    let mut headers = vec!["runtime".to_string(), "1 worker".into()];
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
            "\nWidest middle half of any cell: {:.0} % of its median ({}, {} worker(s)).",
            widest.0 * 100.0,
            widest.1,
            widest.2
        )
    } else {
        "\nOne run per cell: no spread to report; run without --quick for medians.".into()
    };
    support::fmt::note(&format!(
        "A worker is a thread, or a process in the processes rows. Columns 2 and up: speedup =\n\
         one worker's wall time / n workers' (median of {runs} run(s) each).\n\
         Cores busy: CPU time of this program (getrusage, the sampler's left out) / wall time,\n\
         at {most} workers. Other programs on the machine do not count in it.{spread}"
    ));
}

/// The expectation that a runtime with one interpreter lock keeps this program near one
/// core whatever its thread count, judged on each cell's own CPU time (getrusage).
pub fn show_gil_verdict(rows: &[Row]) {
    let gil_rows: Vec<&Row> = rows.iter().filter(|r| r.runtime.has_one_gil()).collect();
    let Some(peak) = gil_rows
        .iter()
        .flat_map(|r| r.cells.iter().map(|c| c.cores_busy))
        .reduce(f64::max)
    else {
        return;
    };
    let most = |row: &&Row| {
        let top = row.cells.iter().map(|c| c.cores_busy).fold(0.0, f64::max);
        format!("{}: ≤ {top:.2}", row.runtime.name())
    };
    let program: Vec<String> = gil_rows.iter().map(most).collect();
    let machine: Vec<String> = gil_rows
        .iter()
        .map(|r| format!("{:.2}", r.chart.machine_cores()))
        .collect();
    support::checks::expectation(
        &format!(
            "GIL rows stayed near 1 core: at most {NEAR_ONE_CORE:.2} cores of this program's CPU \
             at every count"
        ),
        &format!(
            "{} (the machine: {})",
            program.join(", "),
            machine.join(", ")
        ),
        peak <= NEAR_ONE_CORE,
        "Threads under one lock run bytecode one at a time; the rest is their start, their \
         wake-ups each switch interval, and python3's own start. More than that suggests \
         a python3 built without the GIL (free-threaded).",
    );
}

/// How far above one core a GIL row may go and still count as near it: the lock lets one
/// thread run bytecode at a time, and what runs beside it (threads starting and ending,
/// each waiter waking once per switch interval to ask for the lock, python3 starting up)
/// takes a few hundredths of a core. A quarter of a core is well above that and well below
/// the 2 cores of a lock-free runtime on two.
const NEAR_ONE_CORE: f64 = 1.25;

/// Writes every chart to one SVG file under `target/` and returns its path, relative to
/// the current directory when it is inside it (`target/…` from the project's root).
pub fn write_svg(rows: &[Row]) -> Result<std::path::PathBuf> {
    let exe = std::env::current_exe()?;
    // target/<profile>/lesson-08 → target/
    let target = exe
        .parent()
        .and_then(|p| p.parent())
        .context("the lesson's binary is not inside a target directory")?;
    let path = target.join("lesson-08-cpu-per-core.svg");
    let charts: Vec<Chart> = rows.iter().map(|r| r.chart.clone()).collect();
    let caption =
        "Chapter 08: each core's use while the same loop runs (marks: threads or processes)";
    std::fs::write(&path, cpuchart::svg(&charts, caption))
        .with_context(|| format!("could not write {}", path.display()))?;
    let here = std::env::current_dir()?;
    Ok(path
        .strip_prefix(&here)
        .map_or(path.clone(), |p| p.to_path_buf()))
}
