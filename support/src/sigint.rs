//! The Ctrl-C test every lesson that starts processes runs: interrupt the lesson at a
//! given moment and prove it left no process behind.
//!
//! The test process makes itself a *child subreaper* (`prctl(PR_SET_CHILD_SUBREAPER)`):
//! a process the lesson started and did not reap is then re-parented to the test instead
//! of to init, where the test can see it (`PPid` = the test's PID) and clean it up. Run it
//! from a test binary of its own (a file in `tests/` with only this test), so no other
//! test's children are mistaken for the lesson's.

use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Who gets the signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Only the lesson's process (`kill -INT <pid>`).
    Process,
    /// The lesson's whole process group, as a terminal's Ctrl-C does.
    Group,
}

/// Starts `exe args` in a process group of its own, sends `SIGINT` after `after`, waits up
/// to 10 s for it to end, and then looks for any process it left behind. Returns how the
/// lesson ended (`Ok`) or what it left (`Err`, after killing and reaping the leftovers).
pub fn interrupt(
    exe: &Path,
    args: &[&str],
    after: Duration,
    target: Target,
) -> Result<String, String> {
    crate::child::become_subreaper().map_err(|e| format!("prctl(PR_SET_CHILD_SUBREAPER): {e}"))?;
    let mut lesson = Command::new(exe)
        .args(args)
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", exe.display()))?;
    let pid = lesson.id() as libc::pid_t;
    std::thread::sleep(after);
    let to = if target == Target::Group { -pid } else { pid };
    // SAFETY: kill(2) sends a signal; it reads no memory of ours.
    unsafe { libc::kill(to, libc::SIGINT) };
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = lesson.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if Instant::now() > deadline {
            lesson.kill().ok();
            lesson.wait().ok();
            return Err(format!("still running 10 s after SIGINT at {after:?}"));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let ending = match (status.code(), status.signal()) {
        (Some(code), _) => format!("exited with status {code}"),
        (_, Some(signal)) => format!("killed by signal {signal}"),
        _ => "ended".into(),
    };
    // An orphan is re-parented at the moment its parent dies; give it a moment.
    std::thread::sleep(Duration::from_millis(100));
    let left = leftovers();
    if left.is_empty() {
        Ok(ending)
    } else {
        for (child, _) in &left {
            // SAFETY: kill and waitpid on our own (adopted) children; no memory is shared.
            unsafe {
                libc::kill(*child, libc::SIGKILL);
                libc::waitpid(*child, std::ptr::null_mut(), 0);
            }
        }
        Err(format!(
            "SIGINT at {after:?} ({target:?}): the lesson {ending} but left {}",
            left.iter()
                .map(|(pid, what)| format!("{pid} ({what})"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

/// Every process whose parent is this test process: (PID, "name, state").
fn leftovers() -> Vec<(libc::pid_t, String)> {
    crate::proc::children(std::process::id() as i32)
        .into_iter()
        .filter_map(|pid| {
            let stat = crate::proc::open(pid).ok()?.stat().ok()?;
            Some((pid, format!("{}, state {}", stat.comm, stat.state)))
        })
        .collect()
}
