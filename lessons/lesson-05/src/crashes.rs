//! Steps 1–3: what a crash takes down. A child process's crash is reported to its parent;
//! the same crash in a thread ends the whole process; a Rust panic in a thread stops at
//! `join()`.

use std::io::{Read, Seek, Write};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use nix::sys::wait::WaitStatus;
use support::crash::Ending;
use support::fmt;
use support::table::Table;

use crate::faults;

/// How a crash ended, in words, for the summary table.
#[derive(Debug, Clone)]
pub struct Isolation {
    pub child_crash: String,
    pub thread_crash: String,
    pub panic_at_join: String,
}

/// The same words as `support::crash::Ending` uses, for a status from `waitpid`.
pub fn ending_of(status: WaitStatus) -> Ending {
    match status {
        WaitStatus::Exited(_, code) => Ending::Exited(code),
        WaitStatus::Signaled(_, signal, core_dumped) => Ending::Signaled {
            signal: signal as i32,
            core_dumped,
        },
        _ => Ending::TimedOut,
    }
}

/// "killed by SIGSEGV", "exit status 3": how something ended, in a table cell.
pub fn briefly(ending: Ending) -> String {
    match ending {
        Ending::Exited(code) => format!("exit status {code}"),
        Ending::Signaled { signal, .. } => {
            format!("killed by {}", support::crash::signal_name(signal))
        }
        Ending::TimedOut => "did not end in time".into(),
    }
}

/// "killed by signal 11 (SIGSEGV)": how something ended, with the signal's number.
fn with_number(ending: Ending) -> String {
    match ending {
        Ending::Signaled { signal, .. } => format!(
            "killed by signal {signal} ({})",
            support::crash::signal_name(signal)
        ),
        other => other.to_string(),
    }
}

/// Waits until the child has ended *without* collecting its status (`WNOWAIT`), so it
/// stays a zombie that can be looked at in /proc.
fn wait_until_ended(pid: nix::unistd::Pid) -> Result<()> {
    nix::sys::wait::waitid(
        nix::sys::wait::Id::Pid(pid),
        nix::sys::wait::WaitPidFlag::WEXITED | nix::sys::wait::WaitPidFlag::WNOWAIT,
    )
    .context("waitid failed")?;
    Ok(())
}

/// Something a child does that ends it; returns an exit status if it does not.
type Crash = fn() -> i32;

// ANCHOR: child_crash
/// Forks a child that commits `crash`, lets it die, looks at it before reaping it (a
/// zombie: ended, status not yet collected), then collects the status.
fn crash_a_child(crash: Crash) -> Result<(i32, char, Ending)> {
    let child = support::child::fork(move || {
        faults::no_core_files();
        crash()
    })?;
    wait_until_ended(child.pid())?;
    let state = support::proc::open(child.pid().as_raw())
        .ok()
        .and_then(|p| p.stat().ok())
        .map_or('?', |stat| stat.state);
    let pid = child.pid().as_raw();
    let status = child.wait().context("waitpid")?;
    Ok((pid, state, ending_of(status)))
}
// ANCHOR_END: child_crash

pub fn show_child_crash() -> Result<String> {
    fmt::step("1. A crash in a child process");
    let jobs: [(&str, Crash); 2] = [
        ("reads a page it may not touch", || {
            faults::touch_forbidden_page()
        }),
        ("calls abort()", || std::process::abort()),
    ];
    let mut table = Table::new(["the child", "PID", "before reaping", "how it ended"]).right(1);
    let mut first_ending = None;
    let mut all_signaled = true;
    for (what, crash) in jobs {
        let (pid, state, ending) = crash_a_child(crash)?;
        all_signaled &= matches!(ending, Ending::Signaled { .. });
        first_ending.get_or_insert(ending);
        table.row([
            what.to_string(),
            pid.to_string(),
            format!("{state}: {}", support::threads::state_word(state)),
            with_number(ending),
        ]);
    }
    print!("{table}");
    println!(
        "  the parent, PID {}, is still running and read both statuses",
        std::process::id()
    );
    support::checks::invariant(
        "both children were killed by a signal and the parent survived",
        all_signaled,
    );
    show_a_torn_file()?;
    Ok(first_ending.map_or("?".into(), briefly))
}

/// A crash still reaches what the process shared: here, a file it was writing.
fn show_a_torn_file() -> Result<()> {
    let mut file = tempfile::tempfile().context("could not create a private temporary file")?;
    // ANCHOR: torn_file
    // A second descriptor for the same *open file description* (dup): the kernel's record
    // of an open file, with its offset. The forked child inherits descriptors that point
    // at that same description, so the parent sees exactly where the child stopped.
    let mut writer = file.try_clone().context("could not share the file")?;
    let child = support::child::fork(move || {
        faults::no_core_files();
        writer.write_all(b"record 1: complete\n").ok();
        writer.write_all(b"record 2: half wri").ok();
        std::process::abort()
    })?;
    child.wait().context("waitpid")?;
    // ANCHOR_END: torn_file
    let mut contents = String::new();
    file.rewind()?;
    file.read_to_string(&mut contents)?;
    println!("  a child that aborted while writing a file it shared with its parent left it");
    println!("  holding {contents:?}");
    support::checks::invariant(
        "the half-written record outlived the crash",
        contents.ends_with("half wri"),
    );
    Ok(())
}

pub fn show_thread_crash() -> Result<String> {
    fmt::step("2. The same crash in a thread");
    let mut first = None;
    for kind in crate::demo::KINDS {
        let finished = support::crash::run_self(&["--demo", kind], Duration::from_secs(10))
            .with_context(|| format!("could not run the {kind} demonstration"))?;
        println!("  lesson-05 --demo {kind}  (a subprocess, so only it dies):");
        for line in finished.stdout.lines().chain(finished.stderr.lines()) {
            println!("    │ {line}");
        }
        println!("    the subprocess {}", finished.ending);
        support::checks::invariant(
            "the main thread died with the worker, before finishing",
            matches!(finished.ending, Ending::Signaled { .. })
                && !finished.stdout.contains("finished normally"),
        );
        first.get_or_insert(finished.ending);
    }
    fmt::note(
        "A signal like SIGSEGV or SIGABRT is delivered to one thread, but its default action\n\
         ends the process: every thread, all its memory, at once. The stack overflow is the\n\
         guard page of chapter 04 at work; Rust reports it and aborts.",
    );
    Ok(first.map_or("?".into(), briefly))
}

pub fn show_panic_at_join() -> Result<String> {
    fmt::step("3. A panic in a thread stops at join");
    // Rust's default panic hook would resolve a backtrace for this step's panic.
    let quiet = fmt::backtrace_requested();
    if quiet {
        // Resolving a backtrace reads the program's debug information into memory (about
        // 35 MiB here, kept for the next backtrace), which would inflate every fork and every
        // child's RSS measured after this step. Print the message without it.
        support::fmt::panics_without_backtrace();
    }
    // ANCHOR: panic_join
    let worker = thread::Builder::new()
        .name("worker-2".into())
        .spawn(|| -> u64 { panic!("bad input: {}", -1) })
        .context("could not start worker-2")?;
    let result = worker.join();
    let message = match &result {
        Ok(value) => format!("Ok({value})"),
        Err(payload) => match payload.downcast_ref::<String>() {
            Some(text) => format!("Err({text:?})"),
            None => "Err(a panic payload that is not a String)".into(),
        },
    };
    // ANCHOR_END: panic_join
    if quiet {
        // Back to Rust's own hook for any later panic.
        drop(std::panic::take_hook());
        println!(
            "  (RUST_BACKTRACE is set, but this panic was printed without a backtrace: see the\n  \
             note at the top)"
        );
    }
    println!("  worker-2 panicked; join() → {message}");
    support::checks::invariant(
        "the main thread carried on, with the error in its hands",
        result.is_err(),
    );
    fmt::note(
        "A Rust panic unwinds only the panicking thread's stack; the process lives on and\n\
         join() reports it (the \"panicked at\" line above came from that thread, on stderr).\n\
         Built with `panic = \"abort\"` in Cargo.toml, a panic aborts the process instead.",
    );
    Ok("ends that thread; join() → Err".into())
}
