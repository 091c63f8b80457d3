//! Steps 12-13: POSIX message queues, and signals as the smallest message.

use anyhow::Result;
use nix::mqueue::{MQ_OFlag, MqAttr, MqdT, mq_open, mq_receive, mq_send};
use nix::sys::signal::{SigSet, SigmaskHow, Signal, kill, sigprocmask};
use nix::sys::stat::Mode;
use nix::unistd::getppid;
use support::child::fork;
use support::cleanup::{Kind, Named};
use support::fmt;

/// A number from /proc/sys/fs/mqueue (the queue limits), or 0 if it cannot be read.
pub fn mq_limit(name: &str) -> i64 {
    std::fs::read_to_string(format!("/proc/sys/fs/mqueue/{name}"))
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

// ANCHOR: mq_open
/// Creates a new queue (exclusively, mode 0600) of at most `max` messages of at most
/// `size` bytes. The name is registered for removal first: /dev/mqueue is not always
/// mounted, so a run cannot count on listing its queues afterwards.
pub fn create_queue(max: i64, size: i64) -> Result<(MqdT, Named)> {
    let name = support::names::unique("mq");
    let named = Named::register(&name, Kind::Mq)?;
    let flags = MQ_OFlag::O_CREAT | MQ_OFlag::O_EXCL | MQ_OFlag::O_RDWR;
    let attr = MqAttr::new(0, max, size, 0);
    let queue = mq_open(
        name.as_str(),
        flags,
        Mode::from_bits_truncate(0o600),
        Some(&attr),
    )?;
    Ok((queue, named))
}
// ANCHOR_END: mq_open

/// Step 12: messages keep their boundaries and come out by priority.
pub fn show_message_queue() -> Result<()> {
    fmt::step("12. Message queues");
    let (msg_max, msgsize_max, queues_max) = (
        mq_limit("msg_max"),
        mq_limit("msgsize_max"),
        mq_limit("queues_max"),
    );
    println!(
        "  limits in /proc/sys/fs/mqueue: msg_max {msg_max}, msgsize_max {msgsize_max}, \
         queues_max {queues_max}"
    );
    let (queue, named) = create_queue(msg_max.min(10), 64)?;
    let sent = [("low", 1), ("urgent", 9), ("normal", 5), ("also normal", 5)];
    let child = fork(|| {
        let ok = sent
            .iter()
            .all(|(text, prio)| mq_send(&queue, text.as_bytes(), *prio).is_ok());
        i32::from(!ok)
    })?;
    child.wait()?; // all four are queued before the first receive
    let mut got = Vec::new();
    let mut buf = [0u8; 64]; // must be at least the queue's message size, or EMSGSIZE
    for _ in 0..sent.len() {
        let mut prio = 0;
        let n = mq_receive(&queue, &mut buf, &mut prio)?;
        got.push(format!("{:?} ({prio})", String::from_utf8_lossy(&buf[..n])));
    }
    nix::mqueue::mq_close(queue)?; // a queue descriptor is not closed on drop
    drop(named);
    println!(
        "  the child sent: \"low\" (priority 1), \"urgent\" (9), \"normal\" (5), \"also normal\" (5)"
    );
    println!("  the parent received, one message per mq_receive:");
    println!("    {}", got.join(", "));
    support::checks::invariant(
        "highest priority first, equal priorities in order",
        got[0].starts_with("\"urgent\"") && got[2].starts_with("\"also normal\""),
    );
    fmt::note(
        "/dev/mqueue is not mounted on every machine (it is not on the one this book was\n\
         measured on), so the lesson keeps the names it creates and mq_unlinks each one.",
    );
    Ok(())
}

// ANCHOR: signals
/// The child sends SIGUSR1, SIGUSR1 and SIGUSR2 to the parent, which has them blocked;
/// then the parent collects what is pending. A standard signal is one bit per kind.
fn pending_after(sends: &[Signal]) -> Result<Vec<Signal>> {
    let mut set = SigSet::empty();
    set.add(Signal::SIGUSR1);
    set.add(Signal::SIGUSR2);
    let mut old = SigSet::empty();
    sigprocmask(SigmaskHow::SIG_BLOCK, Some(&set), Some(&mut old))?;
    let child = fork(|| i32::from(!sends.iter().all(|&s| kill(getppid(), s).is_ok())))?;
    child.wait()?;
    let mut got = Vec::new();
    while let Some(signal) = take_pending(&set) {
        got.push(signal);
    }
    sigprocmask(SigmaskHow::SIG_SETMASK, Some(&old), None)?;
    Ok(got)
}

/// Takes one pending signal of `set` without waiting (`sigtimedwait` with a zero timeout).
fn take_pending(set: &SigSet) -> Option<Signal> {
    let zero = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: sigtimedwait reads the set and the timeout; a null info pointer is allowed.
    let signo = unsafe { libc::sigtimedwait(set.as_ref(), std::ptr::null_mut(), &zero) };
    Signal::try_from(signo).ok() // -1 (EAGAIN): nothing pending
}
// ANCHOR_END: signals

/// Step 13: a standard signal is one pending bit per kind: it does not queue.
pub fn show_signals() -> Result<()> {
    fmt::step("13. Signals: the smallest message");
    let sends = [Signal::SIGUSR1, Signal::SIGUSR1, Signal::SIGUSR2];
    let got = pending_after(&sends)?;
    let names = |list: &[Signal]| {
        list.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "  the child sent {} while the parent blocked them",
        names(&sends)
    );
    println!("  the parent then took with sigtimedwait: {}", names(&got));
    support::checks::invariant(
        "two SIGUSR1 sent, one received (a standard signal does not queue)",
        got.len() == 2,
    );
    Ok(())
}
