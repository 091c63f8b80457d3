//! Chapter 04 — Threads.
//!
//! `cargo run -p lesson-04` starts threads and looks at them from every side: Rust's
//! handle and ID, the kernel's TID and task list, each thread's own stack in the memory
//! map next to the heap and statics they all share, thread-locals, and the CPUs the
//! threads actually ran on; and, where `strace` is installed, the one system call that
//! makes a thread and a process alike.

mod clone_flags;
mod cpus;
mod crew;
mod identity;
mod memory;

use std::cell::Cell;
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Arg, ArgAction, Command, builder::PossibleValuesParser, value_parser};
use support::fmt;

/// What the command line asked for.
#[derive(Debug, Clone, Copy)]
struct Options {
    /// How many worker threads the identity, stack and thread-local steps start.
    workers: usize,
    /// How long each thread samples its CPU in the last step.
    sampling: Duration,
}

fn cli() -> Command {
    Command::new("lesson-04")
        .about("Chapter 04: threads — one process, several flows, each with its own stack")
        .arg(
            Arg::new("threads")
                .long("threads")
                .value_name("N")
                .value_parser(value_parser!(u16).range(1..=32))
                .default_value("3")
                .help("How many worker threads to start (1 to 32)"),
        )
        .arg(
            Arg::new("quick")
                .long("quick")
                .action(ArgAction::SetTrue)
                .help("Sample CPUs for a short time only (for tests)"),
        )
        .arg(
            Arg::new("demo")
                .long("demo")
                .value_name("KIND")
                .value_parser(PossibleValuesParser::new(clone_flags::DEMOS))
                .hide(true)
                .help("Internal: start one thread, or fork one process, for strace to watch"),
        )
}

fn options(args: &clap::ArgMatches) -> Options {
    let quick = args.get_flag("quick");
    Options {
        workers: usize::from(*args.get_one::<u16>("threads").expect("has a default")),
        sampling: Duration::from_millis(if quick { 60 } else { 400 }),
    }
}

fn main() -> ExitCode {
    support::fmt::end_quietly_when_output_closes();
    let args = cli().get_matches();
    if let Some(kind) = args.get_one::<String>("demo") {
        return clone_flags::run_demo(kind);
    }
    let options = options(&args);
    fmt::chapter(4, "Threads");
    // Ctrl-C while strace runs (step 6) must not leave it, or what it traces, behind.
    if let Err(error) = support::child::reap_on_interrupt() {
        eprintln!("lesson-04: could not install the Ctrl-C handler: {error}");
    }
    match tell_the_story(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "{}",
                support::fmt::stopped("lesson-04", &format!("{error:#}"))
            );
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: story
fn tell_the_story(options: Options) -> Result<()> {
    start_and_join()?;
    // The same workers serve steps 2 to 4, so their stacks can be compared across steps.
    let crew = crew::Crew::start(options.workers, |i| {
        (options.workers > 1 && i == options.workers).then_some(memory::SMALL_STACK)
    })?;
    identity::show_ids_and_tasks(&crew)?;
    let stacks = memory::show_stacks_and_shared_memory(&crew)?;
    show_thread_locals(&crew, &stacks)?;
    drop(crew);
    cpus::show_where_threads_ran(options.sampling)?;
    clone_flags::show_clone_flags()?;
    Ok(())
}
// ANCHOR_END: story

fn start_and_join() -> Result<()> {
    fmt::step("1. Start and join");
    // ANCHOR: spawn_join
    // spawn() starts the thread (Python's start()); the closure is its whole life.
    let handle = thread::spawn(|| (1..=1_000u64).sum::<u64>());
    // join() waits until that thread has finished and hands back what it returned:
    // Ok(value), or Err(panic payload) if it panicked.
    let result = handle.join();
    // ANCHOR_END: spawn_join
    println!("  thread::spawn(sum 1..=1000), then join()  → {result:?}");

    // ANCHOR: named
    let named = thread::Builder::new()
        .name("lesson-worker".into())
        .spawn(|| thread::current().name().map(str::to_owned))
        .context("could not start a named thread")?;
    let name_seen_inside = named.join().expect("the named thread does not panic");
    // ANCHOR_END: named
    println!("  Builder::name(\"lesson-worker\"), asked from inside → {name_seen_inside:?}");

    // ANCHOR: scoped
    let words: Vec<String> = ["code", "data", "heap", "stack"].map(String::from).into();
    // A scoped thread may borrow `words` from this stack frame: scope() does not return
    // until every thread started in it has been joined, so the borrow cannot outlive it.
    let lengths: Vec<usize> = thread::scope(|s| {
        let handles: Vec<_> = words.iter().map(|w| s.spawn(move || w.len())).collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).collect()
    });
    // ANCHOR_END: scoped
    println!("  thread::scope: 4 threads borrowed `words` → lengths {lengths:?}");
    fmt::note(
        "The main thread is a thread too: it waited in join() while the others ran.\n\
         A thread that is never joined is cut off when main returns.",
    );
    Ok(())
}

// ANCHOR: thread_local
thread_local! {
    /// One counter per thread: the same name in every thread, a different variable in each.
    static VISITS: Cell<u32> = const { Cell::new(0) };
}

/// Adds `times` to this thread's own counter; returns (the counter's address, its value).
fn visit(times: u32) -> (usize, u32) {
    VISITS.with(|visits| {
        visits.set(visits.get() + times);
        (visits as *const Cell<u32> as usize, visits.get())
    })
}
// ANCHOR_END: thread_local

fn show_thread_locals(crew: &crew::Crew, stacks: &[memory::StackMapping]) -> Result<()> {
    fmt::step("4. Thread-locals");
    let main_seen = visit(1);
    // The same workers as in steps 2 and 3, still alive: their stacks are still mapped.
    let seen = crew.ask(|i| visit(10 * i as u32))?;
    let maps = memory::read_maps()?;
    let mut table =
        support::table::Table::new(["thread", "address of VISITS", "value", "in mapping"]).right(2);
    let mapping_of = |address: usize| {
        memory::containing(&maps, address as u64).map_or("not found".into(), memory::describe)
    };
    table.row([
        "main".to_string(),
        fmt::address(main_seen.0 as u64),
        main_seen.1.to_string(),
        mapping_of(main_seen.0),
    ]);
    for (label, (address, value)) in crew.labels().zip(&seen) {
        table.row([
            label.to_string(),
            fmt::address(*address as u64),
            value.to_string(),
            mapping_of(*address),
        ]);
    }
    print!("{table}");
    let mut addresses: Vec<usize> = seen.iter().map(|s| s.0).chain([main_seen.0]).collect();
    addresses.sort_unstable();
    addresses.dedup();
    support::checks::invariant(
        "every thread had its own VISITS at its own address",
        addresses.len() == crew.len() + 1,
    );
    support::checks::invariant(
        "main's VISITS still holds main's value after the workers ran",
        visit(0).1 == main_seen.1,
    );
    let inside_own_stack = seen.iter().zip(stacks).all(|((address, _), stack)| {
        stack.is_some_and(|(start, end)| (start..end).contains(&(*address as u64)))
    });
    support::checks::invariant(
        "each worker's VISITS lies in that worker's stack mapping from step 3",
        inside_own_stack,
    );
    fmt::note(
        "glibc puts a new thread's thread-locals at the top of the mapping it made for that\n\
         thread's stack; the main thread's were set up before main ran, elsewhere.",
    );
    Ok(())
}
