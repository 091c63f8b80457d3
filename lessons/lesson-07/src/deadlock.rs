//! Step 8: deadlock. Two threads take two locks in opposite order and hang for real — in a
//! subprocess (the lesson run again as `lesson-07 --demo deadlock`), so only that copy
//! hangs. A watchdog thread in the subprocess reads from `/proc` what each thread is
//! waiting in; the lesson kills the subprocess when its time limit runs out. Then the same
//! threads take the locks in one agreed order and finish.

use std::sync::mpsc;
use std::sync::{Barrier, Mutex};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use nix::libc;
use support::crash::{self, Ending};
use support::{fmt, threads};

/// The hidden `--demo` values.
pub const DEMOS: [&str; 2] = ["deadlock", "ordered"];

// ANCHOR: opposite_order
/// Takes `first`, waits until the other thread holds its first lock too, then
/// takes `second`. Called as (a, b) by one thread and (b, a) by the other:
/// each then holds the lock the other wants, and neither lets go.
fn take_both(first: &Mutex<u64>, second: &Mutex<u64>, both_hold_one: &Barrier) {
    let mut one = first.lock().unwrap();
    both_hold_one.wait();
    let mut two = second.lock().unwrap(); // waits for the other thread, forever
    *one -= 1;
    *two += 1;
}
// ANCHOR_END: opposite_order

// ANCHOR: ordered
/// Lock ordering: every thread takes the lock with the lower address first,
/// whatever order its caller named them in. A cycle of "holds one, waits for
/// the other" cannot form.
fn take_both_in_order(x: &Mutex<u64>, y: &Mutex<u64>) {
    let (first, second) = if std::ptr::from_ref(x) < std::ptr::from_ref(y) {
        (x, y)
    } else {
        (y, x)
    };
    let mut one = first.lock().unwrap();
    let mut two = second.lock().unwrap();
    *one -= 1;
    *two += 1;
}
// ANCHOR_END: ordered

/// The subprocess: `deadlock` hangs (the watchdog reports, then the lesson kills it);
/// `ordered` runs the same two threads 100,000 rounds each with lock ordering and exits.
pub fn demo(kind: &str) -> std::process::ExitCode {
    let (a, b) = (Mutex::new(1_000_000), Mutex::new(0));
    if kind == "ordered" {
        thread::scope(|s| {
            s.spawn(|| (0..100_000).for_each(|_| take_both_in_order(&a, &b)));
            s.spawn(|| (0..100_000).for_each(|_| take_both_in_order(&b, &a)));
        });
        println!("both threads finished 100,000 rounds each, locks taken in one order");
        return std::process::ExitCode::SUCCESS;
    }
    let barrier = Barrier::new(2);
    let (tell, told) = mpsc::channel();
    thread::scope(|s| {
        for (name, first, second, held, wanted) in
            [("left", &a, &b, "a", "b"), ("right", &b, &a, "b", "a")]
        {
            let (tell, barrier) = (tell.clone(), &barrier);
            thread::Builder::new()
                .name(name.into())
                .spawn_scoped(s, move || {
                    let _ = tell.send((name, threads::tid()));
                    println!("{name}: takes {held}, then {wanted}");
                    take_both(first, second, barrier);
                })
                .expect("spawn a locking thread");
        }
        drop(tell);
        let tids: Vec<(&str, i32)> = told.iter().take(2).collect();
        // Look after 300 ms, or later if a busy machine has not yet run both threads into
        // their second lock: the lesson's time limit ends the wait either way.
        let started = std::time::Instant::now();
        thread::sleep(Duration::from_millis(300));
        while !tids.iter().all(|&(_, tid)| asleep_in_futex(tid)) {
            thread::sleep(Duration::from_millis(10));
        }
        println!(
            "watchdog, {} later:",
            support::fmt::duration(started.elapsed())
        );
        for (name, tid) in tids {
            println!("  {}", waiting_in(name, tid));
        }
        println!("(the lesson's time limit will now kill this process)");
        use std::io::Write;
        let _ = std::io::stdout().flush();
        // The scope now waits to join the two threads: forever.
    });
    std::process::ExitCode::SUCCESS
}

/// Whether thread `tid` of this process is asleep in the `futex` system call.
fn asleep_in_futex(tid: i32) -> bool {
    threads::blocked_in(tid).is_some_and(|b| syscall_name(b.syscall) == "futex")
}

// ANCHOR: waiting_in
/// What a thread is waiting in, from `/proc/self/task/<tid>/`: its state
/// letter, its `wchan` (the kernel function it sleeps in) and `syscall` (the
/// system call it is in).
fn waiting_in(name: &str, tid: i32) -> String {
    let dir = format!("/proc/self/task/{tid}");
    let read = |file: &str| {
        let text = std::fs::read_to_string(format!("{dir}/{file}"));
        text.unwrap_or_default()
    };
    let stat = read("stat");
    // The state is the first field after the ")" that closes the thread's
    // name.
    let state = stat
        .rsplit(')')
        .next()
        .and_then(|r| r.split_whitespace().next());
    let syscall = match threads::blocked_in(tid) {
        Some(b) => format!("{} ({})", b.syscall, syscall_name(b.syscall)),
        None => "(running)".into(),
    };
    let (state, wchan) = (state.unwrap_or("?"), read("wchan"));
    format!("{name}: state {state}, wchan {wchan}, syscall {syscall}")
}
// ANCHOR_END: waiting_in

/// The number of the `futex` system call on this architecture (202 on x86-64, 98 on
/// AArch64; see man 2 syscalls).
#[allow(clippy::unnecessary_cast)] // c_long is i64 here, but i32 on 32-bit targets
pub const FUTEX: i64 = libc::SYS_futex as i64;

/// The name of a system call number this demonstration may meet.
fn syscall_name(number: i64) -> &'static str {
    if number == FUTEX {
        "futex"
    } else {
        "see man 2 syscalls"
    }
}

pub fn show(limit: Duration) -> Result<()> {
    fmt::step("8. Deadlock, and lock ordering");
    println!(
        "  lesson-07 --demo deadlock  (a subprocess; the lesson kills it after {}):",
        fmt::duration(limit)
    );
    let run = crash::run_self(&["--demo", "deadlock"], limit)
        .context("could not run the deadlock demonstration")?;
    for line in run.stdout.lines() {
        println!("    │ {line}");
    }
    println!("    the subprocess {}", run.ending);
    let hung = run.ending == Ending::TimedOut;
    let waits_on_futex = run
        .stdout
        .lines()
        .filter(|l| l.contains("syscall") && l.contains("(futex)"))
        .count();
    support::checks::invariant(
        "both threads were asleep in futex, each waiting for the other's lock",
        hung && waits_on_futex == 2,
    );
    // The ordered run finishes in milliseconds; its limit only has to outlast a busy machine.
    let ordered = crash::run_self(&["--demo", "ordered"], limit.max(Duration::from_secs(10)))
        .context("could not run the lock-ordering demonstration")?;
    println!("  lesson-07 --demo ordered:");
    for line in ordered.stdout.lines() {
        println!("    │ {line}");
    }
    println!(
        "    the subprocess {} after {}",
        ordered.ending,
        fmt::duration(ordered.elapsed)
    );
    let ordered_finished = ordered.ending.success();
    support::checks::invariant(
        "with one lock order, the same two threads finished",
        ordered_finished,
    );
    Ok(())
}
