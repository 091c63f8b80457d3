//! Chapter 05 — Processes versus threads.
//!
//! `cargo run -p lesson-05` crashes things on purpose — a child process, a thread — and
//! shows what each crash takes down; then measures what threads and processes cost to
//! start, to keep, and to hand data to, and fills a table to choose with.
//!
//! Every crash that would end the lesson's own process happens in a subprocess: the
//! lesson runs itself again with the hidden `--demo <kind>` argument.

mod conditions;
mod cost;
mod crashes;
mod demo;
mod faults;
mod memory;
mod summary;

use std::process::ExitCode;

use anyhow::Result;
use clap::{Arg, ArgAction, Command, builder::PossibleValuesParser};
use support::fmt;

/// How much measuring to do.
#[derive(Debug, Clone, Copy)]
struct Options {
    /// Timed runs for each start-cost measurement.
    runs: usize,
    /// Extra memory the parent holds for the second fork measurement.
    big_parent: usize,
    /// Idle threads, and idle children, for the memory step.
    idle: usize,
    /// Bytes handed over in the sharing step, and how many times.
    payload: usize,
    payload_runs: usize,
}

fn cli() -> Command {
    Command::new("lesson-05")
        .about("Chapter 05: processes versus threads — what a crash takes down, and what each costs")
        .arg(
            Arg::new("quick")
                .long("quick")
                .action(ArgAction::SetTrue)
                .help("Fewer runs and smaller payloads (for tests)"),
        )
        .arg(
            Arg::new("demo")
                .long("demo")
                .value_name("KIND")
                .value_parser(PossibleValuesParser::new(demo::MODES))
                .hide(true)
                .help("Internal: be the subprocess that crashes in a thread, or measures idle threads"),
        )
}

fn main() -> ExitCode {
    let args = cli().get_matches();
    if let Some(kind) = args.get_one::<String>("demo") {
        return demo::run(kind);
    }
    let options = if args.get_flag("quick") {
        Options {
            runs: 40,
            big_parent: 16 << 20,
            idle: 4,
            payload: 4 << 20,
            payload_runs: 8,
        }
    } else {
        Options {
            runs: 300,
            big_parent: 128 << 20,
            idle: 8,
            payload: 32 << 20,
            payload_runs: 15,
        }
    };
    fmt::chapter(5, "Processes versus threads");
    conditions::show();
    // Ctrl-C in the middle of a measurement must not leave children behind.
    if let Err(error) = support::child::reap_on_interrupt() {
        eprintln!("lesson-05: could not install the Ctrl-C handler: {error}");
    }
    match tell_the_story(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "{}",
                support::fmt::stopped("lesson-05", &format!("{error:#}"))
            );
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: story
fn tell_the_story(o: Options) -> Result<()> {
    let child_crash = crashes::show_child_crash()?;
    let thread_crash = crashes::show_thread_crash()?;
    let panic_at_join = crashes::show_panic_at_join()?;
    let start = cost::show_start_costs(o.runs, o.big_parent)?;
    let memory = memory::show_memory_costs(o.idle)?;
    let sharing = cost::show_sharing_costs(o.payload, o.payload_runs)?;
    let isolation = crashes::Isolation {
        child_crash,
        thread_crash,
        panic_at_join,
    };
    summary::show_when_to_choose(&summary::Findings {
        isolation,
        start,
        memory,
        sharing,
    });
    Ok(())
}
// ANCHOR_END: story
