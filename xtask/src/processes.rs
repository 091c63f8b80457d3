//! Looking at the processes an exercise left behind: who is in its group, what a hung
//! one was doing, and sweeping every descendant away afterwards.

use std::path::Path;
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;
use procfs::process::Process;

/// Every live (not zombie) descendant of the grader, whatever process group it is in.
/// While an exercise runs, that is the exercise's whole process tree: the grader starts
/// nothing else meanwhile, and orphans come back to it because it is a child subreaper.
pub fn descendants() -> Vec<Process> {
    below_the_grader()
        .into_iter()
        .filter_map(|pid| Process::new(pid).ok())
        .filter(|p| p.stat().is_ok_and(|s| s.state != 'Z'))
        .collect()
}

/// The memory `members` hold in RAM together (resident set, from `/proc/<pid>/statm`), in
/// MiB. Pages two processes share (after fork) count twice: an upper bound.
pub fn resident_mib(members: &[Process]) -> u64 {
    let page = procfs::page_size();
    members
        .iter()
        .filter_map(|p| p.statm().ok())
        .map(|m| m.resident * page)
        .sum::<u64>()
        / (1024 * 1024)
}

/// A process for a message: its command line (or name) and PID, `sleep 600 (pid 4242)`.
pub fn describe(process: &Process) -> String {
    let command = process
        .cmdline()
        .ok()
        .filter(|words| !words.is_empty())
        .map(|words| words.join(" "))
        .or_else(|| process.stat().ok().map(|s| s.comm))
        .unwrap_or_else(|| "?".to_owned());
    let command: String = command.chars().take(60).collect();
    format!("{command} (pid {})", process.pid)
}

/// Stops a runaway tree at once: SIGKILL to every descendant's process group (a test
/// re-run in a group of its own, and what it forked) and to each descendant itself.
/// [`sweep_descendants`] then catches any forked in between.
pub fn kill_tree() {
    for pid in below_the_grader() {
        // Only groups led by one of ours: a process may join any group of its session,
        // and the terminal's groups are not ours to kill.
        let leads_a_group =
            nix::unistd::getpgid(Some(Pid::from_raw(pid))).is_ok_and(|group| group.as_raw() == pid);
        if leads_a_group {
            let _ = nix::sys::signal::killpg(Pid::from_raw(pid), Signal::SIGKILL);
        }
        let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
    }
}

/// Says whether a run that ran out of time was spinning (using the CPU all along: an
/// endless loop) or waiting, from its learner threads only (see [`crate::stuck`]), and
/// what each of them was doing.
pub fn diagnose_hang(members: &[Process], elapsed: Duration, binary: &Path) -> String {
    let look = crate::stuck::Look::take(members, binary);
    let cpu_seconds = look.threads.iter().map(|t| t.cpu_ns).sum::<u64>() as f64 / 1e9;
    let running = look.threads.iter().any(|t| t.state == 'R');
    // On a busy machine a spinning thread gets only its share of a CPU, but it is always
    // running or ready to run (state R); a blocked one never is.
    let busy = cpu_seconds / elapsed.as_secs_f64().max(0.001);
    let cause = if busy > 0.5 || running {
        SPINNING
    } else {
        look.cause()
    };
    format!(
        "{cause} (its threads used {cpu_seconds:.1} s of CPU in {:.1} s.) Its threads: {}.",
        elapsed.as_secs_f64(),
        look.describe()
    )
}

/// Kills every descendant of this process and reaps them, so no exercise leaves a
/// process or a zombie behind; returns how many live ones there were. Works because the
/// grader is a child subreaper: orphans of the exercise become our children, not init's.
pub fn sweep_descendants() -> usize {
    let mut killed = std::collections::HashSet::new();
    for _ in 0..50 {
        reap_zombies();
        let descendants = below_the_grader();
        if descendants.is_empty() {
            break;
        }
        for pid in descendants {
            let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
            killed.insert(pid);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    reap_zombies();
    killed.len()
}

/// Every descendant of the grader, zombies included, without the grader itself.
fn below_the_grader() -> Vec<i32> {
    let grader = std::process::id() as i32;
    let mut tree = support::proc::descendants(grader, &support::proc::parents());
    tree.retain(|&pid| pid != grader);
    tree
}

fn reap_zombies() {
    while let Ok(status) = waitpid(None, Some(WaitPidFlag::WNOHANG)) {
        if status == nix::sys::wait::WaitStatus::StillAlive {
            break;
        }
    }
}

/// A signal number as its name and what it usually means.
pub fn signal_description(signal: i32) -> String {
    format!(
        "{} ({})",
        support::crash::signal_name(signal),
        support::crash::signal_meaning(signal)
    )
}

const SPINNING: &str = "It was running (on a CPU, or ready for one), not waiting, when it was stopped: probably an endless loop.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_are_named() {
        assert!(signal_description(libc::SIGSEGV).starts_with("SIGSEGV (invalid memory reference"));
        assert!(signal_description(libc::SIGABRT).starts_with("SIGABRT"));
    }
}
