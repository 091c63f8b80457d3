//! Steps 4–6: a zombie seen in /proc; PIDs handed back; an orphan adopted.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::path::Path;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::WaitStatus;
use nix::unistd::{Pid, getpid};
use support::child::{Child, describe};
use support::fmt;

/// The state letter of `pid` in /proc, or `None` once the PID is gone.
fn state_of(pid: Pid) -> Option<char> {
    support::proc::open(pid.as_raw())
        .ok()?
        .stat()
        .ok()
        .map(|s| s.state)
}

/// Polls until `check` holds, for at most two seconds.
fn poll_until(mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    false
}

pub fn show_a_zombie() -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("4. A zombie, seen in /proc");
    let seen = zombie_before_and_after_wait()?;
    let pid = seen.pid;
    let state = seen.state_before_wait.map_or("gone".into(), |s| {
        format!("{s}\n    ({s} = {})", support::proc::state_name(s))
    });
    println!("  child {pid} exited; before wait, its state in /proc/{pid}/stat: {state}");
    println!("  waitpid({pid}) → {}", describe(&seen.status));
    println!(
        "  after wait, /proc/{pid} exists: {}",
        !seen.gone_after_wait
    );
    fmt::note(&format!(
        "The child was a zombie: {}. A zombie runs no code and holds no user\n\
         memory (its address space was freed when it exited), but its task entry stays,\n\
         with its PID and exit status, until the parent asks for them. Then the entry,\n\
         and the PID, are freed.",
        seen.became_zombie
    ));
    Ok(())
}

/// What /proc showed of a child between its exit and its parent's wait, and after.
struct ZombieSeen {
    pid: Pid,
    became_zombie: bool,
    state_before_wait: Option<char>,
    status: WaitStatus,
    gone_after_wait: bool,
}

// ANCHOR: zombie
fn zombie_before_and_after_wait() -> Result<ZombieSeen, Box<dyn std::error::Error>> {
    let child = support::child::fork(|| 0)?;
    let pid = child.pid();
    // The child exits at once; until we wait for it, the kernel keeps its entry.
    let became_zombie = poll_until(|| state_of(pid) == Some('Z'));
    let state_before_wait = state_of(pid);
    let status = child.wait()?;
    let gone_after_wait = !Path::new(&format!("/proc/{pid}")).exists();
    Ok(ZombieSeen {
        pid,
        became_zombie,
        state_before_wait,
        status,
        gone_after_wait,
    })
}
// ANCHOR_END: zombie

pub fn show_pids_handed_back() -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("5. Is the PID handed back?");
    let mut pids = Vec::new();
    for _ in 0..8 {
        let child = support::child::fork(|| 0)?;
        pids.push(child.pid().as_raw());
        child.wait()?;
    }
    let increasing = pids.windows(2).all(|w| w[1] > w[0]);
    let pid_max = std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| "unknown".into());
    let shown: Vec<String> = pids.iter().map(i32::to_string).collect();
    println!("  8 children, each reaped before the next was forked:");
    println!("    {}", shown.join(" "));
    fmt::note(&format!(
        "Each PID was free again once its child was reaped, yet the next child got a new\n\
         number (increasing every time: {increasing}). Linux hands PIDs out in order and\n\
         only wraps around at pid_max = {pid_max}, so a freed PID comes back much later, to\n\
         a different process. \"The PID is handed back\" holds, but after the reap, not at\n\
         the exit, and not straight away."
    ));
    Ok(())
}

pub fn show_an_orphan_adopted() -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("6. An orphan, adopted");
    let (grandchild, middle_pid) = make_an_orphan()?;
    let orphan = Child::adopt(grandchild);
    let me = getpid().as_raw();
    let adopted = poll_until(|| support::proc::parent_pid(grandchild.as_raw()).ok() == Some(me));
    let new_parent = support::proc::parent_pid(grandchild.as_raw())?;
    let init = support::proc::command_name(1).unwrap_or_else(|_| "?".into());
    println!("  grandchild {grandchild}: its parent was {middle_pid}, which has exited");
    println!(
        "  its parent now: {new_parent} ({}) — the lesson, a subreaper: {adopted}",
        support::proc::command_name(new_parent).unwrap_or_default()
    );
    // SIGTERM is the polite "please end" signal (what `kill PID` sends by default); the
    // grandchild has no handler for it, so its default action ends the process.
    kill(grandchild, Signal::SIGTERM)?;
    println!(
        "  the lesson sends it SIGTERM and reaps it: {}",
        describe(&orphan.wait()?)
    );
    fmt::note(&format!(
        "Without the subreaper flag it would have gone to PID 1 (here: {init}), which must\n\
         then reap it. Every process always has a living parent to collect its status.\n\
         SIGTERM asks a process to end (`kill PID` sends it); a program may catch it to tidy\n\
         up first. This one had no handler, so the default action ended it: \"killed by\"."
    ));
    Ok(())
}

// ANCHOR: orphan
/// A middle child forks a grandchild, sends back its PID, and exits: the grandchild is an
/// orphan. Returns the grandchild's PID and the middle child's.
fn make_an_orphan() -> Result<(Pid, Pid), Box<dyn std::error::Error>> {
    // Orphans normally go to PID 1 (or the nearest "subreaper" ancestor, such as
    // systemd --user). Making the lesson a subreaper brings them back to us, so we can
    // reap them: a PID 1 that does not reap would keep their zombies forever.
    nix::sys::prctl::set_child_subreaper(true)?;
    let (read_end, write_end) = nix::unistd::pipe()?;
    let report_fd = write_end.as_raw_fd();
    let middle = support::child::fork(move || {
        // The grandchild sleeps; the lesson kills it when the step is done. It closes its
        // copy of the report pipe, or the lesson's read would wait for it to end.
        let grandchild = support::child::fork(|| {
            let _ = nix::unistd::close(report_fd);
            std::thread::sleep(Duration::from_secs(10));
            0
        });
        let text = match grandchild {
            Ok(grandchild) => {
                let pid = grandchild.pid();
                // Leave it running: its parent is about to exit and orphan it.
                std::mem::forget(grandchild);
                pid.to_string()
            }
            Err(e) => format!("error {e}"),
        };
        let _ = File::from(write_end).write_all(text.as_bytes());
        0
    })?;
    let mut text = String::new();
    File::from(read_end).read_to_string(&mut text)?;
    let middle_pid = middle.pid();
    middle.wait()?;
    let grandchild = text
        .parse()
        .map_err(|_| format!("the middle child said: {text}"))?;
    Ok((Pid::from_raw(grandchild), middle_pid))
}
// ANCHOR_END: orphan
