//! Chapter 06 — Context switching.
//!
//! `cargo run -p lesson-06` counts the switches a sleeping and a spinning thread make,
//! times a token passed between two threads and between two processes (one core and two,
//! pipes and futex) beside `perf bench sched pipe`, adds a working set to see the caches'
//! part, and watches two CPU-bound threads take turns on one core.

mod cache;
mod conditions;
mod counting;
mod pingpong;
mod slices;
mod wire;

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use clap::{Arg, ArgAction, Command};
use support::fmt;

/// How much measuring to do.
#[derive(Debug, Clone)]
struct Options {
    naps: u32,
    ping: pingpong::Size,
    sizes_kib: Vec<usize>,
    cache_batches: usize,
    spin: Duration,
}

fn cli() -> Command {
    Command::new("lesson-06")
        .about("Chapter 06: context switching — counted, timed four ways, caches and time slices")
        .arg(
            Arg::new("quick")
                .long("quick")
                .action(ArgAction::SetTrue)
                .help("Fewer runs (for tests): a few seconds instead of about fifteen"),
        )
}

fn main() -> ExitCode {
    let args = cli().get_matches();
    let options = if args.get_flag("quick") {
        Options {
            naps: 20,
            ping: pingpong::Size {
                round_trips: 200,
                batches: 5,
            },
            sizes_kib: vec![0, 64, 1024],
            cache_batches: 3,
            spin: Duration::from_millis(100),
        }
    } else {
        Options {
            naps: 50,
            ping: pingpong::Size {
                round_trips: 1000,
                batches: 11,
            },
            sizes_kib: vec![0, 16, 64, 256, 1024, 4096],
            cache_batches: 7,
            spin: Duration::from_millis(400),
        }
    };
    fmt::chapter(6, "Context switching");
    conditions::show();
    // Ctrl-C in the middle of a measurement must not leave a forked end behind.
    if let Err(error) = support::child::reap_on_interrupt() {
        eprintln!("lesson-06: could not install the Ctrl-C handler: {error}");
    }
    match tell_the_story(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "{}",
                support::fmt::stopped("lesson-06", &format!("{error:#}"))
            );
            ExitCode::FAILURE
        }
    }
}

fn tell_the_story(o: &Options) -> Result<()> {
    counting::show(o.naps)?;
    let pinned = pingpong::show(o.ping)?;
    pingpong::compare_with_perf(o.ping, &pinned)?;
    let rows = cache::show(&o.sizes_kib, o.cache_batches)?;
    slices::show(o.spin)?;
    claim_checked(&pinned, &rows);
    Ok(())
}

/// The source notes' claims next to this run's numbers.
fn claim_checked(pinned: &pingpong::Pinned, rows: &[cache::Row]) {
    fmt::step("5. The claim, checked");
    let (p, t) = (
        pinned.processes.per_round_trip.median,
        pinned.threads.per_round_trip.median,
    );
    println!(
        "  Pinned to one core, empty working set: processes {} vs threads {} per round trip.",
        fmt::duration(p),
        fmt::duration(t)
    );
    if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
        println!(
            "  Working set {} KiB → {} KiB: threads {} → {}, processes {} → {}.",
            first.kib,
            last.kib,
            fmt::duration(first.threads),
            fmt::duration(last.threads),
            fmt::duration(first.processes),
            fmt::duration(last.processes)
        );
    }
    fmt::note(
        "\"Threads switch faster because of the cache\": the data refill grows with the working\n\
         set for both; what a process switch adds is the change of page tables (and TLB\n\
         entries): the gap between step 3's two columns. Step 2 shows what else matters:\n\
         one core or two. \"A process switch throws the cache away\": no; the kernel does not\n\
         flush data caches on a switch. The other side's working set evicts yours.",
    );
}
