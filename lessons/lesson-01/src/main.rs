//! Chapter 01 — Programs and processes.
//!
//! `cargo run -p lesson-01` looks at itself twice: first as a *program*, a file of bytes
//! on disk; then as a *process*, that file brought to life by the kernel, with a PID,
//! a parent, a state, threads and memory. `--pid N` does the same for another process.

mod disk;
mod kernel;

use std::process::ExitCode;
use std::time::Instant;

use clap::{Arg, Command, value_parser};
use support::fmt;
use support::proc::ProcessError;

fn cli() -> Command {
    Command::new("lesson-01")
        .about("Chapter 01: a program on disk versus the same program running as a process")
        .arg(
            Arg::new("pid")
                .long("pid")
                .value_name("PID")
                .value_parser(value_parser!(i32).range(1..))
                .help("Inspect this process instead of the lesson itself (a positive PID, e.g. from `ps -e`)"),
        )
}

fn main() -> ExitCode {
    let main_started = Instant::now();
    support::fmt::end_quietly_when_output_closes();
    let args = cli().get_matches();
    let pid = args
        .get_one::<i32>("pid")
        .copied()
        .unwrap_or(std::process::id() as i32);
    match tell_the_story(pid, main_started) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lesson-01: {error}");
            ExitCode::from(2)
        }
    }
}

// ANCHOR: story
fn tell_the_story(pid: i32, main_started: Instant) -> Result<(), ProcessError> {
    let itself = pid == std::process::id() as i32;
    let process = support::proc::open(pid)?;
    let facts = kernel::ProcessFacts::read(&process)?;
    fmt::chapter(1, "Programs and processes");
    let program = match &facts.exe {
        Ok(path) => disk::show_program_file(path),
        Err(why) => {
            disk::no_program_file(pid, why);
            None
        }
    };
    kernel::show_running_process(&facts, itself.then_some(main_started));
    kernel::show_what_the_kernel_keeps(&process, &facts);
    kernel::show_file_to_memory(&process, &facts, program.as_ref());
    show_what_next(itself);
    Ok(())
}
// ANCHOR_END: story

fn show_what_next(looked_at_itself: bool) {
    fmt::step("5. One program, many processes");
    fmt::note(
        "The file is the program: it never changes while it runs. The process is one run of it.\n\
         Start this lesson in two terminals at once and both print the same file, the same\n\
         segments — and two different PIDs, each with its own state, memory and open files.",
    );
    if looked_at_itself {
        fmt::note(
            "Try `cargo run -p lesson-01 -- --pid 1` to look at the first process of this machine.",
        );
    }
}
