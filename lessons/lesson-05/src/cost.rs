//! Steps 4 and 6: what it costs to start a thread, a process and a program, and to hand
//! data to a thread (a pointer) versus to a process (a copy through a pipe).

use std::fs::File;
use std::hint::black_box;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::sync::mpsc;
use std::thread;

use anyhow::{Context, Result};
use nix::sys::wait::waitpid;
use nix::unistd::ForkResult;
use support::fmt;
use support::stats::{Summary, measure};
use support::table::Table;

/// What step 4 measured.
#[derive(Debug, Clone)]
pub struct StartCosts {
    pub thread: Summary,
    pub fork: Summary,
    pub fork_big: Summary,
    pub big_bytes: usize,
    pub spawn: Option<Summary>,
}

// ANCHOR: start_costs
fn start_and_join_a_thread() {
    thread::spawn(|| black_box(0)).join().ok();
}

fn fork_and_wait_a_process() {
    // Written out rather than through `support::child::fork`, so that only fork, exit and
    // wait are timed (the guard also checks the thread count on every call).
    // SAFETY: `show_start_costs` asserted that this process has a single thread, so no
    // lock can be held by another thread; the child does nothing but `_exit`.
    match unsafe { nix::unistd::fork() } {
        // SAFETY: ends the child at once; nothing of the parent's copy runs.
        Ok(ForkResult::Child) => unsafe { libc::_exit(0) },
        Ok(ForkResult::Parent { child }) => {
            waitpid(child, None).ok();
        }
        Err(_) => {}
    }
}

fn spawn_and_wait_a_program(program: &PathBuf) {
    // std uses posix_spawn: a new process that at once runs another program.
    Command::new(program).status().ok();
}
// ANCHOR_END: start_costs

pub fn show_start_costs(runs: usize, big_bytes: usize) -> Result<StartCosts> {
    fmt::step("4. Starting one: thread, process, program");
    support::threads::assert_single_threaded("before timing fork");
    let thread = measure(10, runs, start_and_join_a_thread);
    let fork = measure(10, runs, fork_and_wait_a_process);
    // Fork copies the parent's page tables: a parent with more memory forks slower.
    let ballast = black_box(vec![1u8; big_bytes]);
    let fork_big = measure(3, runs, fork_and_wait_a_process);
    drop(ballast);
    let program = find_on_path("true");
    let spawn = program
        .as_ref()
        .map(|p| measure(3, (runs / 2).max(5), || spawn_and_wait_a_program(p)));

    let mut table = Table::new(["what", "median", "× thread", "method"])
        .right(1)
        .right(2);
    let mut row = |what: String, s: &Summary| {
        let ratio = s.median.as_secs_f64() / thread.median.as_secs_f64().max(1e-9);
        table.row([
            what,
            fmt::duration(s.median),
            format!("{ratio:.1}×"),
            s.method(),
        ]);
    };
    row("thread: spawn + join".into(), &thread);
    row("process: fork + exit + waitpid".into(), &fork);
    row(
        format!(
            "  same, parent holding {} more",
            fmt::bytes(big_bytes as u64)
        ),
        &fork_big,
    );
    match (&spawn, &program) {
        (Some(s), Some(p)) => row(format!("program: spawn {} + wait", p.display()), s),
        _ => println!("  (no `true` program on PATH: spawning a program is not measured)"),
    }
    print!("{table}");
    fmt::note(
        "Each row: create, let it end, wait for it — repeated, timed one by one. A thread\n\
         shares the address space it starts in; fork copies the parent's page tables and\n\
         marks every page copy-on-write, so it grows with the parent's memory; spawn adds\n\
         loading and linking a new program.",
    );
    Ok(StartCosts {
        thread,
        fork,
        fork_big,
        big_bytes,
        spawn,
    })
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// What step 6 measured.
#[derive(Debug, Clone)]
pub struct SharingCosts {
    pub payload: usize,
    pub pointer: Summary,
    pub copy_in_memory: Summary,
    pub pipe: Summary,
}

/// What each receiver does with the data: read one byte per 4 KiB page. Both receivers do
/// the same, so the difference is only how the data got to them.
fn sample_every_page(data: &[u8]) -> u64 {
    data.iter().step_by(4096).map(|&b| u64::from(b)).sum()
}

pub fn show_sharing_costs(payload: usize, runs: usize) -> Result<SharingCosts> {
    fmt::step("6. Sharing versus copying");
    let data: Vec<u8> = (0..payload).map(|i| i as u8).collect();
    // The process first: fork only while this process has one thread.
    let pipe = time_pipe_to_a_process(&data, runs)?;
    let (pointer, copy_in_memory) = time_handoff_to_a_thread(data, runs)?;
    let mut table = Table::new(["hand over the payload", "median", "method"]).right(1);
    table.row::<String>([
        "to a thread: an Arc (a pointer)".into(),
        fmt::duration(pointer.median),
        pointer.method(),
    ]);
    table.row([
        "to a thread: a fresh copy (memcpy)".into(),
        fmt::duration(copy_in_memory.median),
        copy_in_memory.method(),
    ]);
    table.row::<String>([
        "to a process: through a pipe".into(),
        fmt::duration(pipe.median),
        pipe.method(),
    ]);
    println!(
        "  payload {}; the receiver (a thread, or a process started beforehand) reads one byte\n  per page and answers; timed from send to answer:",
        fmt::bytes(payload as u64)
    );
    print!("{table}");
    fmt::note(
        "A thread sees the sender's memory, so handing over is passing an address. A process\n\
         has its own memory: the bytes go through the kernel, copied in and copied out.\n\
         (Shared memory between processes, chapter 09, avoids the copy — and brings back\n\
         the need to synchronise.)",
    );
    Ok(SharingCosts {
        payload,
        pointer,
        copy_in_memory,
        pipe,
    })
}

// ANCHOR: pipe_handoff
/// A child reads `[length][bytes]` messages from one pipe and answers each with its sample
/// sum on another; a length of 0 tells it to stop.
fn time_pipe_to_a_process(data: &[u8], runs: usize) -> Result<Summary> {
    let (request_r, request_w) = nix::unistd::pipe().context("pipe")?;
    let (answer_r, answer_w) = nix::unistd::pipe().context("pipe")?;
    let capacity = data.len();
    // The child inherits the parent's ends too; it closes them, so that if the parent
    // dies, the child's read sees end-of-file instead of waiting forever.
    let parent_ends = [request_w.as_raw_fd(), answer_r.as_raw_fd()];
    let child = support::child::fork(move || {
        for fd in parent_ends {
            // SAFETY: close(2) on the child's copies of the parent's two descriptors; the
            // OwnedFds that own them live in the parent's stack frame, whose destructors
            // never run in the child (it leaves with _exit).
            unsafe { libc::close(fd) };
        }
        let mut requests = File::from(request_r);
        let mut answers = File::from(answer_w);
        let mut buffer = vec![0u8; capacity];
        loop {
            let mut header = [0u8; 8];
            if requests.read_exact(&mut header).is_err() {
                return 1;
            }
            let len = u64::from_le_bytes(header) as usize;
            if len == 0 || len > capacity || requests.read_exact(&mut buffer[..len]).is_err() {
                return 0;
            }
            let sum = sample_every_page(&buffer[..len]);
            if answers.write_all(&sum.to_le_bytes()).is_err() {
                return 1;
            }
        }
    })?;
    let mut requests = File::from(request_w);
    let mut answers = File::from(answer_r);
    let expected = sample_every_page(data);
    let mut wrong = 0;
    let summary = measure(2, runs, || {
        requests.write_all(&(data.len() as u64).to_le_bytes()).ok();
        requests.write_all(data).ok();
        let mut answer = [0u8; 8];
        answers.read_exact(&mut answer).ok();
        wrong += usize::from(u64::from_le_bytes(answer) != expected);
    });
    requests.write_all(&0u64.to_le_bytes()).ok();
    child.wait().context("waitpid")?;
    anyhow::ensure!(wrong == 0, "the child answered wrongly {wrong} times");
    Ok(summary)
}
// ANCHOR_END: pipe_handoff

// ANCHOR: pointer_handoff
/// A worker thread receives an `Arc` (the address of the one shared copy) and answers with
/// the same sample sum. For comparison, also hands it a fresh copy each time.
fn time_handoff_to_a_thread(data: Vec<u8>, runs: usize) -> Result<(Summary, Summary)> {
    let (request_tx, request_rx) = mpsc::channel::<Arc<Vec<u8>>>();
    let (answer_tx, answer_rx) = mpsc::channel::<u64>();
    let worker = thread::Builder::new()
        .name("receiver".into())
        .spawn(move || {
            for data in request_rx {
                answer_tx.send(sample_every_page(&data)).ok();
            }
        })
        .context("could not start the receiving thread")?;
    let shared = Arc::new(data);
    let round_trip = |payload: Arc<Vec<u8>>| {
        request_tx.send(payload).ok();
        black_box(answer_rx.recv().ok());
    };
    let pointer = measure(2, runs, || round_trip(Arc::clone(&shared)));
    let copy = measure(2, runs, || round_trip(Arc::new(shared.to_vec())));
    drop(request_tx);
    worker.join().ok();
    Ok((pointer, copy))
}
// ANCHOR_END: pointer_handoff
