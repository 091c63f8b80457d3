//! Step 2: who is who. Rust's ThreadId, the kernel's TID, the shared PID, and the tasks
//! the kernel lists for this process.

use std::sync::mpsc;
use std::thread;

use anyhow::{Context, Result};
use support::fmt;
use support::proc::procfs;
use support::table::Table;
use support::threads::state_word;

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

/// Starts `n` threads named `worker-1` … `worker-n`, each of which runs `report` and then
/// stays alive until `inspect` — run by the calling thread with every report — returns.
/// Workers wait on a channel, not a barrier, so they are released even if `inspect`
/// panics (the senders are dropped while unwinding) and nothing hangs.
pub fn while_alive<T: Send, R>(
    n: usize,
    stack_size: impl Fn(usize) -> Option<usize>,
    report: impl Fn(usize) -> T + Sync,
    inspect: impl FnOnce(Vec<T>) -> R,
) -> Result<R> {
    thread::scope(|s| {
        let (report_tx, report_rx) = mpsc::channel();
        let mut releases = Vec::with_capacity(n);
        for i in 1..=n {
            let (release_tx, release_rx) = mpsc::channel::<()>();
            releases.push(release_tx);
            let report_tx = report_tx.clone();
            let report = &report;
            let mut builder = thread::Builder::new().name(format!("worker-{i}"));
            if let Some(bytes) = stack_size(i) {
                builder = builder.stack_size(bytes);
            }
            builder
                .spawn_scoped(s, move || {
                    report_tx.send((i, report(i))).ok();
                    // Blocks until main drops the sender: the thread stays alive to be seen.
                    release_rx.recv().ok();
                })
                .with_context(|| format!("could not start worker-{i}"))?;
        }
        drop(report_tx);
        let mut reports: Vec<(usize, T)> = report_rx.iter().take(n).collect();
        reports.sort_by_key(|(i, _)| *i);
        let result = inspect(reports.into_iter().map(|(_, r)| r).collect());
        drop(releases);
        Ok(result)
    })
}

pub fn show_ids_and_tasks(workers: usize) -> Result<()> {
    fmt::step("2. Who is who: ThreadId, TID and PID");
    let main = who_am_i("main");
    let (ids, tasks, status, saved) = while_alive(
        workers,
        |_| None,
        |i| who_am_i(&format!("worker-{i}")),
        |ids| {
            wait_until_asleep(&ids);
            let tasks = support::threads::tasks();
            let status = ids.last().map(|w: &Identity| status_of(w.tid));
            let saved = ids
                .iter()
                .map(|w| support::threads::saved_sp_pc(w.tid))
                .collect::<Vec<_>>();
            (ids, tasks, status, saved)
        },
    )?;
    let tasks = tasks?;
    let everyone: Vec<Identity> = std::iter::once(main.clone()).chain(ids).collect();
    print_identities(&everyone);
    print_tasks(&everyone, &tasks);
    print_saved_registers(&everyone[1..], &saved);
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

/// Each waiting worker's saved stack pointer and program counter: the registers the
/// kernel keeps per thread so that it can resume it.
fn print_saved_registers(workers: &[Identity], saved: &[Option<(u64, u64)>]) {
    println!(
        "\n  registers the kernel saved for each waiting worker (/proc/self/task/<tid>/syscall):"
    );
    let mut table = Table::new(["thread", "stack pointer", "program counter"]);
    for (who, regs) in workers.iter().zip(saved) {
        let (sp, pc) = regs.map_or(("—".into(), "—".into()), |(sp, pc)| {
            (fmt::address(sp), fmt::address(pc))
        });
        table.row([who.label.clone(), sp, pc]);
    }
    print!("{table}");
    let known: Vec<(u64, u64)> = saved.iter().flatten().copied().collect();
    let mut sps: Vec<u64> = known.iter().map(|r| r.0).collect();
    sps.sort_unstable();
    sps.dedup();
    println!(
        "  → each worker has its own stack pointer: {}",
        super::yes_no(known.len() == workers.len() && sps.len() == known.len())
    );
    fmt::note(
        "They all wait in the same function, so their program counters may match; their\n\
         stack pointers cannot: each thread runs on a stack of its own.",
    );
}

fn print_checks(everyone: &[Identity], tasks: &[support::threads::Task]) {
    let pid = everyone[0].pid as i32;
    let all_listed = everyone
        .iter()
        .all(|w| tasks.iter().any(|t| t.tid == w.tid));
    println!(
        "  → one PID shared by every thread: {}",
        super::yes_no(everyone.iter().all(|w| w.pid as i32 == pid))
    );
    println!(
        "  → the main thread's TID is the PID: {}",
        super::yes_no(everyone[0].tid == pid)
    );
    println!(
        "  → every thread's TID is a task in /proc/self/task: {}",
        super::yes_no(all_listed)
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
