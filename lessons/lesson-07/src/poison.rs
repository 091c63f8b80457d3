//! Step 5: poisoning. A thread panics while it holds a `Mutex`; the next `lock()` says so.

use std::sync::{Mutex, PoisonError};
use std::thread;

use support::fmt;

/// What the step saw, for the page and the test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub lock_was_err: bool,
    pub data: Vec<u32>,
    pub poisoned_after_clear: bool,
}

// ANCHOR: poison
/// A thread starts an update of two steps under the lock and panics after the
/// first: the `Mutex` is *poisoned*, and every later `lock()` returns
/// `Err(PoisonError)`. The error still carries the guard: `into_inner` gives
/// access to the half-updated data.
pub fn poison_a_lock() -> Seen {
    let ledger = Mutex::new(vec![100, 0]);
    let holder = thread::Builder::new().name("holder".into());
    thread::scope(|s| {
        let worker = holder
            .spawn_scoped(s, || {
                let mut accounts = ledger.lock().unwrap();
                accounts[0] -= 30; // the first half of a transfer of 30
                // The second half fails, with the guard still held:
                let amount: u32 = "thirty".parse().expect("a bad amount");
                accounts[1] += amount;
            })
            .expect("spawn the holder thread");
        let _ = worker.join(); // Err: the thread panicked.
    });
    let lock_was_err = ledger.lock().is_err();
    let data = ledger
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    ledger.clear_poison();
    Seen {
        lock_was_err,
        data,
        poisoned_after_clear: ledger.is_poisoned(),
    }
}
// ANCHOR_END: poison

pub fn show() {
    fmt::step("5. Poisoning: when the holder panics");
    println!("  (the holder thread's panic message follows, on stderr)");
    let quiet = fmt::backtrace_requested();
    if quiet {
        support::fmt::panics_without_backtrace();
    }
    let seen = poison_a_lock();
    if quiet {
        let _ = std::panic::take_hook();
    }
    println!(
        "  lock() after the panic returned Err(PoisonError): {}",
        support::checks::yes_no(seen.lock_was_err)
    );
    println!(
        "  into_inner() gave the data anyway: {:?} (the transfer was half done: 70 + 0 ≠ 100)",
        seen.data
    );
    println!(
        "  after clear_poison(), is_poisoned() is {}",
        seen.poisoned_after_clear
    );
    fmt::note(
        "Poisoning is a warning, not a lock-up: the data is still there, and the next holder\n\
         decides whether it can be trusted. Most code calls lock().unwrap() and so turns the\n\
         warning into a panic of its own.",
    );
}
