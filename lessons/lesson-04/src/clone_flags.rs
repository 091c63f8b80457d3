//! Step 6: one system call makes both. `thread::spawn` and `fork` each end in `clone`
//! (or `clone3`); only the flags differ. Where `strace` is installed, the lesson runs
//! itself under it, once starting a thread and once forking, and prints the flags.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::thread;
use std::time::Duration;

use anyhow::Result;
use support::fmt;
use support::table::Table;

/// What the hidden `--demo` argument accepts.
pub const DEMOS: [&str; 2] = ["spawn", "fork"];

/// The hidden mode strace watches: one thread started and joined, or one child forked
/// and reaped. Nothing else in it creates a task.
pub fn run_demo(kind: &str) -> ExitCode {
    if kind == "spawn" {
        // ANCHOR: spawn_demo
        thread::spawn(|| 1 + 1).join().ok();
        // ANCHOR_END: spawn_demo
        return ExitCode::SUCCESS;
    }
    // ANCHOR: fork_demo
    let child = support::child::fork(|| 0);
    let status = child.map(|c| c.wait());
    // ANCHOR_END: fork_demo
    match status {
        Ok(Ok(_)) => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    }
}

/// One `clone`/`clone3` call as strace printed it.
#[derive(Debug, Default, Clone)]
struct Call {
    /// `clone` or `clone3`.
    name: String,
    /// The CLONE_* flags.
    flags: BTreeSet<String>,
    /// The signal the parent gets when the new task ends, if any.
    exit_signal: Option<String>,
}

pub fn show_clone_flags() -> Result<()> {
    fmt::step("6. One system call for both: clone");
    let Some(strace) = find_on_path("strace") else {
        println!(
            "  strace is not installed, so this step is skipped. To see it, install strace\n  \
             (Debian/Ubuntu: sudo apt install strace; Fedora: sudo dnf install strace)\n  \
             and run the lesson again. The book shows the table from one run."
        );
        return Ok(());
    };
    let mut calls = Vec::new();
    for kind in DEMOS {
        match trace(&strace, kind) {
            Ok(call) => calls.push(call),
            Err(why) => {
                println!("  strace could not watch the {kind} demonstration: {why}");
                println!(
                    "  (a container may forbid tracing; the book shows the table from one run)"
                );
                return Ok(());
            }
        }
    }
    let [thread, process] = [&calls[0], &calls[1]];
    println!(
        "  strace -f -e trace=clone,clone3 lesson-04 --demo spawn   → {}",
        thread.name
    );
    println!(
        "  strace -f -e trace=clone,clone3 lesson-04 --demo fork    → {}",
        process.name
    );
    let every_flag: BTreeSet<&String> = thread.flags.iter().chain(&process.flags).collect();
    let mut table = Table::new(["flag", "spawn", "fork", "the new task …"]);
    let mark = |call: &Call, flag: &str| {
        if call.flags.contains(flag) {
            "✓"
        } else {
            "·"
        }
    };
    for flag in MEANINGS
        .iter()
        .map(|(f, _)| *f)
        .filter(|f| every_flag.contains(&f.to_string()))
    {
        table.row([flag, mark(thread, flag), mark(process, flag), meaning(flag)]);
    }
    for flag in every_flag
        .iter()
        .filter(|f| !MEANINGS.iter().any(|(m, _)| *m == f.as_str()))
    {
        table.row([
            flag.as_str(),
            mark(thread, flag),
            mark(process, flag),
            "see man 2 clone",
        ]);
    }
    let signal = |call: &Call| call.exit_signal.clone().unwrap_or_else(|| "none".into());
    table.row::<String>([
        "exit signal".into(),
        signal(thread),
        signal(process),
        "… sends this to its parent when it ends".into(),
    ]);
    print!("{table}");
    let shares_all = ["CLONE_VM", "CLONE_FILES", "CLONE_SIGHAND", "CLONE_THREAD"];
    support::checks::invariant(
        "the thread shares memory, files and signal handlers, in one thread group",
        shares_all.iter().all(|f| thread.flags.contains(*f)),
    );
    support::checks::invariant(
        "the forked process shares none of them",
        shares_all.iter().all(|f| !process.flags.contains(*f)),
    );
    fmt::note(
        "Both are made by the same system call and both are tasks; the flags decide what\n\
         the new task shares with its creator. A thread shares nearly everything; a forked\n\
         child gets copies (copy-on-write memory, a copied table of open files).",
    );
    Ok(())
}

/// Runs `strace -f -e trace=clone,clone3 <this lesson> --demo <kind>` and finds the call
/// that created the new task.
fn trace(strace: &PathBuf, kind: &str) -> Result<Call, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut command = Command::new(strace);
    command
        .args(["-f", "-qq", "-e", "trace=clone,clone3", "--"])
        .arg(exe)
        .args(["--demo", kind]);
    let finished =
        support::crash::run(&mut command, Duration::from_secs(10)).map_err(|e| e.to_string())?;
    if !finished.ending.success() {
        let first = finished.stderr.lines().next().unwrap_or("").to_owned();
        return Err(format!("it {} ({first})", finished.ending));
    }
    finished
        .stderr
        .lines()
        .find_map(parse)
        .ok_or_else(|| "no clone call in its output".to_string())
}

/// Reads one strace line such as
/// `clone3({flags=CLONE_VM|…, exit_signal=0, …}, 88) = 1234` or
/// `clone(child_stack=NULL, flags=CLONE_CHILD_SETTID|…|SIGCHLD, …) = 1234`.
fn parse(line: &str) -> Option<Call> {
    // strace -f prefixes lines of other tasks with "[pid N] ".
    let line = line.trim_start_matches(|c| c != 'c');
    let name = ["clone3(", "clone("]
        .into_iter()
        .find(|n| line.starts_with(n))?
        .trim_end_matches('(');
    let flags_text = line.split("flags=").nth(1)?.split([',', '}']).next()?;
    let mut call = Call {
        name: name.to_string(),
        ..Call::default()
    };
    for flag in flags_text.split('|') {
        if flag.starts_with("SIG") {
            call.exit_signal = Some(flag.to_string());
        } else {
            call.flags.insert(flag.to_string());
        }
    }
    if let Some(signal) = line.split("exit_signal=").nth(1) {
        let signal = signal.split([',', '}']).next().unwrap_or("0");
        if signal != "0" {
            call.exit_signal = Some(signal.to_string());
        }
    }
    Some(call)
}

fn meaning(flag: &str) -> &'static str {
    MEANINGS
        .iter()
        .find(|(f, _)| *f == flag)
        .map_or("see man 2 clone", |(_, m)| m)
}

/// What each flag makes the new task share or do (from clone(2)).
const MEANINGS: &[(&str, &str)] = &[
    ("CLONE_VM", "shares the address space: all memory"),
    ("CLONE_FS", "shares the current directory, root and umask"),
    ("CLONE_FILES", "shares the table of open files"),
    ("CLONE_SIGHAND", "shares the signal handlers"),
    (
        "CLONE_THREAD",
        "joins the thread group: same PID, a new TID",
    ),
    ("CLONE_SYSVSEM", "shares System V semaphore undo values"),
    ("CLONE_SETTLS", "gets its own thread-local storage pointer"),
    (
        "CLONE_PARENT_SETTID",
        "has its TID written into the parent's memory",
    ),
    (
        "CLONE_CHILD_SETTID",
        "has its TID written into its own memory",
    ),
    (
        "CLONE_CHILD_CLEARTID",
        "clears that TID at exit and wakes a waiter (join)",
    ),
];

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}
