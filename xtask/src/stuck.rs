//! What a running exercise's *own* threads are doing, and whether all of them have stopped
//! for good.
//!
//! A verdict about a hang must come from the learner's threads, not the harness's: libtest's
//! main thread always waits for the test thread, and a test that re-runs itself isolated
//! (`support::crash::rerun_test`) sits polling for its copy. Those are left out. What is
//! left — the test thread running the learner's code, the threads it started, the
//! processes it forked — is described thread by thread: blocked on a lock, on a pipe (and
//! where the pipe's other end is still open), on a socket, on a child, sleeping, or running.
//!
//! When every one of those threads has been blocked with no CPU time for [`STALL`], nothing
//! inside the exercise can wake any of them (only a timer could, and a thread asleep on one
//! is named as sleeping): the run is stopped then, rather than at its time limit.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use procfs::process::Process;

/// How long every learner thread must have been blocked, using no CPU at all, before the
/// run is called stuck. No exercise waits that long for nothing; a loaded machine delays
/// runnable threads (state R, never counted as blocked), not blocked ones.
pub const STALL: Duration = Duration::from_secs(2);

/// How often [`Watch`] looks: each look reads a few `/proc` files per thread.
const EVERY: Duration = Duration::from_millis(200);

/// One learner thread at one look.
#[derive(Debug, Clone)]
pub struct ThreadLook {
    /// Which process, in words: `the test process`, `a forked copy of the test process`,
    /// or the program's name (`'cat'`).
    pub process: String,
    pub tid: i32,
    /// The thread's name (`comm`): a test's name, cut to 15 bytes, or the learner's own.
    pub name: String,
    pub state: char,
    /// CPU time so far, in nanoseconds (`schedstat`).
    pub cpu_ns: u64,
    /// What it was doing, in words.
    pub doing: String,
    /// Blocked in a call that ends by itself after a time (a sleep, a wait with a
    /// timeout): such a thread will wake without anyone's help.
    pub timed: bool,
}

/// The learner's threads at one moment.
#[derive(Debug, Clone, Default)]
pub struct Look {
    pub threads: Vec<ThreadLook>,
}

impl Look {
    /// Looks at every thread of `members` (the exercise's processes) that is the learner's.
    /// `binary` is the test executable, to tell the harness's own threads apart.
    pub fn take(members: &[Process], binary: &Path) -> Look {
        // Which processes run the test binary: one `exe` link read per process and look.
        let test_binaries: Vec<i32> = members
            .iter()
            .filter(|p| p.exe().ok().as_deref() == Some(binary))
            .map(|p| p.pid)
            .collect();
        let rerun_copies: Vec<i32> = members
            .iter()
            .filter(|p| test_binaries.contains(&p.pid) && is_rerun_copy(p))
            .map(|p| p.pid)
            .collect();
        let parents: HashMap<i32, i32> = members
            .iter()
            .filter_map(|p| Some((p.pid, p.stat().ok()?.ppid)))
            .collect();
        let labels = process_labels(members, &test_binaries, &rerun_copies, &parents);
        let label = |pid: i32| {
            labels
                .get(&pid)
                .cloned()
                .unwrap_or_else(|| format!("pid {pid}"))
        };
        let main_name = binary_comm(binary);
        let mut threads = Vec::new();
        for process in members {
            let is_test_binary = test_binaries.contains(&process.pid);
            // A test process (not itself a copy) whose child is a re-run copy only waits
            // for that copy: it is harness, and so is all it does.
            let supervises_a_copy = is_test_binary
                && !rerun_copies.contains(&process.pid)
                && rerun_copies
                    .iter()
                    .any(|copy| parents.get(copy) == Some(&process.pid));
            if supervises_a_copy {
                continue;
            }
            for task in process.tasks().into_iter().flatten().flatten() {
                let Ok(stat) = task.stat() else { continue };
                // libtest's main thread: the test binary's first thread, still named after
                // the program (a forked copy's first thread carries its test's name).
                if is_test_binary && task.tid == process.pid && stat.comm == main_name {
                    continue;
                }
                let cpu_ns = support::threads::cpu_time_of(process.pid, task.tid)
                    .map_or(0, |t| t.as_nanos() as u64);
                // The system call it is blocked in, read once for both uses below.
                let call = support::threads::blocked_in_of(process.pid, task.tid)
                    .ok()
                    .flatten();
                let doing = doing(process.pid, task.tid, stat.state, call, members, &label);
                let timed = call.is_some_and(|call| ends_by_itself(&call));
                threads.push(ThreadLook {
                    process: label(process.pid),
                    tid: task.tid,
                    name: stat.comm,
                    state: stat.state,
                    cpu_ns,
                    doing,
                    timed,
                });
            }
        }
        Look { threads }
    }

    /// True when no learner thread can run, nor will wake by itself: each is blocked (or
    /// stopped) in the kernel, none in a sleep or a wait with a timeout. A test's own
    /// patience (a `recv_timeout`, a rendezvous with a deadline) is such a wait, so a
    /// test that will soon say what went wrong in its own words is left to say it.
    fn all_blocked(&self) -> bool {
        !self.threads.is_empty()
            && self
                .threads
                .iter()
                .all(|t| matches!(t.state, 'S' | 'D' | 'T' | 't') && !t.timed)
    }

    /// Which threads exist and how much CPU each has used: equal between two looks means
    /// nothing ran in between.
    fn progress(&self) -> Vec<(i32, u64)> {
        let mut key: Vec<(i32, u64)> = self.threads.iter().map(|t| (t.tid, t.cpu_ns)).collect();
        key.sort_unstable();
        key
    }

    /// Each thread and what it was doing: `thread 8 of pid 7: reading from a pipe …`.
    pub fn describe(&self) -> String {
        if self.threads.is_empty() {
            return "none of its threads was left to look at".to_owned();
        }
        self.threads
            .iter()
            .map(|t| {
                // A thread takes its creator's name unless given one: the test's name, cut
                // to 15 bytes by the kernel, says nothing; a learner's own name does.
                let named = if t.name.starts_with("grading::") || t.process.contains(&t.name) {
                    String::new()
                } else {
                    format!(" '{}'", t.name)
                };
                format!("thread {}{named} of {}: {}", t.tid, t.process, t.doing)
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The probable cause, from what the blocked threads wait in.
    pub fn cause(&self) -> &'static str {
        let any = |word: &str| self.threads.iter().any(|t| t.doing.contains(word));
        if any("pipe") {
            PIPE
        } else if any("socket") {
            SOCKET
        } else if any("child process") {
            CHILD
        } else if any("lock") {
            LOCKS
        } else if any("sleeping") {
            SLEEP
        } else {
            WAITING
        }
    }
}

/// Watches a run for the moment nothing of it can go on.
#[derive(Debug)]
pub struct Watch {
    binary: PathBuf,
    last_look: Option<Instant>,
    /// Since when the learner's threads have all been blocked with this progress.
    still: Option<(Instant, Vec<(i32, u64)>)>,
}

impl Watch {
    pub fn new(binary: &Path) -> Watch {
        Watch {
            // /proc/<pid>/exe names the file with every link resolved.
            binary: binary.canonicalize().unwrap_or_else(|_| binary.to_owned()),
            last_look: None,
            still: None,
        }
    }

    /// Looks (at most every [`EVERY`]); returns the look once every learner thread has been
    /// blocked, using no CPU, for [`STALL`].
    pub fn stuck(&mut self, members: &[Process]) -> Option<Look> {
        // The first look waits EVERY too: most runs end before it, and pay for none.
        let last = *self.last_look.get_or_insert_with(Instant::now);
        if last.elapsed() < EVERY {
            return None;
        }
        self.last_look = Some(Instant::now());
        let look = Look::take(members, &self.binary);
        if !look.all_blocked() {
            self.still = None;
            return None;
        }
        let progress = look.progress();
        match &self.still {
            Some((since, before)) if *before == progress => {
                (since.elapsed() >= STALL).then_some(look)
            }
            _ => {
                self.still = Some((Instant::now(), progress));
                None
            }
        }
    }
}

/// Whether a blocked system call returns by itself after a time: a sleep, or a `futex`,
/// `poll`, `epoll_wait` or `select` given a timeout (see futex(2), poll(2), epoll_wait(2),
/// select(2) for which argument holds it).
fn ends_by_itself(call: &support::threads::Blocked) -> bool {
    let a = call.arguments;
    match call.syscall {
        n if n == libc::SYS_futex => a[3] != 0,
        n if n == libc::SYS_clock_nanosleep => true,
        n if n == libc::SYS_ppoll => a[2] != 0,
        n if n == libc::SYS_pselect6 => a[4] != 0,
        n if n == libc::SYS_epoll_pwait => a[3] as i32 >= 0,
        #[cfg(target_arch = "x86_64")]
        n if n == libc::SYS_nanosleep => true,
        #[cfg(target_arch = "x86_64")]
        n if n == libc::SYS_poll => a[2] as i32 >= 0,
        #[cfg(target_arch = "x86_64")]
        n if n == libc::SYS_epoll_wait => a[3] as i32 >= 0,
        #[cfg(target_arch = "x86_64")]
        n if n == libc::SYS_select => a[4] != 0,
        _ => false,
    }
}

/// A copy started by `support::crash::rerun_test`: its environment at start has the marker.
fn is_rerun_copy(process: &Process) -> bool {
    process
        .environ()
        .is_ok_and(|env| env.contains_key(std::ffi::OsStr::new(support::crash::RERUN_ENV)))
}

/// Each process in words, by PID: the test binary's processes by their part, others by
/// their program's name and PID.
fn process_labels(
    members: &[Process],
    test_binaries: &[i32],
    rerun_copies: &[i32],
    parents: &HashMap<i32, i32>,
) -> HashMap<i32, String> {
    let grader = std::process::id() as i32;
    members
        .iter()
        .map(|p| {
            let is_test_binary = test_binaries.contains(&p.pid);
            let parent = parents.get(&p.pid).copied().unwrap_or(0);
            let part = if !is_test_binary {
                let name = p.stat().map(|s| s.comm).unwrap_or_default();
                format!("'{name}' (pid {})", p.pid)
            } else if parent == grader {
                format!("the test process (pid {})", p.pid)
            } else if rerun_copies.contains(&p.pid) && !rerun_copies.contains(&parent) {
                format!("the test's isolated copy (pid {})", p.pid)
            } else {
                format!("a forked copy of the test process (pid {})", p.pid)
            };
            (p.pid, part)
        })
        .collect()
}

/// What the kernel names a program's first thread: its file name, cut to 15 bytes.
fn binary_comm(binary: &Path) -> String {
    let name = binary
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.chars().take(15).collect()
}

/// A thread's state and kernel wait channel in words; for a read or write blocked on a
/// pipe, which pipe and where its other end is still open.
fn doing(
    pid: i32,
    tid: i32,
    state: char,
    call: Option<support::threads::Blocked>,
    members: &[Process],
    label: &dyn Fn(i32) -> String,
) -> String {
    let channel = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/wchan"))
        .unwrap_or_default()
        .trim()
        .to_owned();
    match channel.as_str() {
        _ if state == 'R' => "running (on a CPU, or ready for one)".to_owned(),
        c if c.contains("pipe") => pipe_wait(pid, c, call, members, label),
        c if c.contains("futex") => "waiting on a lock, a condition variable, a channel or a join \
                                     (futex)"
            .to_owned(),
        c if c.contains("do_wait") || c.contains("wait4") => {
            "waiting for a child process to exit".to_owned()
        }
        c if c.contains("nanosleep") => "sleeping (thread::sleep)".to_owned(),
        c if c.contains("unix")
            || c.contains("sock")
            || c.contains("tcp")
            || c.contains("inet") =>
        {
            format!("waiting on a socket ({c})")
        }
        c if c.contains("poll") || c.contains("select") => {
            format!("waiting in poll, select or epoll ({c})")
        }
        c if c.contains("mq") || c.contains("wq_sleep") => "waiting on a message queue".to_owned(),
        "" | "0" => format!(
            "{} (the kernel hides where)",
            support::proc::state_name(state)
        ),
        other => format!("waiting in the kernel at {other}"),
    }
}

/// `reading from a pipe, pipe:[123] (fd 5); its write end is still open in the test process
/// (pid 7, fd 6)`.
fn pipe_wait(
    pid: i32,
    channel: &str,
    call: Option<support::threads::Blocked>,
    members: &[Process],
    label: &dyn Fn(i32) -> String,
) -> String {
    let (verb, other_end, other_mode) = if channel.contains("write") {
        ("writing to a full", "read", libc::O_RDONLY)
    } else {
        ("reading from a", "write", libc::O_WRONLY)
    };
    let Some(fd) = call.map(|b| b.arguments[0]) else {
        return format!("{verb} pipe");
    };
    let Ok(pipe) = std::fs::read_link(format!("/proc/{pid}/fd/{fd}")) else {
        return format!("{verb} pipe (fd {fd})");
    };
    let pipe = pipe.to_string_lossy().into_owned();
    let mut holders = Vec::new();
    for process in members {
        for entry in process.fd().into_iter().flatten().flatten() {
            let same = std::fs::read_link(format!("/proc/{}/fd/{}", process.pid, entry.fd))
                .is_ok_and(|target| target.to_string_lossy() == pipe);
            if same && open_mode(process.pid, entry.fd) == Some(other_mode) {
                let whose = label(process.pid);
                let whose = whose.trim_end_matches(')');
                let same = if process.pid == pid {
                    " — this same process"
                } else {
                    ""
                };
                holders.push(format!("{whose}, fd {}){same}", entry.fd));
            }
        }
    }
    if holders.is_empty() {
        format!("{verb} pipe, {pipe} (fd {fd})")
    } else {
        format!(
            "{verb} pipe, {pipe} (fd {fd}); its {other_end} end is still open in {}",
            holders.join(", ")
        )
    }
}

/// The access mode (`O_RDONLY`, `O_WRONLY`, `O_RDWR`) of a descriptor, from `fdinfo`.
fn open_mode(pid: i32, fd: i32) -> Option<i32> {
    let info = std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{fd}")).ok()?;
    let flags = info
        .lines()
        .find_map(|line| line.strip_prefix("flags:"))?
        .trim();
    i32::from_str_radix(flags, 8)
        .ok()
        .map(|f| f & libc::O_ACCMODE)
}

const PIPE: &str = "Every thread of your code was blocked, one of them on a pipe: probably a read \
that waits for the end of a pipe whose write end is still open somewhere (often a copy of it \
in the reader's own process, kept after a fork), or a write to a pipe nobody reads.";
const SOCKET: &str = "Every thread of your code was blocked, one of them on a socket: probably \
both ends waiting to read, or a server waiting for a client that already gave up.";
const CHILD: &str = "Every thread of your code was blocked, one of them waiting for a child \
process that never exits (is the child waiting for its parent in turn?).";
const LOCKS: &str = "Every thread of your code was blocked on a lock, condition variable, \
channel or join: probably a deadlock (two locks taken in opposite orders, a wake-up never \
sent, a join on a thread that waits for you).";
const SLEEP: &str = "Your code was sleeping: a sleep far longer than the test allows (a Duration \
in the wrong unit?), or a loop that sleeps and never sees its condition change.";
const WAITING: &str = "Every thread of your code was blocked in the kernel.";

#[cfg(test)]
mod tests {
    use super::*;

    fn thread(tid: i32, state: char, cpu_ns: u64, doing: &str) -> ThreadLook {
        ThreadLook {
            process: "the test process (pid 1)".into(),
            tid,
            name: "t".into(),
            state,
            cpu_ns,
            doing: doing.into(),
            timed: false,
        }
    }

    #[test]
    fn the_cause_follows_what_the_threads_wait_in() {
        let look = |doing: &str| Look {
            threads: vec![thread(1, 'S', 0, doing)],
        };
        assert_eq!(look("reading from a pipe").cause(), PIPE);
        assert_eq!(look("sleeping (thread::sleep)").cause(), SLEEP);
        assert_eq!(
            look("waiting on a lock, a condition variable, a channel or a join (futex)").cause(),
            LOCKS
        );
    }

    #[test]
    fn a_thread_in_a_timed_wait_will_wake_by_itself() {
        let mut sleeper = thread(1, 'S', 0, "sleeping (thread::sleep)");
        sleeper.timed = true;
        assert!(
            !Look {
                threads: vec![sleeper]
            }
            .all_blocked()
        );
        assert!(
            Look {
                threads: vec![thread(1, 'S', 0, "futex")]
            }
            .all_blocked()
        );
    }

    #[test]
    fn a_running_thread_is_not_blocked() {
        let look = Look {
            threads: vec![thread(1, 'S', 5, "x"), thread(2, 'R', 9, "running")],
        };
        assert!(!look.all_blocked());
        assert!(!Look::default().all_blocked());
    }
}
