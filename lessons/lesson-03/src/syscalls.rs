//! Step 8: the system calls behind fork, exec and wait, seen by `strace` as the lesson
//! re-runs itself in a small demo mode.

use std::collections::HashMap;
use std::io::ErrorKind;
use std::process::{Command, ExitCode};

use nix::sys::prctl::set_pdeathsig;
use nix::sys::signal::Signal;
use nix::unistd::execv;
use support::fmt;

/// The system calls strace is asked to show: every way to make a process, exec, and wait.
const TRACED: &str = "trace=clone,clone3,fork,vfork,execve,wait4";

// ANCHOR: demo
/// What runs under strace: one fork + exec + wait by hand, then the same with `Command`.
pub fn demo() -> ExitCode {
    // Should strace be killed (Ctrl-C), die with it rather than live on unparented.
    let _ = set_pdeathsig(Signal::SIGKILL);
    let by_hand = support::child::fork(|| {
        let _ = set_pdeathsig(Signal::SIGKILL);
        let _ = execv(c"/bin/true", &[c"true"]);
        127 // only reached if exec failed
    });
    if let Ok(child) = by_hand {
        let _ = child.wait();
    }
    let _ = Command::new("/bin/true").status();
    ExitCode::SUCCESS
}
// ANCHOR_END: demo

pub fn show_system_calls() -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("8. Into the kernel: system calls, seen by strace");
    let me = std::env::current_exe()?;
    // Run as ./lesson-03 from its own folder, so the lines strace prints stay short.
    let folder = me.parent().ok_or("the lesson's path has no folder")?;
    // ANCHOR: strace
    let mut strace = Command::new("strace");
    strace.current_dir(folder);
    strace.args([
        "-f",
        "-q",
        "-e",
        TRACED,
        "-e",
        "signal=none",
        "-o",
        "/dev/stdout",
    ]);
    strace.args(["./lesson-03", "--demo", "syscalls"]);
    // ANCHOR_END: strace
    println!("  strace -f -e {TRACED} ./lesson-03 --demo syscalls");
    let output = match support::child::output(&mut strace) {
        Ok(output) => output,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            fmt::note(
                "strace is not installed, so this step has nothing to show. On Debian or\n\
                 Ubuntu, `sudo apt install strace` (Fedora: `sudo dnf install strace`) adds it;\n\
                 then run the lesson again. The rest of the lesson does not need it.",
            );
            return Ok(());
        }
        Err(e) => return Err(format!("could not run strace: {e}").into()),
    };
    if !output.status.success() {
        let why = String::from_utf8_lossy(&output.stderr);
        fmt::note(&format!(
            "strace could not trace here ({}): containers often forbid ptrace, the system\n\
             call strace is built on. The rest of the lesson does not need it.",
            why.lines().next().unwrap_or("no message").trim()
        ));
        return Ok(());
    }
    let text = String::from_utf8_lossy(&output.stdout);
    for line in merge_interrupted(&text) {
        for (i, part) in wrap(&line, 94).iter().enumerate() {
            println!("  {}{part}", if i == 0 { "" } else { "      " });
        }
    }
    fmt::note(
        "Each line is one crossing into the kernel: PID, call, arguments, = what it returned.\n\
         fork is clone(…SIGCHLD) here: a new process with a copy of the memory. Command used\n\
         clone3(CLONE_VM|CLONE_VFORK): the child borrows the parent's memory (no copy) and\n\
         the parent waits until the child's execve has replaced it. wait4 is waitpid.",
    );
    Ok(())
}

/// strace splits a call that another process interrupts into `call(args <unfinished ...>`
/// and, later, `<... call resumed>rest`; this puts each call back on one line, where it
/// began.
fn merge_interrupted(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut open: HashMap<String, usize> = HashMap::new();
    for line in text.lines() {
        let (pid, call) = line.split_once(' ').unwrap_or(("", line));
        let call = call.trim_start();
        if let Some(start) = call.strip_suffix(" <unfinished ...>") {
            open.insert(pid.to_owned(), lines.len());
            lines.push(format!("{pid} {start}"));
        } else if let Some(rest) = call.strip_prefix("<... ") {
            let rest = rest.split_once(" resumed>").map_or(rest, |(_, r)| r);
            match open.remove(pid) {
                Some(at) => lines[at].push_str(rest.trim_start()),
                None => lines.push(format!("{pid} {call}")),
            }
        } else {
            lines.push(format!("{pid} {call}"));
        }
    }
    // strace pads calls to line up their results; one space is enough here.
    lines.iter().map(|l| squeeze_before_result(l)).collect()
}

/// `call(…)      = 0` → `call(…) = 0`: strace's padding before a result, removed.
fn squeeze_before_result(call: &str) -> String {
    match call.rfind(" = ") {
        Some(at) => format!("{} = {}", call[..at].trim_end(), &call[at + 3..]),
        None => call.to_owned(),
    }
}

/// Breaks a long line after ", " so that no piece is wider than `width` characters.
fn wrap(line: &str, width: usize) -> Vec<String> {
    let mut pieces = vec![String::new()];
    for word in line.split_inclusive(", ") {
        let last = pieces.last_mut().expect("never empty");
        if !last.is_empty() && last.chars().count() + word.chars().count() > width {
            pieces.push(word.to_owned());
        } else {
            last.push_str(word);
        }
    }
    pieces.iter().map(|p| p.trim_end().to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interrupted_calls_are_put_back_together() {
        let text = "10 wait4(11,  <unfinished ...>\n11 execve(\"/bin/true\") = 0\n\
                    10 <... wait4 resumed>[{WIFEXITED(s)}], 0, NULL) = 11\n";
        assert_eq!(
            merge_interrupted(text),
            [
                "10 wait4(11, [{WIFEXITED(s)}], 0, NULL) = 11",
                "11 execve(\"/bin/true\") = 0"
            ]
        );
    }

    #[test]
    fn long_lines_break_after_commas() {
        assert_eq!(wrap("a(bb, cc, dd) = 1", 9), ["a(bb,", "cc,", "dd) = 1"]);
    }
}
