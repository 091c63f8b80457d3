//! Chapter 10 — Putting it to work.
//!
//! `cargo run -p lesson-10` opens up a thread pool built on crossbeam channels and runs the
//! same uneven jobs on rayon, measures rayon's speedup for 1…N threads, times two threads
//! whose counters share a cache line against the same counters padded apart, runs a
//! pipeline of bounded channels with and without a slow stage, serves one tiny protocol
//! three ways on loopback, shows where processes win (a crash, another program, a PID
//! namespace), reads this process's cgroups and the CPUs it may use, and checks how two
//! interpreters on this machine map their threads onto cores.

mod cgroups;
mod false_sharing;
mod languages;
mod pipeline;
mod pool;
mod processes;
mod scaling;
mod servers;
mod work;

use std::process::ExitCode;

use anyhow::Result;
use clap::{Arg, ArgAction, Command};
use support::fmt;

/// How much to measure: `--quick` (the tests) runs less of everything.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    pub quick: bool,
    /// CPUs this process may run on (`sched_getaffinity`, through std).
    pub cores: usize,
}

fn cli() -> Command {
    Command::new("lesson-10")
        .about(
            "Chapter 10: putting it to work — pools, rayon, pipelines, servers, processes, cgroups",
        )
        .arg(
            Arg::new("quick")
                .long("quick")
                .action(ArgAction::SetTrue)
                .help("Fewer runs and smaller jobs (for tests)"),
        )
        .arg(
            Arg::new("demo")
                .long("demo")
                .value_name("WHAT")
                .hide(true)
                .help("Internal: be a child process (crash, pidns)"),
        )
        .arg(
            Arg::new("serve")
                .long("serve")
                .value_name("SHAPE")
                .hide(true)
                .help("Internal: be a server (thread, pool, poll) on --port"),
        )
        .arg(
            Arg::new("port")
                .long("port")
                .value_name("PORT")
                .value_parser(clap::value_parser!(u16))
                .hide(true),
        )
}

fn main() -> ExitCode {
    let args = cli().get_matches();
    if let Some(what) = args.get_one::<String>("demo") {
        return processes::be_demo(what);
    }
    if let Some(shape) = args.get_one::<String>("serve") {
        let port = args.get_one::<u16>("port").copied().unwrap_or(0);
        return servers::be_server(shape, port);
    }
    fmt::chapter(10, "Putting it to work");
    // Ctrl-C kills and reaps the server and demo children before the lesson dies.
    if let Err(error) = support::child::reap_on_interrupt() {
        eprintln!("lesson-10: could not install the Ctrl-C handler: {error}");
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let ctx = Ctx {
        quick: args.get_flag("quick"),
        cores,
    };
    work::say_how_it_is_built();
    match tell_the_story(ctx) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "{}",
                support::fmt::stopped("lesson-10", &format!("{error:#}"))
            );
            ExitCode::FAILURE
        }
    }
}

fn tell_the_story(ctx: Ctx) -> Result<()> {
    pool::show_pool_and_rayon(ctx)?;
    scaling::show_rayon_scaling(ctx)?;
    false_sharing::show_false_sharing(ctx)?;
    pipeline::show_pipeline(ctx)?;
    servers::show_servers(ctx)?;
    processes::show_where_processes_win()?;
    cgroups::show_cgroups()?;
    languages::show_languages()?;
    Ok(())
}
