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

    let mut table = Table::new(["what", "median", "× thread", "middle half", "min", "max"])
        .right(1)
        .right(2)
        .right(3)
        .right(4)
        .right(5);
    let mut row = |what: String, s: &Summary| {
        let ratio = s.median.as_secs_f64() / thread.median.as_secs_f64().max(1e-9);
        let [middle, min, max] = spread(s);
        table.row([
            what,
            fmt::duration(s.median),
            format!("{ratio:.1}×"),
            middle,
            min,
            max,
        ]);
    };
    row("thread: spawn + join".into(), &thread);
    row("process: fork + exit + wait".into(), &fork);
    row(
        format!("  same, parent +{}", fmt::bytes(big_bytes as u64)),
        &fork_big,
    );
    match (&spawn, &program) {
        (Some(s), Some(_)) => row("program: spawn true + wait".into(), s),
        _ => println!("  (no `true` program on PATH: spawning a program is not measured)"),
    }
    println!(
        "  each row: {} runs ({} for the program), timed one at a time after a few untimed\n  \
         warm-up runs; middle half: the range of the middle 50 % of the runs",
        thread.runs,
        spawn.as_ref().map_or(0, |s| s.runs)
    );
    print!("{table}");
    fmt::note(
        "Each row: create, let it end, wait for it. A thread shares the address space it\n\
         starts in. fork copies the page-table entries of the parent's anonymous memory\n\
         (heap, stacks) and marks those pages copy-on-write, so it grows with the parent's\n\
         memory. Spawning a program adds loading and linking a new executable.",
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

/// A timing and the minor page faults that came with it.
#[derive(Debug, Clone)]
pub struct Timed {
    pub summary: Summary,
    /// Minor page faults per timed run (after the warm-up), sender and receiver together.
    pub faults_per_run: f64,
}

/// What step 6 measured.
#[derive(Debug, Clone)]
pub struct SharingCosts {
    pub payload: usize,
    pub pointer: Timed,
    pub copy_in_memory: Timed,
    pub pipe: Timed,
}

/// Minor page faults of this process so far, all threads (getrusage RUSAGE_SELF).
fn minor_faults() -> u64 {
    nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_SELF)
        .map_or(0, |usage| usage.minor_page_faults() as u64)
}

/// Minor page faults of another process so far, from `/proc/<pid>/stat`.
fn minor_faults_of(pid: i32) -> u64 {
    support::proc::procfs::process::Process::new(pid)
        .and_then(|p| p.stat())
        .map_or(0, |stat| stat.minflt)
}

/// Middle half, min and max of a summary, for table cells.
fn spread(s: &Summary) -> [String; 3] {
    [
        format!("{}–{}", fmt::duration(s.q1), fmt::duration(s.q3)),
        fmt::duration(s.min),
        fmt::duration(s.max),
    ]
}

/// Warm-up runs before each timing of step 6.
const WARMUP: usize = 2;

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
    let mut table = Table::new([
        "hand over the payload",
        "median",
        "middle half",
        "min",
        "max",
        "faults/run",
    ]);
    for column in 1..=5 {
        table = table.right(column);
    }
    for (what, timed) in [
        ("thread: an Arc (a pointer)", &pointer),
        ("thread: a fresh copy (memcpy)", &copy_in_memory),
        ("process: through a pipe", &pipe),
    ] {
        let [middle, min, max] = spread(&timed.summary);
        table.row([
            what.to_string(),
            fmt::duration(timed.summary.median),
            middle,
            min,
            max,
            format!("{:.0}", timed.faults_per_run),
        ]);
    }
    println!(
        "  payload {}; the receiver (a thread, or a process started beforehand) reads one\n  \
         byte per page and answers; timed from send to answer, {} runs; faults/run: minor\n  \
         page faults per run, sender and receiver together (getrusage, /proc/<pid>/stat)",
        fmt::bytes(payload as u64),
        pointer.summary.runs
    );
    print!("{table}");
    fmt::note(
        "A thread sees the sender's memory, so handing over is passing an address. A process\n\
         has its own memory: the bytes go through the kernel, copied in and copied out, 64\n\
         KiB at a time, into buffers already in use. (Shared memory between processes,\n\
         chapter 09, avoids the copy — and brings back the need to synchronise.)",
    );
    if copy_in_memory.faults_per_run >= 1.0 {
        fmt::note(&format!(
            "The fresh copy faulted {:.0} times per run, once per 4 KiB page: for a block this\n\
             big the allocator asks the kernel for new pages (mmap) every time, and the kernel\n\
             maps and zeroes each one at its first touch. That is why a copy in memory can\n\
             lose to a pipe, which reuses the same warm buffers.",
            copy_in_memory.faults_per_run
        ));
    } else {
        fmt::note(
            "The fresh copy hardly faulted: the allocator reused memory it had already touched.\n\
             With the full 32 MiB payload it cannot (glibc maps blocks that big anew each\n\
             time), and the page faults show up.",
        );
    }
    Ok(SharingCosts {
        payload,
        pointer,
        copy_in_memory,
        pipe,
    })
}

/// A child reads `[length][bytes]` messages from one pipe and answers each with its sample
/// sum on another; a length of 0 tells it to stop.
fn time_pipe_to_a_process(data: &[u8], runs: usize) -> Result<Timed> {
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
        // ANCHOR: pipe_child
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
        // ANCHOR_END: pipe_child
    })?;
    let mut requests = File::from(request_w);
    let mut answers = File::from(answer_r);
    let expected = sample_every_page(data);
    let mut wrong = 0;
    // ANCHOR: pipe_parent
    let mut round_trip = || {
        requests.write_all(&(data.len() as u64).to_le_bytes()).ok();
        requests.write_all(data).ok();
        let mut answer = [0u8; 8];
        answers.read_exact(&mut answer).ok();
        wrong += usize::from(u64::from_le_bytes(answer) != expected);
    };
    // ANCHOR_END: pipe_parent
    // Warm up first, so that the child's buffer has been touched once before counting.
    (0..WARMUP).for_each(|_| round_trip());
    let faults_before = minor_faults() + minor_faults_of(child.pid().as_raw());
    let summary = measure(0, runs, round_trip);
    let faults =
        (minor_faults() + minor_faults_of(child.pid().as_raw())).saturating_sub(faults_before);
    requests.write_all(&0u64.to_le_bytes()).ok();
    child.wait().context("waitpid")?;
    anyhow::ensure!(wrong == 0, "the child answered wrongly {wrong} times");
    Ok(Timed {
        summary,
        faults_per_run: faults as f64 / runs as f64,
    })
}

/// A worker thread receives an `Arc` (the address of the one shared copy) and answers with
/// the same sample sum. For comparison, also hands it a fresh copy each time.
fn time_handoff_to_a_thread(data: Vec<u8>, runs: usize) -> Result<(Timed, Timed)> {
    let (request_tx, request_rx) = mpsc::channel::<Arc<Vec<u8>>>();
    let (answer_tx, answer_rx) = mpsc::channel::<u64>();
    // ANCHOR: pointer_handoff
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
    // ANCHOR_END: pointer_handoff
    let timed = |payload: &dyn Fn() -> Arc<Vec<u8>>| {
        (0..WARMUP).for_each(|_| round_trip(payload()));
        let before = minor_faults();
        let summary = measure(0, runs, || round_trip(payload()));
        let faults = minor_faults().saturating_sub(before);
        Timed {
            summary,
            faults_per_run: faults as f64 / runs as f64,
        }
    };
    // ANCHOR: two_payloads
    let pointer = timed(&|| Arc::clone(&shared)); // the same data: one address
    let copy = timed(&|| Arc::new(shared.to_vec())); // a fresh copy each time
    // ANCHOR_END: two_payloads
    drop(request_tx);
    worker.join().ok();
    Ok((pointer, copy))
}
