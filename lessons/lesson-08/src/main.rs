//! Chapter 08 — A GIL-like lock.
//!
//! `cargo run -p lesson-08` runs the same CPU-bound loop in 1, 2, 4, 8 (and as many as
//! there are cores) threads under plain Rust threads, rayon, a toy interpreter with a
//! global interpreter lock and without one, the toy interpreter in several processes,
//! and the real CPython; it charts its own CPU time on every core as it goes, beside the
//! whole machine's. Then it shows I/O-bound threads overlapping, the convoy effect, and
//! `x += 1` losing updates under the lock.
//!
//! The toy VM in N processes runs the lesson's own binary again with the hidden
//! `--vm-spin ITERATIONS` argument.

mod conditions;
mod cpu;
mod cpuchart;
mod cpustat;
mod io;
mod owncpu;
mod python;
mod race;
mod sampler;
mod workloads;

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use clap::{Arg, ArgAction, Command, value_parser};
use support::fmt;

/// How much measuring to do.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// One thread's time for the CPU-bound loop, in each runtime.
    pub target: Duration,
    /// Timed runs per runtime and thread count.
    pub runs: usize,
    /// How often the program's threads and every core's utilisation are read.
    pub sample_every: Duration,
    /// The I/O-bound threads: how many sleeps each, of how long.
    pub sleeps: u64,
    pub sleep_ms: u64,
    /// The convoy step: how many 1 ms sleeps the I/O thread makes.
    pub convoy_sleeps: u64,
    /// The lost-update step: increments per thread.
    pub increments: u64,
}

fn cli() -> Command {
    Command::new("lesson-08")
        .about(
            "Chapter 08: a GIL-like lock — the same loop in threads, a toy interpreter, processes",
        )
        .arg(
            Arg::new("quick")
                .long("quick")
                .action(ArgAction::SetTrue)
                .help("Shorter loops and one run per measurement (for tests)"),
        )
        .arg(
            Arg::new("vm-spin")
                .long("vm-spin")
                .value_name("ITERATIONS")
                .value_parser(value_parser!(u64))
                .hide(true)
                .help("Internal: be one of the toy VM's processes and run the loop"),
        )
}

fn main() -> ExitCode {
    let args = cli().get_matches();
    if let Some(&iterations) = args.get_one::<u64>("vm-spin") {
        workloads::vm_spin_in_threads(iterations, 1, ch08_toyvm::Mode::DEFAULT_GIL);
        return ExitCode::SUCCESS;
    }
    let o = if args.get_flag("quick") {
        Options {
            target: Duration::from_millis(40),
            runs: 1,
            sample_every: Duration::from_millis(20),
            sleeps: 2,
            sleep_ms: 10,
            convoy_sleeps: 5,
            increments: 20_000,
        }
    } else {
        Options {
            target: Duration::from_millis(300),
            runs: 3,
            sample_every: Duration::from_millis(20),
            sleeps: 4,
            sleep_ms: 25,
            convoy_sleeps: 20,
            increments: 100_000,
        }
    };
    fmt::chapter(8, "A GIL-like lock");
    // Ctrl-C in the middle of a measurement must not leave a VM process or python3 behind,
    // nor the children of a `python3` that is a shell-script wrapper (pyenv's shim): the
    // handler makes the lesson a child subreaper, so those orphans come back to be reaped.
    if let Err(error) = support::child::reap_on_interrupt() {
        eprintln!("lesson-08: could not install the Ctrl-C handler: {error}");
    }
    match tell_the_story(o) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "{}",
                support::fmt::stopped("lesson-08", &format!("{error:#}"))
            );
            ExitCode::FAILURE
        }
    }
}

fn tell_the_story(o: Options) -> Result<()> {
    let py = python::find();
    conditions::show(py.as_ref());
    fmt::step("1. The same loop in 1, 2, 4, N and 8 threads");
    let rows = cpu::show_experiment(&o, py.as_ref())?;
    fmt::step("2. The speedup table");
    cpu::show_table(&rows, o.runs);
    cpu::show_gil_verdict(&rows);
    let svg = cpu::write_svg(&rows)?;
    println!("  The same charts as an SVG file: {}", svg.display());
    let counts: Vec<usize> = rows
        .first()
        .map_or(vec![1], |r| r.cells.iter().map(|c| c.threads).collect());
    fmt::step("3. I/O-bound threads overlap");
    io::show_io_bound(&o, &counts, py.is_some())?;
    fmt::step("4. The convoy effect");
    io::show_convoy(&o);
    fmt::step("5. The GIL does not make x += 1 thread-safe");
    race::show_lost_updates(o.increments);
    race::show_cpython_race(py.as_ref());
    Ok(())
}
