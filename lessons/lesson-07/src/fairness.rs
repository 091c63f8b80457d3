//! Step 9: priority inversion and fairness. First, what a waiting thread tells the kernel:
//! a thread blocked on `std`'s `Mutex` sleeps in a plain futex wait on a word that names no
//! owner, while a priority-inheritance lock (`FUTEX_LOCK_PI`) keeps the owner's thread ID
//! in its word, which is what lets the kernel lend the owner a waiter's priority. Then
//! fairness, measured: two threads take one `Mutex` over and over, and a ticket lock does
//! the same, and the lesson counts how often the lock changed hands.

use std::hint::spin_loop;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Barrier, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use nix::libc;
use support::affinity::{allowed, pin_to};
use support::threads::{self, Blocked};
use support::{checks, fmt, table::Table};

use crate::deadlock::FUTEX;
use crate::lost::group;

// ANCHOR: pi_lock
/// A lock whose futex word holds its owner's thread ID (TID), so the kernel
/// knows whom a waiter waits for and can lend that owner the waiter's
/// priority (futex(2), "Priority-inheritance futexes").
#[derive(Debug, Default)]
pub struct PiLock {
    word: AtomicU32,
}

impl PiLock {
    /// Takes the lock: 0 → my TID in user space when it is free, else asks the
    /// kernel, which marks the word FUTEX_WAITERS and puts me to sleep.
    pub fn lock(&self, my_tid: u32) {
        let free = self
            .word
            .compare_exchange(0, my_tid, Ordering::Acquire, Ordering::Relaxed);
        if free.is_ok() {
            return;
        }
        loop {
            // SAFETY: FUTEX_LOCK_PI reads and writes the aligned u32 at this
            // address, a live `AtomicU32`; a null timeout means no timeout.
            let done = unsafe {
                libc::syscall(
                    libc::SYS_futex,
                    self.word.as_ptr(),
                    libc::FUTEX_LOCK_PI | libc::FUTEX_PRIVATE_FLAG,
                    0,
                    std::ptr::null::<libc::timespec>(),
                )
            };
            if done == 0 {
                return; // the kernel made me the owner: the word holds my TID
            }
            let error = std::io::Error::last_os_error();
            // EAGAIN: the owner is exiting; try again (futex(2), ERRORS).
            if !matches!(error.raw_os_error(), Some(libc::EINTR | libc::EAGAIN)) {
                panic!("futex(FUTEX_LOCK_PI) failed: {error}");
            }
        }
    }

    /// Releases it: my TID → 0 in user space when nobody waits, else the
    /// kernel hands the lock to the highest-priority waiter.
    pub fn unlock(&self, my_tid: u32) {
        let alone = self
            .word
            .compare_exchange(my_tid, 0, Ordering::Release, Ordering::Relaxed);
        if alone.is_err() {
            // SAFETY: FUTEX_UNLOCK_PI on the same live word, which this thread
            // owns (its TID is in it); no other argument is used.
            unsafe {
                libc::syscall(
                    libc::SYS_futex,
                    self.word.as_ptr(),
                    libc::FUTEX_UNLOCK_PI | libc::FUTEX_PRIVATE_FLAG,
                );
            }
        }
    }
}
// ANCHOR_END: pi_lock

/// What one waiter was seen doing while the main thread held a lock.
#[derive(Debug, Clone, Copy)]
pub struct Waiting {
    /// The waiter's system call, once it slept in `futex` (None: not seen within 2 s).
    pub blocked: Option<Blocked>,
    /// The lock's futex word at that moment (PI lock only; std's word is private).
    pub word: Option<u32>,
    pub holder_tid: u32,
    pub waiter_tid: u32,
    /// PI lock only: the word once the waiter had the lock (its TID, if the kernel handed
    /// the lock over).
    pub word_after_handover: Option<u32>,
}

/// Holds a lock on this thread, starts a thread that asks for it, and reads from `/proc`
/// what that thread sleeps in. `pi`: the PI lock above; otherwise a `std::sync::Mutex`.
pub fn watch_a_waiter(pi: bool) -> Waiting {
    let holder_tid = threads::tid() as u32;
    let std_lock = Mutex::new(());
    let pi_lock = PiLock::default();
    let held = (!pi).then(|| std_lock.lock().unwrap());
    if pi {
        pi_lock.lock(holder_tid);
    }
    let (tell, told) = mpsc::channel();
    thread::scope(|s| {
        let waiter = s.spawn(|| {
            let me = threads::tid() as u32;
            let _ = tell.send(me);
            if pi {
                pi_lock.lock(me);
                let word = pi_lock.word.load(Ordering::Relaxed);
                pi_lock.unlock(me);
                Some(word)
            } else {
                drop(std_lock.lock());
                None
            }
        });
        let waiter_tid = told.recv().expect("the waiter sends its TID");
        let deadline = Instant::now() + Duration::from_secs(2);
        let mut blocked = None;
        while blocked.is_none() && Instant::now() < deadline {
            blocked = threads::blocked_in(waiter_tid as i32).filter(|b| b.syscall == FUTEX);
            thread::sleep(Duration::from_millis(1));
        }
        let word = pi.then(|| pi_lock.word.load(Ordering::Relaxed));
        drop(held);
        if pi {
            pi_lock.unlock(holder_tid);
        }
        let word_after_handover = waiter.join().expect("the waiter thread");
        Waiting {
            blocked,
            word,
            holder_tid,
            waiter_tid,
            word_after_handover,
        }
    })
}

/// The futex operation in a `futex` call's second argument, by name, e.g.
/// `FUTEX_LOCK_PI_PRIVATE: 134`.
fn futex_op(op: u64) -> String {
    let command = op as i32 & libc::FUTEX_CMD_MASK;
    let name = match command {
        libc::FUTEX_WAIT => "FUTEX_WAIT",
        libc::FUTEX_WAIT_BITSET => "FUTEX_WAIT_BITSET",
        libc::FUTEX_LOCK_PI => "FUTEX_LOCK_PI",
        libc::FUTEX_LOCK_PI2 => "FUTEX_LOCK_PI2",
        _ => "another operation (see man 2 futex)",
    };
    let private = if op as i32 & libc::FUTEX_PRIVATE_FLAG != 0 {
        "_PRIVATE"
    } else {
        ""
    };
    format!("{name}{private}: {op}")
}

/// A PI futex word spelt out: `0x80006aae = FUTEX_WAITERS | TID 27310`.
fn pi_word(word: u32) -> String {
    let waiters = if word & libc::FUTEX_WAITERS != 0 {
        "FUTEX_WAITERS | "
    } else {
        ""
    };
    format!(
        "{word:#010x} = {waiters}TID {}",
        word & libc::FUTEX_TID_MASK
    )
}

// ANCHOR: ticket_lock
/// A fair lock: each thread draws a numbered ticket and waits until the lock
/// serves that number, like a queue at a counter. The lock goes to whoever
/// has waited longest.
#[derive(Debug, Default)]
pub struct TicketLock {
    next: AtomicU64,
    serving: AtomicU64,
}

impl TicketLock {
    pub fn lock(&self) {
        let mine = self.next.fetch_add(1, Ordering::Relaxed);
        let mut spins = 0u32;
        while self.serving.load(Ordering::Acquire) != mine {
            spins += 1;
            if spins < 1_000 {
                spin_loop();
            } else {
                thread::yield_now(); // the holder may not be running: let it
            }
        }
    }

    pub fn unlock(&self) {
        self.serving.fetch_add(1, Ordering::Release);
    }
}
// ANCHOR_END: ticket_lock

/// Who took the lock, in order: kept under the lock by whoever holds it.
#[derive(Debug, Default)]
pub struct Log {
    last: Option<usize>,
    pub each: Vec<u64>,
    /// Acquisitions by a different thread from the one before.
    pub changed_hands: u64,
    run: u64,
    /// The most acquisitions one thread made in a row.
    pub longest_run: u64,
}

impl Log {
    fn note(&mut self, me: usize) {
        if self.last == Some(me) {
            self.run += 1;
        } else {
            self.changed_hands += u64::from(self.last.is_some());
            self.last = Some(me);
            self.run = 1;
        }
        self.longest_run = self.longest_run.max(self.run);
        self.each[me] += 1;
    }
}

// ANCHOR: contend
/// One contender: until `stop`, take the lock, note who has it, hold it for
/// `hold` (a short critical section), release it and at once ask again.
/// With a `gate`, the ticket lock decides who goes next, and the `Mutex`
/// inside is then never contended (it only lets safe Rust reach the log).
fn contend(
    me: usize,
    log: &Mutex<Log>,
    gate: Option<&TicketLock>,
    hold: Duration,
    stop: &AtomicBool,
) {
    while !stop.load(Ordering::Relaxed) {
        if let Some(gate) = gate {
            gate.lock();
        }
        {
            let mut log = log.lock().unwrap();
            log.note(me);
            let since = Instant::now();
            while since.elapsed() < hold {
                spin_loop();
            }
        }
        if let Some(gate) = gate {
            gate.unlock();
        }
    }
}
// ANCHOR_END: contend

/// `threads` threads (thread i pinned to CPU i mod the CPU count) contend for `run_for`.
/// Returns the log and how long they ran.
pub fn fairness(
    threads: usize,
    fair: bool,
    hold: Duration,
    run_for: Duration,
) -> Result<(Log, Duration)> {
    let cpus = allowed().context("sched_getaffinity")?;
    let log = Mutex::new(Log {
        each: vec![0; threads],
        ..Log::default()
    });
    let gate = TicketLock::default();
    let stop = AtomicBool::new(false);
    let start = Barrier::new(threads + 1);
    let ran = thread::scope(|s| -> Result<Duration> {
        let workers: Vec<_> = (0..threads)
            .map(|me| {
                let (log, gate, stop, start, cpu) =
                    (&log, &gate, &stop, &start, cpus[me % cpus.len()]);
                s.spawn(move || -> Result<()> {
                    let pinned = pin_to(cpu).context("pinning a contender (sched_setaffinity)");
                    start.wait();
                    contend(me, log, fair.then_some(gate), hold, stop);
                    pinned
                })
            })
            .collect();
        start.wait();
        let began = Instant::now();
        thread::sleep(run_for);
        stop.store(true, Ordering::Relaxed);
        for worker in workers {
            worker.join().expect("a contender panicked")?;
        }
        Ok(began.elapsed())
    })?;
    Ok((log.into_inner().unwrap(), ran))
}

pub fn show(run_for: Duration) -> Result<()> {
    fmt::step("9. Priority inversion and fairness");
    let plain = watch_a_waiter(false);
    let pi = watch_a_waiter(true);
    fmt::note(&format!(
        "The main thread (TID {}) holds a lock; a second thread asks for it and sleeps. What it\n\
         sleeps in, read from /proc/self/task/<tid>/syscall (watch_a_waiter):",
        pi.holder_tid
    ));
    let mut table = Table::new([
        "lock",
        "the waiter's system call",
        "the lock's word as it slept",
    ]);
    let unseen = || "(not seen asleep in futex within 2 s)".to_string();
    table.row(match plain.blocked {
        // FUTEX_WAIT sleeps only while the word holds the value argument.
        Some(b) => [
            "std Mutex".to_string(),
            format!("futex({})", futex_op(b.arguments[1])),
            format!("{} (the call's value argument)", b.arguments[2]),
        ],
        None => ["std Mutex".to_string(), unseen(), String::new()],
    });
    let word = pi.word.unwrap_or(0);
    table.row(match pi.blocked {
        Some(b) => [
            "PiLock".to_string(),
            format!("futex({})", futex_op(b.arguments[1])),
            format!(
                "{word:#010x} = FUTEX_WAITERS | TID {}",
                word & libc::FUTEX_TID_MASK
            ),
        ],
        None => ["PiLock".to_string(), unseen(), format!("{word:#010x}")],
    });
    print!("{table}");
    println!(
        "  after the main thread let go, the word held {} (the waiter)",
        pi_word(pi.word_after_handover.unwrap_or(0))
    );
    checks::invariant(
        "the PiLock's word named its owner: the main thread, then the waiter",
        word & libc::FUTEX_TID_MASK == pi.holder_tid
            && pi.word_after_handover.map(|w| w & libc::FUTEX_TID_MASK) == Some(pi.waiter_tid),
    );
    fmt::note(
        "std's word is 0 (free), 1 (locked) or 2 (locked, with waiters): it names no owner, so\n\
         the kernel cannot tell whom a waiter waits for. A PI word names the owner, and the\n\
         kernel lends it a waiter's priority when the waiter is real-time (SCHED_FIFO,\n\
         SCHED_RR; sched(7)). This lesson's threads are ordinary, so nothing is lent here.",
    );

    println!();
    let threads = 2;
    let hold = Duration::from_nanos(500);
    fmt::note(&format!(
        "Fairness. {threads} threads, thread i pinned to CPU i mod the CPU count, each takes the\n\
         lock, holds it {} and asks again at once, for {} (contend). \"changed hands\":\n\
         acquisitions by a different thread from the one before.",
        fmt::duration(hold),
        fmt::duration(run_for)
    ));
    let mut table = Table::new([
        "lock",
        "acquisitions, each thread",
        "per second",
        "changed hands",
        "longest run",
    ])
    .right(2)
    .right(3)
    .right(4);
    let mut share = [0.0; 2];
    let mut rate = [0.0; 2];
    for (i, (name, fair)) in [("std Mutex", false), ("TicketLock (fair)", true)]
        .into_iter()
        .enumerate()
    {
        let (log, ran) = fairness(threads, fair, hold, run_for)?;
        let total: u64 = log.each.iter().sum();
        share[i] = log.changed_hands as f64 / total.max(1) as f64;
        rate[i] = total as f64 / ran.as_secs_f64();
        let each: Vec<String> = log.each.iter().map(|&n| group(n)).collect();
        table.row([
            name.to_string(),
            each.join(" + "),
            group(rate[i] as u64),
            format!("{:.1} %", 100.0 * share[i]),
            group(log.longest_run),
        ]);
    }
    print!("{table}");
    let busy = "It needs both threads running at once, on two cores.";
    checks::expectation(
        "std Mutex is not fair: the thread that lets go usually takes the lock straight back",
        &format!(
            "changed hands at {:.1} % of acquisitions (< 50 %)",
            100.0 * share[0]
        ),
        share[0] < 0.5,
        busy,
    );
    checks::expectation(
        "the ticket lock takes turns, and pays for it in acquisitions per second",
        &format!(
            "changed hands at {:.1} % (> 90 %); {} vs {} per second",
            100.0 * share[1],
            group(rate[1] as u64),
            group(rate[0] as u64)
        ),
        share[1] > 0.9 && rate[1] < rate[0],
        busy,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pi_word_names_the_holder_and_then_the_waiter() {
        let pi = watch_a_waiter(true);
        assert_eq!(
            pi.word.map(|w| w & libc::FUTEX_TID_MASK),
            Some(pi.holder_tid)
        );
        assert_eq!(
            pi.word_after_handover.map(|w| w & libc::FUTEX_TID_MASK),
            Some(pi.waiter_tid)
        );
    }

    #[test]
    fn both_locks_count_every_acquisition() {
        for fair in [false, true] {
            let (log, _) = fairness(2, fair, Duration::ZERO, Duration::from_millis(20)).unwrap();
            let total: u64 = log.each.iter().sum();
            assert!(total > 0 && log.changed_hands < total, "{log:?}");
        }
    }
}
