//! Step 6: a counting semaphore from a `Mutex` and a `Condvar` (std has none), bounding
//! how many threads use a resource at once; the lesson measures the most it ever saw.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::Duration;

use support::fmt;

// ANCHOR: semaphore
/// A counting semaphore: `permits` threads may be between `acquire` and
/// `release` at once.
#[derive(Debug)]
pub struct Semaphore {
    permits: Mutex<usize>,
    released: Condvar,
    /// How often a waiter woke and found no permit, so went back to waiting
    /// (the reason the wait is a loop). Counted for the lesson; a plain
    /// semaphore needs no such field.
    pub woke_to_nothing: AtomicUsize,
}

impl Semaphore {
    pub fn new(permits: usize) -> Self {
        Self {
            permits: Mutex::new(permits),
            released: Condvar::new(),
            woke_to_nothing: AtomicUsize::new(0),
        }
    }

    /// Waits for a permit and takes it. The check and the take happen under
    /// one lock.
    pub fn acquire(&self) {
        let mut permits = self.permits.lock().unwrap();
        while *permits == 0 {
            // Unlocks, sleeps until notified (or spuriously woken), locks
            // again.
            permits = self.released.wait(permits).unwrap();
            if *permits == 0 {
                self.woke_to_nothing.fetch_add(1, Ordering::Relaxed);
            }
        }
        *permits -= 1;
    }

    /// Gives a permit back and wakes one waiter.
    pub fn release(&self) {
        *self.permits.lock().unwrap() += 1;
        self.released.notify_one();
    }
}
// ANCHOR_END: semaphore

/// `threads` threads each use the "resource" (a short sleep) `rounds` times; `inside`
/// counts who is using it right now, and `most` keeps the highest count seen.
fn crowd(threads: usize, rounds: usize, gate: Option<&Semaphore>) -> usize {
    let inside = AtomicUsize::new(0);
    let most = AtomicUsize::new(0);
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..rounds {
                    if let Some(gate) = gate {
                        gate.acquire();
                    }
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    thread::sleep(Duration::from_millis(2));
                    inside.fetch_sub(1, Ordering::SeqCst);
                    if let Some(gate) = gate {
                        gate.release();
                    }
                }
            });
        }
    });
    most.into_inner()
}

pub fn show(threads: usize, rounds: usize) {
    fmt::step("6. A semaphore from a Mutex and a Condvar");
    let permits = 2;
    let gate = Semaphore::new(permits);
    let most_at_once = crowd(threads, rounds, Some(&gate));
    let most_without = crowd(threads, rounds, None);
    fmt::note(&format!(
        "{threads} threads each use a resource {rounds} times (2 ms each); a counter of users\n\
         is raised on the way in and lowered on the way out, and its highest value kept."
    ));
    println!(
        "  with a semaphore of {permits} permits: at most {most_at_once} users at once \
         (within the limit: {})",
        support::checks::yes_no(most_at_once <= permits)
    );
    println!("  without it:                    at most {most_without} users at once");
    println!(
        "  waiters that woke, found no permit, and waited again: {}",
        gate.woke_to_nothing.load(Ordering::Relaxed)
    );
    fmt::note(
        "A waiter is woken by notify_one, but by the time it holds the lock again another\n\
         thread may have taken the permit; the docs also allow Condvar::wait to return with\n\
         no notify at all (a spurious wake-up). Either way, `while`, not `if`, re-checks.",
    );
}
