//! How much CPU time this program spent on each core: its own threads and the threads of
//! every process descended from it, read one thread at a time from `/proc`.
//!
//! For each thread, `/proc/<pid>/task/<tid>/stat` names the CPU the thread last ran on
//! (field 39, `processor`; proc_pid_stat(5)) and `/proc/<pid>/task/<tid>/schedstat` the CPU
//! time it has used, in nanoseconds (the first field, `se.sum_exec_runtime`; see
//! `proc_pid_schedstat` in fs/proc/base.c). `stat` has the thread's CPU time too (fields 14
//! and 15), but in clock ticks of `sysconf(_SC_CLK_TCK)`, 100 a second on Linux, so a
//! 20 ms interval would hold 0 to 3 of them. `schedstat` is used instead: nanoseconds, and
//! as exact, since the scheduler adds a thread's time at every tick and every switch. A
//! running thread's figure therefore lags by at most one scheduler tick (longer only on a
//! `nohz_full` CPU running one task, which ticks far less often), and the next read makes
//! the lag up.
//!
//! [`attribute`] charges each thread's CPU time since it was last read to the CPU `stat`
//! named at the read: a thread that moved between cores in the interval has all of it
//! charged to the last one. A thread that ends between two reads is not read again, so
//! the CPU time it used after its last read (all of it, for one that started and ended
//! in between) is charged to no core; getrusage(2) still counts it (a child process's
//! once it has been waited for), and comparing the two says how much that was.
//!
//! Descendants are found by their parents: every process's `/proc/<pid>/stat` names its
//! parent's PID (field 4, `ppid`), and [`support::proc::descendants`] follows those links
//! down from this process. The `/proc/<pid>/task/<tid>/children` files would list the same
//! processes more directly, but proc_tid_children(5) warns that they are reliable only
//! while the children are stopped or frozen (one child exiting during the read may hide
//! another), and they exist only in kernels built with `CONFIG_PROC_CHILDREN`. The scan
//! is not one snapshot either: a process that starts during it may be missed, and the
//! next read charges all its CPU time so far; one left out of a read for any other reason
//! is charged at the next read that lists it, from the figure it had when it was last
//! seen ([`remember`]). A process that outlives its parent is handed to the nearest *child
//! subreaper* above it, or to init: lessons that call `support::child::reap_on_interrupt`
//! are subreapers, so their orphaned grandchildren stay their descendants.

use std::collections::HashMap;
use std::time::Duration;

/// One thread of this program as read at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadCpu {
    /// The process it belongs to.
    pub pid: i32,
    /// The kernel's thread ID.
    pub tid: i32,
    /// When it started, in clock ticks since boot (field 22 of `stat`): with the TID, it
    /// tells a thread from a later one that was given the same TID.
    pub started: u64,
    /// The CPU time it has used so far (`schedstat`, first field).
    pub cpu_time: Duration,
    /// The CPU it last ran on (`stat`, field 39).
    pub cpu: usize,
}

impl ThreadCpu {
    /// What identifies the thread across reads.
    fn key(&self) -> (i32, u64) {
        (self.tid, self.started)
    }
}

// ANCHOR: attribute
/// The CPU time each core gave this program between two reads, in the order of `cpus`
/// (CPU numbers): for every thread in `after`, the CPU time it used since `before` (all of
/// it, for a thread not in `before`: one that started in between), charged to the CPU it
/// was last on in `after`. Threads only in `before` (they ended in between) are charged
/// nowhere, and so is time on a CPU missing from `cpus` (one that came online meanwhile).
pub fn attribute(before: &[ThreadCpu], after: &[ThreadCpu], cpus: &[usize]) -> Vec<Duration> {
    let seen: HashMap<(i32, u64), Duration> =
        before.iter().map(|t| (t.key(), t.cpu_time)).collect();
    let mut charged = vec![Duration::ZERO; cpus.len()];
    for thread in after {
        let earlier = seen.get(&thread.key()).copied().unwrap_or(Duration::ZERO);
        if let Some(row) = cpus.iter().position(|&cpu| cpu == thread.cpu) {
            charged[row] += thread.cpu_time.saturating_sub(earlier);
        }
    }
    charged
}
// ANCHOR_END: attribute

/// `after`, plus every thread of `before` that `after` lacks: what was last seen of every
/// thread, so that a thread left out of one read is charged from its last figure when a
/// later read lists it again. The sampler keeps this between reads.
pub fn remember(before: &[ThreadCpu], after: &[ThreadCpu]) -> Vec<ThreadCpu> {
    let mut known = after.to_vec();
    let listed: std::collections::HashSet<(i32, u64)> = after.iter().map(|t| t.key()).collect();
    known.extend(before.iter().filter(|t| !listed.contains(&t.key())));
    known
}

// ANCHOR: read
/// Reads every thread of this process except `skip` (the reader's own thread, when it
/// should not count), and every thread of every process descended from it. Threads and
/// processes that end during the read are left out.
pub fn read(skip: Option<i32>) -> Vec<ThreadCpu> {
    let mut threads = Vec::new();
    let lesson = std::process::id() as i32;
    for pid in support::proc::descendants(lesson, &support::proc::parents()) {
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
            continue; // it ended
        };
        for task in tasks.flatten() {
            let Some(tid) = task.file_name().to_str().and_then(|n| n.parse().ok()) else {
                continue;
            };
            if Some(tid) == skip {
                continue;
            }
            let dir = format!("/proc/{pid}/task/{tid}");
            let stat = std::fs::read_to_string(format!("{dir}/stat"));
            let schedstat = std::fs::read_to_string(format!("{dir}/schedstat"));
            let (Ok(stat), Ok(schedstat)) = (stat, schedstat) else {
                continue; // it ended
            };
            if let (Some((started, cpu)), Some(cpu_time)) =
                (parse_stat(&stat), parse_schedstat(&schedstat))
            {
                threads.push(ThreadCpu {
                    pid,
                    tid,
                    started,
                    cpu_time,
                    cpu,
                });
            }
        }
    }
    threads
}
// ANCHOR_END: read

/// Fields 22 (`starttime`) and 39 (`processor`) of a `stat` line. The name (field 2) is in
/// parentheses and may hold spaces or `)`, so fields are counted after its last `)`.
fn parse_stat(stat: &str) -> Option<(u64, usize)> {
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // After the name, field 3 (state) is at index 0, so field n is at index n - 3.
    let started = fields.get(22 - 3)?.parse().ok()?;
    let cpu = fields.get(39 - 3)?.parse().ok()?;
    Some((started, cpu))
}

/// The first field of `schedstat`: nanoseconds on a CPU.
fn parse_schedstat(schedstat: &str) -> Option<Duration> {
    let nanos = schedstat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// The CPU time the calling thread has used (`CLOCK_THREAD_CPUTIME_ID`, clock_gettime(2)):
/// exact to the nanosecond, pending time included, unlike `schedstat`.
pub fn this_thread() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec, which `now` is; the clock always exists
    // on Linux, so the call cannot fail and `now` is left valid either way.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(tid: i32, started: u64, ms: u64, cpu: usize) -> ThreadCpu {
        ThreadCpu {
            pid: 1,
            tid,
            started,
            cpu_time: Duration::from_millis(ms),
            cpu,
        }
    }

    #[test]
    fn each_threads_new_time_goes_to_the_cpu_it_was_last_on() {
        let before = [t(10, 5, 100, 0), t(11, 5, 40, 1), t(12, 6, 7, 1)];
        let after = [
            t(10, 5, 130, 1), // moved to cpu 1: all 30 ms charged there
            t(11, 5, 50, 1),  // 10 ms on cpu 1
            // 12 ended in between: its last slice is charged nowhere
            t(13, 9, 25, 0), // new: all 25 ms since it started
            t(14, 9, 3, 7),  // on a CPU not in the list: charged nowhere
        ];
        let ms = Duration::from_millis;
        assert_eq!(attribute(&before, &after, &[0, 1]), vec![ms(25), ms(40)]);
        // CPU numbers need not start at 0 or be contiguous (offline CPUs are skipped).
        assert_eq!(attribute(&before, &after, &[1, 7]), vec![ms(40), ms(3)]);
    }

    #[test]
    fn a_reused_tid_is_a_new_thread() {
        let before = [t(10, 5, 100, 0)];
        let after = [t(10, 8, 20, 0)];
        assert_eq!(
            attribute(&before, &after, &[0]),
            vec![Duration::from_millis(20)]
        );
    }

    #[test]
    fn a_thread_missing_from_one_read_is_charged_from_its_last_figure() {
        let first = [t(10, 5, 100, 0), t(11, 5, 10, 1)];
        let second = [t(10, 5, 120, 0)]; // 11 left out of this read
        let known = remember(&first, &second);
        let third = [t(10, 5, 120, 0), t(11, 5, 30, 1)];
        let ms = Duration::from_millis;
        assert_eq!(attribute(&known, &third, &[0, 1]), vec![ms(0), ms(20)]);
    }

    #[test]
    fn stat_fields_are_counted_after_the_name() {
        // A name with a space and a parenthesis, as comm may hold.
        let mut line = String::from("42 (a b) c) R");
        for field in 4..=52 {
            line.push_str(&format!(" {field}"));
        }
        assert_eq!(parse_stat(&line), Some((22, 39)));
        assert_eq!(
            parse_schedstat("1500 20 3\n"),
            Some(Duration::from_nanos(1500))
        );
    }

    #[test]
    fn a_busy_thread_of_this_process_is_read_on_a_real_cpu() {
        let me = support::threads::tid();
        // Spin until this thread's own clock shows 30 ms of CPU (however long that takes on
        // a busy machine), then sleep: blocking brings `schedstat` up to date.
        while this_thread() < Duration::from_millis(30) {
            std::hint::spin_loop();
        }
        std::thread::sleep(Duration::from_millis(1));
        let threads = read(None);
        let mine = threads
            .iter()
            .find(|t| t.tid == me)
            .expect("this thread is read");
        assert!(mine.cpu_time >= Duration::from_millis(30), "{mine:?}");
        let online: Vec<usize> = crate::cpustat::read()
            .unwrap()
            .iter()
            .map(|c| c.cpu)
            .collect();
        assert!(online.contains(&mine.cpu), "{mine:?} on one of {online:?}");
        assert!(read(Some(me)).iter().all(|t| t.tid != me));
    }

    #[test]
    fn a_child_process_is_read_too() {
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        let pid = child.id() as i32;
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        let mut found = false;
        while !found && std::time::Instant::now() < deadline {
            found = read(None).iter().any(|t| t.pid == pid);
            std::thread::sleep(Duration::from_millis(5));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(found, "the child {pid} was never read");
    }

    #[test]
    fn a_grandchild_process_is_read_too() {
        // The shell starts `sleep` as its own child and waits for it.
        let mut shell = std::process::Command::new("sh")
            .args(["-c", "sleep 5 & wait"])
            .spawn()
            .unwrap();
        let shell_pid = shell.id() as i32;
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        let (mut grandchild, mut found) = (None, false);
        while !found && std::time::Instant::now() < deadline {
            grandchild = support::proc::children(shell_pid).first().copied();
            found = grandchild.is_some_and(|pid| read(None).iter().any(|t| t.pid == pid));
            std::thread::sleep(Duration::from_millis(5));
        }
        if let Some(pid) = grandchild {
            // SAFETY: kill(2) sends a signal and touches no memory of ours; the PID is the
            // shell's child, which the shell (not yet waited for) is still waiting for.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        shell.wait().unwrap();
        assert!(
            found,
            "the shell {shell_pid}'s child {grandchild:?} was never read"
        );
    }
}
