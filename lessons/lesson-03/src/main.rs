//! Chapter 03 — Processes: fork, exec, wait.
//!
//! `cargo run -p lesson-03` forks from its own single-threaded `main`: one call that
//! returns twice, several children with one parent, exit statuses collected by `wait`, a
//! zombie caught in `/proc`, an orphan adopted, a child that becomes another program with
//! `exec` (the lesson itself is one: `cargo run` execs into it), the system calls seen
//! by `strace`, files shared across fork and rewired with `dup2`, fork from a threaded
//! process, several children running different code at once — and then measures what
//! `fork` copies (copy-on-write page faults) and what it costs as the parent grows.

mod conditions;
mod cost;
mod cow;
mod exec;
mod family;
mod files;
mod report;
mod syscalls;
mod threaded;
mod zombies;

use std::process::ExitCode;

use clap::{Arg, ArgAction, Command};
use support::fmt;

fn cli() -> Command {
    Command::new("lesson-03")
        .about("Chapter 03: fork, exec and wait, copy-on-write, and the cost of fork")
        .arg(
            Arg::new("quick")
                .long("quick")
                .action(ArgAction::SetTrue)
                .help(
                    "Smaller buffers and fewer runs, for a fast check (the lesson's tests use it)",
                ),
        )
        .arg(
            // The lesson re-runs itself in these modes: under strace (step 8), and as a
            // threaded process that forks (step 10), so that its own main stays
            // single-threaded and untraced.
            Arg::new("demo")
                .long("demo")
                .hide(true)
                .value_parser(["syscalls", "threaded-fork"]),
        )
}

/// How much work the measuring steps do.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    /// The copy-on-write step's buffer.
    pub cow_bytes: usize,
    /// Parent sizes for the fork-cost table, with the number of timed runs at each.
    pub fork_sizes: &'static [(usize, usize)],
    /// Work for the "different programs at once" step.
    pub work: u64,
}

const MIB: usize = 1024 * 1024;

const FULL: Scale = Scale {
    cow_bytes: 64 * MIB,
    fork_sizes: &[(MIB, 30), (16 * MIB, 20), (256 * MIB, 10), (1024 * MIB, 5)],
    work: 3_000_000,
};

const QUICK: Scale = Scale {
    cow_bytes: 4 * MIB,
    fork_sizes: &[(MIB, 5), (16 * MIB, 3)],
    work: 1_000_000,
};

fn main() -> ExitCode {
    // Taken first, to compare with when the kernel says this process began (step 7).
    let origin = exec::Origin::now();
    let args = cli().get_matches();
    match args.get_one::<String>("demo").map(String::as_str) {
        Some("syscalls") => return syscalls::demo(),
        Some("threaded-fork") => return threaded::demo(),
        _ => {}
    }
    let scale = if args.get_flag("quick") { QUICK } else { FULL };
    match tell_the_story(scale, &origin) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "{}",
                support::fmt::stopped("lesson-03", &format!("{error:#}"))
            );
            ExitCode::from(2)
        }
    }
}

// ANCHOR: story
fn tell_the_story(scale: Scale, origin: &exec::Origin) -> Result<(), Box<dyn std::error::Error>> {
    // Ctrl-C kills and reaps every child before the lesson ends: no zombies left behind.
    support::child::reap_on_interrupt()?;
    fmt::chapter(3, "Processes: fork, exec, wait");
    family::show_one_call_two_returns()?;
    family::show_many_children_one_parent()?;
    family::show_exit_statuses()?;
    zombies::show_a_zombie()?;
    zombies::show_pids_handed_back()?;
    zombies::show_an_orphan_adopted()?;
    exec::show_exec(origin)?;
    syscalls::show_system_calls()?;
    files::show_files_across_fork()?;
    threaded::show_fork_with_threads()?;
    exec::show_different_programs_at_once(scale.work)?;
    cow::show_copy_on_write(scale.cow_bytes)?;
    cost::show_fork_cost(scale.fork_sizes)?;
    Ok(())
}
// ANCHOR_END: story
