//! The threads of this process as the kernel sees them: each one a *task* with its own
//! ID, listed under `/proc/self/task`.
//!
//! Rust's [`std::thread::ThreadId`] is Rust's own counter; the kernel knows a thread by its
//! TID. This module asks the kernel, through `/proc`, so it needs no system-call crate:
//! `/proc/thread-self` is a link to `<pid>/task/<tid>` of whichever thread reads it.

use procfs::process::Process;

use crate::proc::{ProcessError, explain};

/// One task (thread) of this process, as listed in `/proc/self/task/<tid>/stat`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// The kernel's thread ID. The main thread's TID equals the process's PID.
    pub tid: i32,
    /// The thread's name (`comm`, at most 15 bytes): Rust sets it from
    /// `thread::Builder::name`; an unnamed thread inherits the program's name.
    pub name: String,
    /// The one-letter state (`R`, `S`, ...); [`crate::proc::state_name`] explains it.
    pub state: char,
    /// The CPU this task last ran on (field 39 of its `stat`).
    pub last_cpu: Option<i32>,
}

/// The first words of [`crate::proc::state_name`], for a table cell: `'S'` → `"sleeping"`.
pub fn state_word(state: char) -> &'static str {
    let name = crate::proc::state_name(state);
    name.split(" (").next().unwrap_or(name)
}

/// What `/proc/<pid>/task/<tid>/syscall` says about a task blocked in a system call.
///
/// The kernel fills it from the *user-space* registers it saved on its own stack when the
/// task entered the kernel for that system call (`task_pt_regs`; see `proc_pid_syscall` in
/// fs/proc/base.c and `task_current_syscall` in lib/syscall.c): where the task's code
/// will resume when the call returns. It is not what the scheduler saves when it switches
/// tasks (that is kernel-side state, in `task_struct.thread`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blocked {
    /// The system call's number (x86-64: 202 is `futex`, 7 is `poll`, 0 is `read`);
    /// -1 when the task is in the kernel for another reason (a page fault, a signal).
    pub syscall: i64,
    /// The system call's six arguments as the registers held them (unused ones are
    /// whatever was left there); all 0 outside a system call. The first is the descriptor
    /// for `read`, `write` and `accept`; the fourth is `futex`'s timeout pointer.
    pub arguments: [u64; 6],
    /// The user stack pointer at the system call.
    pub sp: u64,
    /// The user program counter: the instruction after the system call.
    pub pc: u64,
}

/// [`Blocked`] for a task of this process; `None` while it runs (the file then says
/// `running`) or when it could not be read.
pub fn blocked_in(tid: i32) -> Option<Blocked> {
    blocked_in_of(std::process::id() as i32, tid).ok().flatten()
}

/// [`Blocked`] for a task of any process. `Ok(None)` while the task runs; an error when
/// the file is hidden (another user's process, without ptrace rights).
pub fn blocked_in_of(pid: i32, tid: i32) -> std::io::Result<Option<Blocked>> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/syscall"))?;
    let fields: Vec<&str> = text.split_whitespace().collect();
    if fields.len() < 3 {
        return Ok(None);
    }
    let hex = |s: &str| u64::from_str_radix(s.trim_start_matches("0x"), 16).ok();
    let syscall = fields[0].parse().ok();
    // `<nr> <six arguments> <sp> <pc>`, or `-1 <sp> <pc>` outside a system call.
    let mut arguments = [0u64; 6];
    if fields.len() >= 9 {
        for (argument, field) in arguments.iter_mut().zip(&fields[1..7]) {
            *argument = hex(field).unwrap_or(0);
        }
    }
    let sp = hex(fields[fields.len() - 2]);
    let pc = hex(fields[fields.len() - 1]);
    Ok(match (syscall, sp, pc) {
        (Some(syscall), Some(sp), Some(pc)) => Some(Blocked {
            syscall,
            arguments,
            sp,
            pc,
        }),
        _ => None,
    })
}

/// The user stack pointer and program counter of a blocked task of any process, as
/// [`Blocked`] explains (see [`blocked_in_of`]).
pub fn saved_sp_pc_of(pid: i32, tid: i32) -> std::io::Result<Option<(u64, u64)>> {
    Ok(blocked_in_of(pid, tid)?.map(|b| (b.sp, b.pc)))
}

/// The calling thread's kernel TID, read from the `/proc/thread-self` link
/// (`"<pid>/task/<tid>"`): the same number `gettid()` returns.
pub fn tid() -> i32 {
    let link = std::fs::read_link("/proc/thread-self")
        .expect("/proc/thread-self exists on Linux 3.17 and later");
    link.file_name()
        .and_then(|name| name.to_str())
        .and_then(|name| name.parse().ok())
        .expect("/proc/thread-self points at <pid>/task/<tid>")
}

/// The one-letter state of thread `tid` of this process (`R`, `S`, `D`, ...; see
/// [`crate::proc::state_name`]), from `/proc/self/task/<tid>/stat`; `None` once it is gone.
pub fn state(tid: i32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).ok()?;
    // The state is the first field after the `)` that closes the thread's name.
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .next()?
        .chars()
        .next()
}

/// Waits, looking every millisecond, until thread `tid` of this process is in `state`
/// (`'S'`: it has blocked in the kernel) and returns true; false if `within` passes first
/// or the thread is gone. Tests use it to force an order instead of sleeping and hoping.
pub fn wait_until_state(tid: i32, wanted: char, within: std::time::Duration) -> bool {
    let deadline = std::time::Instant::now() + within;
    loop {
        match state(tid) {
            Some(now) if now == wanted => return true,
            None => return false,
            Some(_) if std::time::Instant::now() >= deadline => return false,
            Some(_) => std::thread::sleep(std::time::Duration::from_millis(1)),
        }
    }
}

/// The CPU time thread `tid` of this process has used so far: the first field of
/// `/proc/self/task/<tid>/schedstat` (`se.sum_exec_runtime`, in nanoseconds; see
/// `proc_pid_schedstat` in fs/proc/base.c), brought up to date at every scheduler tick
/// and switch. `None` once the thread is gone, or where the kernel keeps no schedstats.
pub fn cpu_time(tid: i32) -> Option<std::time::Duration> {
    cpu_time_of(std::process::id() as i32, tid)
}

/// [`cpu_time`] for a task of any process (`/proc/<pid>/task/<tid>/schedstat`).
pub fn cpu_time_of(pid: i32, tid: i32) -> Option<std::time::Duration> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/schedstat")).ok()?;
    let nanos: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(std::time::Duration::from_nanos(nanos))
}

/// Every task of this process, sorted by TID. Threads that exit while the list is being
/// read are left out rather than reported as errors.
pub fn tasks() -> Result<Vec<Task>, ProcessError> {
    let me = std::process::id() as i32;
    let process = Process::myself().map_err(|e| explain(me, "/proc/self", e))?;
    let iter = process
        .tasks()
        .map_err(|e| explain(me, "/proc/self/task", e))?;
    let mut tasks: Vec<Task> = iter
        .flatten()
        .filter_map(|task| {
            let stat = task.stat().ok()?;
            Some(Task {
                tid: task.tid,
                name: stat.comm,
                state: stat.state,
                last_cpu: stat.processor,
            })
        })
        .collect();
    tasks.sort_by_key(|task| task.tid);
    Ok(tasks)
}

/// How many threads this process has right now (the entries of `/proc/self/task`).
pub fn count() -> usize {
    std::fs::read_dir("/proc/self/task")
        .map(|entries| entries.count())
        .unwrap_or(0)
}

/// How many threads this process has once those already joined are gone from
/// `/proc/self/task`: waits up to `within` for the count to fall to `expected`, and returns
/// the count then. A joined thread can stay listed for a moment after `join` returns, since
/// the kernel wakes the joiner before it removes the exited thread from the thread group.
pub fn count_settled(expected: usize, within: std::time::Duration) -> usize {
    let deadline = std::time::Instant::now() + within;
    loop {
        let now = count();
        if now <= expected || std::time::Instant::now() >= deadline {
            return now;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// Panics unless this process has exactly one thread. Call it before `fork`: a child
/// forked from a multi-threaded process gets only the forking thread, and any lock another
/// thread held at that instant stays locked in the child forever.
pub fn assert_single_threaded(before: &str) {
    let threads = count();
    assert_eq!(
        threads, 1,
        "{before}: the process has {threads} threads; fork only from a single-threaded process"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spinning_thread_runs_and_uses_cpu_a_sleeping_one_sleeps() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::time::Duration;
        let stop = AtomicBool::new(false);
        std::thread::scope(|s| {
            let (tx, rx) = std::sync::mpsc::channel();
            let sleeper = {
                let tx = tx.clone();
                s.spawn(move || {
                    tx.send(tid()).unwrap();
                    std::thread::sleep(Duration::from_millis(300));
                })
            };
            let stop = &stop;
            s.spawn(move || {
                tx.send(tid()).unwrap();
                while !stop.load(Ordering::Relaxed) {
                    std::hint::spin_loop();
                }
            });
            let (a, b) = (rx.recv().unwrap(), rx.recv().unwrap());
            std::thread::sleep(Duration::from_millis(100));
            let states = [state(a), state(b)];
            assert!(states.contains(&Some('S')), "{states:?}");
            assert!(cpu_time(a).is_some() && cpu_time(b).is_some());
            sleeper.join().unwrap();
            stop.store(true, Ordering::Relaxed);
        });
    }

    #[test]
    fn a_spawned_thread_is_a_task_of_this_process() {
        let (tx, rx) = std::sync::mpsc::channel();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let worker = std::thread::Builder::new()
            .name("probe".into())
            .spawn(move || {
                tx.send(tid()).unwrap();
                done_rx.recv().ok();
            })
            .unwrap();
        let worker_tid = rx.recv().unwrap();
        let listed = tasks().unwrap();
        done_tx.send(()).unwrap();
        worker.join().unwrap();
        let task = listed.iter().find(|t| t.tid == worker_tid).expect("listed");
        assert_eq!(task.name, "probe");
        assert_ne!(worker_tid, tid());
        assert!(listed.iter().any(|t| t.tid == std::process::id() as i32));
    }
}
