//! Chapter 02 — Memory regions.
//!
//! `cargo run -p lesson-02` takes the addresses of things a Rust program keeps in memory
//! (a function, statics, a `Box`, a large `Vec`, a local, a thread-local), finds each in
//! the process's own memory map (`/proc/self/maps`), draws that map, watches the stack and
//! the heap grow, starts itself twice to show address-space layout randomisation, and
//! forks to show that two processes can hold different values at the same address.

mod aslr;
mod growth;
mod isolation;
mod layout;
mod maps;
mod places;

use std::process::ExitCode;

use clap::{Arg, ArgAction, Command};
use support::fmt;

fn cli() -> Command {
    Command::new("lesson-02")
        .about("Chapter 02: where code, statics, heap and stack live in a process's memory")
        .arg(
            Arg::new("quick")
                .long("quick")
                .action(ArgAction::SetTrue)
                .help("Fewer runs (what the tests use)"),
        )
        .arg(
            Arg::new("print-addresses")
                .long("print-addresses")
                .action(ArgAction::SetTrue)
                .hide(true)
                .help("Print a few addresses and exit (the ASLR step runs the lesson this way)"),
        )
}

fn main() -> ExitCode {
    support::fmt::end_quietly_when_output_closes();
    let args = cli().get_matches();
    if args.get_flag("print-addresses") {
        aslr::print_addresses();
        return ExitCode::SUCCESS;
    }
    let aslr_runs = if args.get_flag("quick") { 2 } else { 3 };
    match tell_the_story(aslr_runs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "{}",
                support::fmt::stopped("lesson-02", &format!("{error:#}"))
            );
            ExitCode::from(2)
        }
    }
}

// ANCHOR: story
fn tell_the_story(aslr_runs: usize) -> Result<(), Box<dyn std::error::Error>> {
    support::child::reap_on_interrupt()?;
    fmt::chapter(2, "Memory regions");
    let places = places::show_where_things_live()?;
    layout::show_the_map(&places)?;
    growth::show_the_stack_growing_down();
    growth::show_the_heap_growing()?;
    aslr::show_aslr(aslr_runs)?;
    isolation::show_same_address_different_values()?;
    Ok(())
}
// ANCHOR_END: story
