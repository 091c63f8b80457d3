//! Steps 1–3: fork returns twice; many children share a parent; wait collects how each
//! child ended.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::time::Instant;

use nix::sys::signal::{Signal, raise};
use nix::sys::wait::WaitStatus;
use nix::unistd::{ForkResult, Pid, getpid, getppid};
use support::child::{Child, describe};
use support::fmt;
use support::table::Table;

use crate::report::fork_reporting;

pub fn show_one_call_two_returns() -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("1. fork: one call, two returns");
    println!("  before fork: one process, PID {}", getpid());
    std::io::stdout().flush()?;
    // Both lines line up their arrows, whatever the width of the child's PID (which the
    // child cannot know in advance: the PID width is that of the largest PID in use).
    let width = "fork returned  here".len() + pid_max_digits();
    let (child, status) = fork_once(width)?;
    println!(
        "  {:<w$} → the parent: PID {}, its child {} {}",
        format!("fork returned {child} here"),
        getpid(),
        child,
        describe(&status),
        w = width
    );
    fmt::note(
        "One call, two returns: the child starts life inside fork, as an exact copy, and\n\
         the return value is the only way each copy learns which one it is.",
    );
    show_who_runs_first()
}

// ANCHOR: fork
/// One fork, written out (most forks of the lesson go through `support::child::fork`).
/// The child prints what fork returned to it and leaves; the parent waits for it and
/// returns its PID and how it ended.
fn fork_once(width: usize) -> Result<(Pid, WaitStatus), Box<dyn std::error::Error>> {
    // SAFETY: the lesson's main runs on its only thread (support::child::fork checks
    // this for the forks it makes), and the child only prints and leaves with _exit.
    match unsafe { nix::unistd::fork() }? {
        ForkResult::Child => {
            println!(
                "  {:<width$} → the child:  PID {}, parent (getppid) {}",
                "fork returned 0 here",
                getpid(),
                getppid(),
            );
            let _ = std::io::stdout().flush();
            // SAFETY: ends the child at once, without running the parent's destructors.
            unsafe { libc::_exit(0) }
        }
        ForkResult::Parent { child } => Ok((child, Child::adopt(child).wait()?)),
    }
}
// ANCHOR_END: fork

/// The number of digits of the largest PID the kernel hands out (`pid_max` - 1).
fn pid_max_digits() -> usize {
    std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map_or(7, |max| (max - 1).to_string().len())
}

/// After fork, parent and child are both ready to run: which one does first is up to the
/// scheduler. Each notes the time (the monotonic clock is shared by all processes) the
/// moment fork returns to it; the child sends its time back through a pipe.
fn show_who_runs_first() -> Result<(), Box<dyn std::error::Error>> {
    const FORKS: usize = 20;
    let start = Instant::now();
    let mut parent_first = 0;
    for _ in 0..FORKS {
        let (read_end, write_end) = nix::unistd::pipe()?;
        // SAFETY: single-threaded, as above; the child writes to a pipe and _exits.
        match unsafe { nix::unistd::fork() }? {
            ForkResult::Child => {
                let child_at = start.elapsed().as_nanos() as u64;
                let _ = nix::unistd::write(&write_end, &child_at.to_le_bytes());
                // SAFETY: ends the child at once, without running the parent's destructors.
                unsafe { libc::_exit(0) }
            }
            ForkResult::Parent { child } => {
                let parent_at = start.elapsed().as_nanos() as u64;
                drop(write_end);
                Child::adopt(child).wait()?;
                let mut bytes = [0u8; 8];
                File::from(read_end).read_exact(&mut bytes)?;
                if parent_at < u64::from_le_bytes(bytes) {
                    parent_first += 1;
                }
            }
        }
    }
    println!(
        "  who ran first after fork, in {FORKS} forks: the parent {parent_first} times, \
         the child {} times",
        FORKS - parent_first
    );
    Ok(())
}

pub fn show_many_children_one_parent() -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("2. Many children, one parent");
    let me = getpid();
    let (go_read, go_write) = nix::unistd::pipe()?;
    let go_write_fd = go_write.as_raw_fd();
    let mut reporters = Vec::new();
    for _ in 0..3 {
        let go = go_read.try_clone()?;
        reporters.push(fork_reporting(move || {
            // The child's copy of the write end must go, or its read below would wait
            // for itself.
            let _ = nix::unistd::close(go_write_fd);
            let facts = format!("{} {}", getpid(), getppid());
            // Stay alive until the parent has drawn the tree: a read that ends when the
            // parent closes its end of the "go" pipe.
            let mut buf = [0u8; 1];
            let _ = nix::unistd::read(&go, &mut buf);
            facts
        })?);
    }
    drop(go_read);
    print_tree(me.as_raw());
    drop(go_write);
    let mut table = Table::new([
        "child",
        "PID (getpid)",
        "PPID (getppid)",
        "PPID = parent's PID?",
    ]);
    for (i, reporter) in reporters.into_iter().enumerate() {
        let text = reporter.finish()?;
        let (pid, ppid) = text.split_once(' ').ok_or("a child sent no report")?;
        let same = if ppid == me.to_string() { "yes" } else { "no" };
        table.row([
            format!("#{i}"),
            pid.to_owned(),
            ppid.to_owned(),
            same.to_owned(),
        ]);
    }
    print!("{table}");
    fmt::note(&format!(
        "Each child has its own PID; all three report the same parent, {me} (the lesson)."
    ));
    Ok(())
}

/// The lesson and its children as the kernel lists them right now.
fn print_tree(me: i32) {
    let name = |pid: i32| support::proc::command_name(pid).unwrap_or_else(|_| "?".into());
    let mut children: Vec<i32> = support::proc::procfs::process::all_processes()
        .map(|all| {
            all.filter_map(|p| p.ok()?.stat().ok())
                .filter(|s| s.ppid == me)
                .map(|s| s.pid)
                .collect()
        })
        .unwrap_or_default();
    children.sort_unstable();
    println!("  the process tree in /proc, right now:");
    println!("  {} (PID {me})", name(me));
    for (i, pid) in children.iter().enumerate() {
        let branch = if i + 1 == children.len() {
            "└──"
        } else {
            "├──"
        };
        println!("  {branch} {} (PID {pid})", name(*pid));
    }
}

/// What a child does before it ends; returns its exit status.
type Ending = fn() -> i32;

pub fn show_exit_statuses() -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("3. wait and the exit status");
    let mut table = Table::new(["child", "what it did", "waitpid returned", "in words"]);
    for (i, (what, body)) in ENDINGS.into_iter().enumerate() {
        let status = end_and_wait(body)?;
        let shown =
            format!("{status:?}").replace(&format!("Pid({})", status.pid().unwrap()), "pid");
        table.row([format!("#{i}"), what.to_owned(), shown, describe(&status)]);
    }
    print!("{table}");
    fmt::note(
        "WaitStatus::Exited carries the code the child passed to exit; WaitStatus::Signaled\n\
         the signal that ended it. SIGKILL (signal 9) cannot be caught or ignored: the kernel\n\
         ends the process on the spot. A parent that never calls wait never learns either.",
    );
    Ok(())
}

// ANCHOR: wait
/// Three ways for a child to end.
const ENDINGS: [(&str, Ending); 3] = [
    ("returns 7", || 7),
    ("kills itself with SIGKILL", || {
        let _ = raise(Signal::SIGKILL);
        0
    }),
    ("panics (caught, exit 101)", || panic!("a child's panic")),
];

/// Forks a child that runs `body`, and waits for it: the status says how it ended.
fn end_and_wait(body: Ending) -> Result<WaitStatus, Box<dyn std::error::Error>> {
    let child = support::child::fork(move || {
        // The panicking child's message goes to stderr; keep the lesson's output tidy.
        std::panic::set_hook(Box::new(|_| {}));
        body()
    })?;
    Ok(child.wait()?)
}
// ANCHOR_END: wait
