//! Chapter 07 — Critical sections.
//!
//! `cargo run -p lesson-07` makes a race happen (lost updates), shows every interleaving
//! that makes it, fixes it three ways and times each fix, runs two memory-ordering litmus
//! tests live (store buffering, message passing) under `Relaxed`, `Release`/`Acquire` and
//! `SeqCst`, poisons a lock, bounds a crowd with a semaphore, passes work through a bounded
//! buffer, deadlocks two threads for real (in a subprocess) and fixes that with lock
//! ordering, shows what a waiter tells the kernel with and without priority inheritance and
//! measures how fairly two locks hand over, and runs a model of the Therac-25 race through
//! the interleaving explorer.
//!
//! `cargo run -p lesson-07 -- explore --seed N` is a predict-then-reveal puzzle.

mod buffer;
mod deadlock;
mod explore;
mod fairness;
mod fixes;
mod interleave;
mod lost;
mod ordering;
mod poison;
mod semaphore;

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use clap::{Arg, ArgAction, Command, builder::PossibleValuesParser, value_parser};
use support::fmt;

/// How much to do: the default run stays well under 20 s on a 2-core machine.
#[derive(Debug, Clone, Copy)]
struct Options {
    /// Racy increments per thread in step 1: a short and a long run.
    race_sizes: [u64; 2],
    race_runs: usize,
    /// Increments per thread and timed runs in step 3.
    fix_increments: u64,
    fix_runs: usize,
    /// Trials of each memory-ordering litmus test in step 4, and the most time each may
    /// take (a busy machine runs fewer in that time).
    litmus_trials: usize,
    litmus_budget: Duration,
    /// Threads and rounds at the semaphore, numbers per producer in the buffer.
    crowd: usize,
    rounds: usize,
    items: u64,
    /// How long the deadlocked subprocess may hang before it is killed.
    limit: Duration,
    /// How long each lock is contended for in step 9.
    contend_for: Duration,
}

fn cli() -> Command {
    Command::new("lesson-07")
        .about(
            "Chapter 07: critical sections — races, every interleaving, locks, memory ordering, \
             semaphores, deadlock, fairness",
        )
        .arg(
            Arg::new("quick")
                .long("quick")
                .action(ArgAction::SetTrue)
                .help("Fewer and shorter runs (for tests)"),
        )
        .arg(
            Arg::new("demo")
                .long("demo")
                .value_name("KIND")
                .value_parser(PossibleValuesParser::new(deadlock::DEMOS))
                .hide(true)
                .help("Internal: be the subprocess that deadlocks, or takes its locks in order"),
        )
        .subcommand(
            Command::new("explore")
                .about("A random little program: predict its possible results, then check")
                .arg(
                    Arg::new("seed")
                        .long("seed")
                        .value_name("N")
                        .value_parser(value_parser!(u64))
                        .help("Which puzzle (any whole number; the same seed, the same puzzle)"),
                )
                .arg(
                    Arg::new("answer")
                        .long("answer")
                        .action(ArgAction::SetTrue)
                        .help("Reveal every possible outcome, found by trying every schedule"),
                ),
        )
}

fn main() -> ExitCode {
    let args = cli().get_matches();
    if let Some(kind) = args.get_one::<String>("demo") {
        return deadlock::demo(kind);
    }
    if let Some(puzzle) = args.subcommand_matches("explore") {
        let seed = puzzle
            .get_one::<u64>("seed")
            .copied()
            .unwrap_or_else(|| support::seeded::fresh() % 1000);
        explore::predict(seed, puzzle.get_flag("answer"));
        return ExitCode::SUCCESS;
    }
    let options = if args.get_flag("quick") {
        Options {
            race_sizes: [20_000, 200_000],
            race_runs: 3,
            fix_increments: 100_000,
            fix_runs: 3,
            litmus_trials: 20_000,
            litmus_budget: Duration::from_millis(200),
            crowd: 4,
            rounds: 3,
            items: 200,
            limit: Duration::from_millis(1500),
            contend_for: Duration::from_millis(100),
        }
    } else {
        Options {
            race_sizes: [100_000, 2_000_000],
            race_runs: 5,
            fix_increments: 1_000_000,
            fix_runs: 7,
            litmus_trials: 200_000,
            litmus_budget: Duration::from_millis(400),
            crowd: 6,
            rounds: 10,
            items: 5_000,
            limit: Duration::from_secs(2),
            contend_for: Duration::from_millis(300),
        }
    };
    fmt::chapter(7, "Critical sections");
    show_conditions();
    // Ctrl-C during the deadlock demonstration must not leave the hung subprocess behind.
    if let Err(error) = support::child::reap_on_interrupt() {
        eprintln!("lesson-07: could not install the Ctrl-C handler: {error}");
    }
    match tell_the_story(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "{}",
                support::fmt::stopped("lesson-07", &format!("{error:#}"))
            );
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: story
fn tell_the_story(o: Options) -> Result<()> {
    let threads = 4;
    let all_cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    lost::show(threads, o.race_sizes, o.race_runs)?;
    explore::show_every_interleaving();
    fixes::show(all_cores, o.fix_increments, o.fix_runs);
    ordering::show(o.litmus_trials, o.litmus_budget);
    poison::show();
    semaphore::show(o.crowd, o.rounds);
    buffer::show(o.items);
    deadlock::show(o.limit)?;
    fairness::show(o.contend_for)?;
    explore::show_therac();
    Ok(())
}
// ANCHOR_END: story

/// The build and the environment, and what they do to this run's figures.
fn show_conditions() {
    let release = if cfg!(target_arch = "x86_64") {
        "Measured in a release build (optimised). rustc 1.95 -O makes step 1's load and\n\
         store one `inc` instruction, which a preemption cannot split: pinned runs then\n\
         lose nothing. Spread runs can still lose: an `inc` without `lock` is not atomic\n\
         across cores."
    } else {
        "Measured in a release build (optimised)."
    };
    fmt::Conditions::build(
        "Measured in a debug build (unoptimised): the counting loops of steps 1 and 3 run\n\
         several times slower than with `cargo run --release -p lesson-07`, and step 1's\n\
         load and store stay two separate calls, which a preemption can split. (On x86-64,\n\
         rustc 1.95 -O makes the pair one `inc`: pinned runs then cannot lose.)",
        release,
    )
    .backtrace(
        "RUST_BACKTRACE is set: step 5's deliberate panic is printed without a backtrace.",
        "",
    )
    .note();
}
