//! Step 10: fork from a process with two threads. Only the thread that called fork is
//! copied; a lock another thread held at that moment stays locked in the child forever.
//!
//! The lesson's own `main` must stay single-threaded, so it re-runs itself in a demo mode
//! (`--demo threaded-fork`) to do this, and shows what that process printed.

use std::process::{Command, ExitCode};
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

use support::fmt;

/// How long the parent's second thread holds the lock.
const HELD_FOR: Duration = Duration::from_millis(100);
/// How long the child keeps trying to take it (the child's message says 500 ms).
const CHILD_TRIES_FOR: Duration = Duration::from_millis(500);

static LOCK: Mutex<()> = Mutex::new(());

pub fn show_fork_with_threads() -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("10. fork in a process with threads");
    let me = std::env::current_exe()?;
    let output = support::child::output(Command::new(me).args(["--demo", "threaded-fork"]))?;
    print!("{}", String::from_utf8_lossy(&output.stdout));
    fmt::note(
        "fork copies only the thread that calls it. A lock another thread held at that\n\
         moment is copied *locked*, and the thread that would unlock it does not exist in\n\
         the child: a child that calls lock() waits forever. malloc and stdout have locks\n\
         too. So after fork in a threaded program, the child should only exec or _exit.",
    );
    Ok(())
}

/// Writes `text` to stdout with one `write` call: async-signal-safe, no lock, no malloc.
fn say(text: &[u8]) {
    // SAFETY: writes from a valid buffer of the given length to descriptor 1.
    unsafe { libc::write(1, text.as_ptr().cast(), text.len()) };
}

// ANCHOR: threaded
/// The demo: a second thread takes the lock and holds it for a while; meanwhile the main
/// thread forks, and the child tries to take the lock.
pub fn demo() -> ExitCode {
    let (locked, wait_for_lock) = mpsc::channel();
    let holder = std::thread::spawn(move || {
        let guard = LOCK.lock();
        let _ = locked.send(());
        std::thread::sleep(HELD_FOR); // the parent's copy is unlocked after this
        drop(guard);
    });
    let _ = wait_for_lock.recv();
    let threads = support::threads::count();
    // SAFETY: the child calls only async-signal-safe functions (prctl, getppid, write,
    // nanosleep, _exit) and Mutex::try_lock, which is one atomic compare-and-swap.
    match unsafe { libc::fork() } {
        0 => child_tries_the_lock(),
        child if child > 0 => {
            let _ = holder.join();
            let free_in_parent = LOCK.try_lock().is_ok();
            say_what_the_parent_saw(threads, free_in_parent);
            // SAFETY: waits for our own child; a null status pointer is allowed.
            unsafe { libc::waitpid(child, std::ptr::null_mut(), 0) };
        }
        _ => println!("  fork failed"),
    }
    ExitCode::SUCCESS
}
// ANCHOR_END: threaded

/// In the forked child: try the lock every 10 ms for `CHILD_TRIES_FOR`, then say whether
/// it ever came free, and leave.
fn child_tries_the_lock() -> ! {
    // SAFETY: prctl and getppid are system calls; die if the demo is killed.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        if libc::getppid() == 1 {
            libc::_exit(1);
        }
    }
    let start = Instant::now();
    let mut free = false;
    while start.elapsed() < CHILD_TRIES_FOR && !free {
        free = LOCK.try_lock().is_ok();
        std::thread::sleep(Duration::from_millis(10)); // nanosleep
    }
    say(if free {
        b"  child:  the lock became free\n"
    } else {
        b"  child:  1 thread; the lock is still held after 500 ms, by no one here\n"
    });
    // SAFETY: leaves without running anything of the parent's copy.
    unsafe { libc::_exit(0) }
}

fn say_what_the_parent_saw(threads: usize, free_in_parent: bool) {
    println!(
        "  parent: {threads} threads at fork; its second thread unlocked after {}; \
         lock free: {free_in_parent}",
        fmt::duration(HELD_FOR)
    );
}
