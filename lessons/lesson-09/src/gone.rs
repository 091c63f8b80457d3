//! Step 15: when the other end is gone (a write to a pipe nobody reads: EPIPE or SIGPIPE),
//! and when a signal cuts a blocking call short (EINTR, or a restart with SA_RESTART).

use std::time::{Duration, Instant};

use anyhow::Result;
use nix::errno::Errno;
use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, kill, sigaction};
use nix::sys::wait::WaitStatus;
use support::child::fork;
use support::fmt;

/// Exit codes the children below use to say what their call returned.
const GOT_EPIPE: i32 = 32;
const GOT_EINTR: i32 = 4;
const GOT_THE_BYTE: i32 = 0;
const SOMETHING_ELSE: i32 = 1;

// ANCHOR: epipe
/// A child writes one byte into a pipe whose read end is already closed. Rust programs
/// start with SIGPIPE ignored, so the write fails with EPIPE; with `default_action` the
/// child first gives SIGPIPE back its default action, as a C program has, and the same
/// write kills it. In a child, so that the signal kills only the child.
fn write_with_no_reader(default_action: bool) -> Result<WaitStatus> {
    let (read_end, write_end) = nix::unistd::pipe()?;
    drop(read_end); // nobody can ever read what is written now
    let child = fork(move || {
        if default_action {
            // SAFETY: signal(2) is async-signal-safe; SIG_DFL installs no handler.
            unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
        }
        match nix::unistd::write(&write_end, b"x") {
            Err(Errno::EPIPE) => GOT_EPIPE,
            _ => SOMETHING_ELSE,
        }
    })?;
    Ok(child.wait()?)
}
// ANCHOR_END: epipe

/// A handler that does nothing: its only effect is that the signal was *handled*.
extern "C" fn nothing(_: libc::c_int) {}

// ANCHOR: eintr
/// A child installs a handler for SIGUSR1 (with SA_RESTART or without) and blocks reading
/// a pipe. Once it is asleep in that read, the parent sends SIGUSR1, then, 200 ms later,
/// one byte. Without SA_RESTART the read returns EINTR as soon as the handler has run;
/// with it, the kernel starts the read again, and it returns the byte.
fn read_interrupted(restart: bool) -> Result<WaitStatus> {
    let (read_end, write_end) = nix::unistd::pipe()?;
    let child = fork(move || {
        let flags = if restart {
            SaFlags::SA_RESTART
        } else {
            SaFlags::empty()
        };
        let action = SigAction::new(SigHandler::Handler(nothing), flags, SigSet::empty());
        // SAFETY: sigaction(2) is async-signal-safe; the handler touches nothing.
        if unsafe { sigaction(Signal::SIGUSR1, &action) }.is_err() {
            return SOMETHING_ELSE;
        }
        let mut byte = [0u8; 1];
        match nix::unistd::read(&read_end, &mut byte) {
            Err(Errno::EINTR) => GOT_EINTR,
            Ok(1) => GOT_THE_BYTE,
            _ => SOMETHING_ELSE,
        }
    })?; // the closure owned the parent's copy of read_end, and fork dropped it
    wait_until_reading(child.pid().as_raw());
    kill(child.pid(), Signal::SIGUSR1)?;
    std::thread::sleep(Duration::from_millis(200));
    // The child may have gone already (EINTR): then this write fails with EPIPE, as above.
    let _ = nix::unistd::write(&write_end, b"x");
    Ok(child.wait()?)
}
// ANCHOR_END: eintr

/// Waits (up to 5 s) until `pid` sleeps in the kernel reading its pipe: by then its
/// handler is installed, so the signal cannot end it with SIGUSR1's default action.
fn wait_until_reading(pid: i32) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        let asleep = support::proc::open(pid)
            .ok()
            .and_then(|p| p.stat().ok())
            .is_some_and(|stat| stat.state == 'S');
        let in_a_pipe = std::fs::read_to_string(format!("/proc/{pid}/wchan"))
            .is_ok_and(|wchan| wchan.contains("pipe"));
        if asleep && in_a_pipe {
            return;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// How a child ended, in words.
fn ending(status: &WaitStatus) -> String {
    match status {
        WaitStatus::Exited(_, GOT_EPIPE) => "its write failed with EPIPE (Broken pipe)".into(),
        WaitStatus::Exited(_, GOT_EINTR) => "its read failed with EINTR (Interrupted)".into(),
        WaitStatus::Exited(_, GOT_THE_BYTE) => "its read returned the byte".into(),
        WaitStatus::Signaled(_, signal, _) => format!("it was killed by {}", signal.as_str()),
        other => format!("{other:?}"),
    }
}

/// Step 15: a writer whose reader is gone, and a read that a signal interrupts.
pub fn show_when_the_other_end_is_gone() -> Result<()> {
    fmt::step("15. A reader gone, a read interrupted");
    let ignored = write_with_no_reader(false)?;
    let default = write_with_no_reader(true)?;
    println!("  a write to a pipe whose read end is closed:");
    println!(
        "    SIGPIPE ignored (Rust's default):       {}",
        ending(&ignored)
    );
    println!(
        "    SIGPIPE's default action (C programs): {}",
        ending(&default)
    );
    support::checks::invariant(
        "with SIGPIPE ignored, the write fails with EPIPE",
        matches!(ignored, WaitStatus::Exited(_, GOT_EPIPE)),
    );
    support::checks::invariant(
        "with SIGPIPE's default action, the same write kills the writer",
        matches!(default, WaitStatus::Signaled(_, Signal::SIGPIPE, _)),
    );
    let plain = read_interrupted(false)?;
    let restarted = read_interrupted(true)?;
    println!("  a read blocked on a pipe, when a handled signal arrives:");
    println!("    handler without SA_RESTART: {}", ending(&plain));
    println!("    handler with SA_RESTART:    {}", ending(&restarted));
    support::checks::invariant(
        "a handled signal cuts a blocked read short with EINTR",
        matches!(plain, WaitStatus::Exited(_, GOT_EINTR)),
    );
    support::checks::invariant(
        "with SA_RESTART the kernel restarts the read",
        matches!(restarted, WaitStatus::Exited(_, GOT_THE_BYTE)),
    );
    fmt::note(
        "Rust's runtime sets SIGPIPE to be ignored before main, so a broken pipe is an error\n\
         to handle (io::ErrorKind::BrokenPipe), not a silent death: piped into `head -1`,\n\
         this lesson ends with println!'s \"failed printing to stdout: Broken pipe\" panic.\n\
         std's read_exact and write_all retry on EINTR by themselves; a plain read may return\n\
         it whenever a handler without SA_RESTART runs (signal(7), \"Interruption of system\n\
         calls and library functions by signal handlers\").",
    );
    Ok(())
}
