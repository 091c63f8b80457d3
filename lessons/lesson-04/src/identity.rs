//! Step 2: who is who. Rust's ThreadId, the kernel's TID, the shared PID, and the tasks
//! the kernel lists for this process.

use std::thread;

use anyhow::Result;
use support::fmt;
use support::proc::procfs;
use support::table::Table;
use support::threads::{Blocked, state_word};

use crate::crew::Crew;

/// What one thread reports about itself.
#[derive(Debug, Clone)]
pub struct Identity {
    pub label: String,
    pub rust_id: thread::ThreadId,
    pub tid: i32,
    pub pid: u32,
}

// ANCHOR: identity
/// Asks the calling thread who it is, three ways.
pub fn who_am_i(label: &str) -> Identity {
    Identity {
        label: label.to_owned(),
        rust_id: thread::current().id(), // Rust's own counter, never reused
        tid: nix::unistd::gettid().as_raw(), // the kernel's ID for this thread (a task)
        pid: std::process::id(),         // the process: the same for every thread
    }
}
// ANCHOR_END: identity

pub fn show_ids_and_tasks(crew: &Crew) -> Result<()> {
    fmt::step("2. Who is who: ThreadId, TID and PID");
    let main = who_am_i("main");
    let ids = crew.ask(|i| who_am_i(&format!("worker-{i}")))?;
    // The workers are back in recv(), waiting for their next job: look at them now.
    wait_until_asleep(&ids);
    let tasks = support::threads::tasks()?;
    let status = ids.last().map(|w| status_of(w.tid));
    let blocked: Vec<_> = ids
        .iter()
        .map(|w| support::threads::blocked_in(w.tid))
        .collect();
    let everyone: Vec<Identity> = std::iter::once(main).chain(ids).collect();
    print_identities(&everyone);
    print_tasks(&everyone, &tasks);
    print_saved_registers(&everyone[1..], &blocked);
    print_checks(&everyone, &tasks);
    if let Some(status) = status {
        println!("{status}");
    }
    fmt::note(
        "On Linux a process and a thread are both a *task*: a TID names a task, and the\n\
         PID is the TID of the process's first thread (its \"thread group ID\", Tgid).",
    );
    Ok(())
}

fn print_identities(everyone: &[Identity]) {
    let mut table = Table::new(["thread", "Rust ThreadId", "kernel TID", "PID"])
        .right(2)
        .right(3);
    for who in everyone {
        table.row([
            who.label.clone(),
            format!("{:?}", who.rust_id),
            who.tid.to_string(),
            who.pid.to_string(),
        ]);
    }
    print!("{table}");
}

fn print_tasks(everyone: &[Identity], tasks: &[support::threads::Task]) {
    println!("\n  /proc/self/task while the workers were alive:");
    let mut table = Table::new(["TID", "name (comm)", "state", "whose"]).right(0);
    for task in tasks {
        let whose = everyone
            .iter()
            .find(|w| w.tid == task.tid)
            .map_or("a helper thread", |w| w.label.as_str());
        table.row([
            task.tid.to_string(),
            task.name.clone(),
            format!("{}: {}", task.state, state_word(task.state)),
            whose.to_string(),
        ]);
    }
    print!("{table}");
}

/// A worker sends its identity a moment *before* it blocks; give each up to a second to
/// get there, so what we read below is a sleeping thread, not one still running.
fn wait_until_asleep(workers: &[Identity]) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
    while std::time::Instant::now() < deadline {
        let asleep = support::threads::tasks().is_ok_and(|tasks| {
            workers
                .iter()
                .all(|w| tasks.iter().any(|t| t.tid == w.tid && t.state == 'S'))
        });
        if asleep {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

/// Each waiting worker's user stack pointer and program counter, as the kernel saved them
/// when the worker entered the system call it is blocked in.
fn print_saved_registers(workers: &[Identity], blocked: &[Option<Blocked>]) {
    println!("\n  where each waiting worker entered the kernel (/proc/self/task/<tid>/syscall):");
    let mut table = Table::new(["thread", "system call", "stack pointer", "program counter"]);
    for (who, regs) in workers.iter().zip(blocked) {
        let cells = regs.map_or(["—".into(), "—".into(), "—".into()], |b| {
            [
                syscall_name(b.syscall),
                fmt::address(b.sp),
                fmt::address(b.pc),
            ]
        });
        let [call, sp, pc] = cells;
        table.row([who.label.clone(), call, sp, pc]);
    }
    print!("{table}");
    let known: Vec<Blocked> = blocked.iter().flatten().copied().collect();
    let mut sps: Vec<u64> = known.iter().map(|b| b.sp).collect();
    sps.sort_unstable();
    sps.dedup();
    support::checks::invariant(
        "each worker has its own stack pointer",
        known.len() == workers.len() && sps.len() == known.len(),
    );
    fmt::note(
        "A thread that waits is inside a system call. On entering the kernel, its user\n\
         registers were saved (on that thread's kernel stack); shown here are where its code\n\
         resumes (the program counter: the same for all, as they wait in the same library\n\
         function) and its stack pointer: different for each, one stack per thread.",
    );
}

/// The name of a system call a waiting thread is likely to be in (x86-64 numbers).
fn syscall_name(number: i64) -> String {
    let name = match (std::env::consts::ARCH, number) {
        ("x86_64", 202) | ("aarch64" | "riscv64", 98) => "futex",
        ("x86_64", 7) => "poll",
        ("x86_64", 0) | ("aarch64" | "riscv64", 63) => "read",
        (_, -1) => "none (a fault)",
        _ => return number.to_string(),
    };
    format!("{number} ({name})")
}

fn print_checks(everyone: &[Identity], tasks: &[support::threads::Task]) {
    let pid = everyone[0].pid as i32;
    let all_listed = everyone
        .iter()
        .all(|w| tasks.iter().any(|t| t.tid == w.tid));
    support::checks::invariant(
        "one PID shared by every thread",
        everyone.iter().all(|w| w.pid as i32 == pid),
    );
    support::checks::invariant("the main thread's TID is the PID", everyone[0].tid == pid);
    support::checks::invariant(
        "every thread's TID is a task in /proc/self/task",
        all_listed,
    );
}

/// A TID works wherever a PID does: `/proc/<tid>` exists, and its `Tgid` ("thread group
/// ID") is the process's PID. Read while the worker is still alive.
fn status_of(tid: i32) -> String {
    match procfs::process::Process::new(tid).and_then(|p| p.status()) {
        Ok(status) => format!(
            "  /proc/{tid}/status (a worker's TID used as a PID): Pid {} · Tgid {} · Threads {}",
            status.pid, status.tgid, status.threads
        ),
        Err(error) => format!("  could not read /proc/{tid}/status: {error}"),
    }
}
