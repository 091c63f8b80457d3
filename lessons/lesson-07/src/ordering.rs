//! Step 4: memory ordering. Two litmus tests run live, many thousand times each: the
//! store-buffer test (each thread writes its own variable, then reads the other's) under
//! three orderings, and message passing (data, then a flag) under two. The lesson counts
//! every outcome and checks the ones the memory model forbids.

use std::hint::spin_loop;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use support::{checks, fmt, table::Table};

use crate::lost::group;

// ANCHOR: store_then_load
/// One side of the store-buffer test: write 1 to my variable, then read the
/// other thread's. `store` and `load` are the orderings of the two accesses.
pub fn store_then_load(
    mine: &AtomicU32,
    theirs: &AtomicU32,
    (store, load): (Ordering, Ordering),
) -> u32 {
    mine.store(1, store);
    theirs.load(load)
}
// ANCHOR_END: store_then_load

// ANCHOR: publish
/// The writer of message passing: the data first, then the flag that says
/// "the data is ready".
pub fn publish(data: &AtomicU32, flag: &AtomicU32, store: Ordering) {
    data.store(42, Ordering::Relaxed);
    flag.store(1, store);
}

/// The reader: the flag first, then the data. Returns (flag, data).
pub fn read_flag_then_data(data: &AtomicU32, flag: &AtomicU32, load: Ordering) -> (u32, u32) {
    let flag = flag.load(load);
    (flag, data.load(Ordering::Relaxed))
}
// ANCHOR_END: publish

// ANCHOR: litmus
/// Runs a two-thread test up to `trials` times, or until `budget` is spent.
/// Trial k gets a fresh pair of variables `(x[k], y[k])`, both 0, and both
/// threads begin it together: each waits at meeting k until the other has
/// arrived there too. Returns what each side's code returned, trial by trial.
pub fn litmus<L, R>(trials: usize, budget: Duration, left: L, right: R) -> Vec<(u8, u8)>
where
    L: Fn(&AtomicU32, &AtomicU32) -> u8 + Sync,
    R: Fn(&AtomicU32, &AtomicU32) -> u8 + Sync,
{
    let x: Vec<AtomicU32> = (0..trials).map(|_| AtomicU32::new(0)).collect();
    let y: Vec<AtomicU32> = (0..trials).map(|_| AtomicU32::new(0)).collect();
    let arrived = AtomicUsize::new(0);
    // The left thread alone decides when time is up, and says so before it
    // arrives at a meeting; the meeting's Release/Acquire pair makes the
    // right thread see it there. Both then stop at the same trial.
    let stop_at = AtomicUsize::new(trials);
    let deadline = Instant::now() + budget;
    let side = |code: &(dyn Fn(&AtomicU32, &AtomicU32) -> u8 + Sync), decides: bool| {
        let mut results = Vec::with_capacity(trials);
        for k in 0..trials {
            if decides && k % 64 == 0 && Instant::now() > deadline {
                stop_at.store(k, Ordering::Relaxed);
            }
            meet(&arrived, k);
            if k >= stop_at.load(Ordering::Relaxed) {
                break;
            }
            results.push(code(&x[k], &y[k]));
        }
        results
    };
    let (lefts, rights) = thread::scope(|s| {
        let l = s.spawn(|| side(&left, true));
        let r = s.spawn(|| side(&right, false));
        (l.join().unwrap(), r.join().unwrap())
    });
    lefts.into_iter().zip(rights).collect()
}

/// Meeting `round` (0, 1, 2, …) of two threads. Each arrival adds 1 to
/// `arrived`, so the meeting is complete once it reaches 2 × (round + 1).
/// Spins rather than sleeps, so that each thread leaves the moment it sees
/// the other arrive; yields the CPU after a while, in case the other thread
/// is not running (one CPU, or a busy machine).
fn meet(arrived: &AtomicUsize, round: usize) {
    arrived.fetch_add(1, Ordering::AcqRel);
    let mut spins = 0u32;
    while arrived.load(Ordering::Acquire) < 2 * (round + 1) {
        spins += 1;
        if spins < 20_000 {
            spin_loop();
        } else {
            thread::yield_now();
        }
    }
}
// ANCHOR_END: litmus

/// The orderings the tests are run with: (name, store's, load's).
const ORDERINGS: [(&str, Ordering, Ordering); 3] = [
    ("Relaxed", Ordering::Relaxed, Ordering::Relaxed),
    ("Release / Acquire", Ordering::Release, Ordering::Acquire),
    ("SeqCst", Ordering::SeqCst, Ordering::SeqCst),
];

/// How many trials of the store-buffer test ended with each (r1, r2), indexed 2·r1 + r2.
pub fn store_buffer(
    trials: usize,
    budget: Duration,
    orderings: (Ordering, Ordering),
) -> [usize; 4] {
    let outcomes = litmus(
        trials,
        budget,
        |x, y| store_then_load(x, y, orderings) as u8,
        |x, y| store_then_load(y, x, orderings) as u8,
    );
    let mut counts = [0; 4];
    for (r1, r2) in outcomes {
        counts[usize::from(r1) * 2 + usize::from(r2)] += 1; // each is 0 or 1
    }
    counts
}

/// Message passing: (trials run, trials where the reader saw the flag, those where it saw
/// the flag but not the data).
pub fn message_passing(
    trials: usize,
    budget: Duration,
    (store, load): (Ordering, Ordering),
) -> (usize, usize, usize) {
    let outcomes = litmus(
        trials,
        budget,
        |data, flag| {
            publish(data, flag, store);
            0
        },
        |data, flag| match read_flag_then_data(data, flag, load) {
            (1, 42) => 1, // flag and data
            (1, _) => 2,  // the flag, and the data from before
            _ => 0,       // not yet
        },
    );
    let saw_flag = outcomes.iter().filter(|&&(_, r)| r != 0).count();
    let flag_without_data = outcomes.iter().filter(|&&(_, r)| r == 2).count();
    (outcomes.len(), saw_flag, flag_without_data)
}

/// Runs both tests: up to `trials` trials, or `budget`, for each ordering.
pub fn show(trials: usize, budget: Duration) {
    fmt::step("4. Memory ordering: what another thread sees");
    let cpus = thread::available_parallelism().map_or(1, |n| n.get());
    fmt::note(&format!(
        "The store-buffer test. x = y = 0; two threads start together, then\n\
         \x20 left:  x = 1; r1 = y          right:  y = 1; r2 = x\n\
         In any interleaving of those four steps one store comes first, so r1 = 1 or r2 = 1.\n\
         {} trials per ordering (fewer if they take over {}), each on a fresh x and y\n\
         (store_then_load, litmus). This machine: {} ({} CPUs available to the lesson).",
        group(trials as u64),
        fmt::duration(budget),
        std::env::consts::ARCH,
        cpus,
    ));
    let mut table = Table::new(["ordering", "trials", "r1,r2 = 0,1", "1,0", "1,1", "0,0"]);
    for column in 1..=5 {
        table = table.right(column);
    }
    let mut zeros = [(0, 0); 3];
    for (i, (name, store, load)) in ORDERINGS.into_iter().enumerate() {
        let counts = store_buffer(trials, budget, (store, load));
        let ran: usize = counts.iter().sum();
        zeros[i] = (counts[0], ran);
        table.row([
            name.to_string(),
            group(ran as u64),
            group(counts[1] as u64),
            group(counts[2] as u64),
            group(counts[3] as u64),
            group(counts[0] as u64),
        ]);
    }
    print!("{table}");
    checks::invariant("SeqCst never showed r1 = r2 = 0", zeros[2].0 == 0);
    checks::expectation(
        "with Relaxed, both loads read 0 at least once: each store was still on its way",
        &format!(
            "r1 = r2 = 0 in {} of {} Relaxed trials",
            group(zeros[0].0 as u64),
            group(zeros[0].1 as u64)
        ),
        zeros[0].0 > 0,
        "It needs the two threads to run their four steps at the same moment, on two \
         cores, and a CPU that lets a load overtake an earlier store (x86 and ARM do).",
    );
    fmt::note(
        "Relaxed and Release/Acquire allow 0,0: a store may wait in its core's store buffer\n\
         while the load after it reads memory. SeqCst forbids it: on x86 its store is an\n\
         `xchg`, which waits for the store buffer to drain before the load can run.",
    );

    println!();
    fmt::note(
        "Message passing. left: data = 42, then flag = 1 (publish); right: reads flag, then\n\
         data (read_flag_then_data). The same number of trials, per ordering of the flag.",
    );
    let mut table = Table::new([
        "flag's ordering",
        "trials",
        "saw the flag",
        "flag without data",
    ])
    .right(1)
    .right(2)
    .right(3);
    let mut release_acquire_ok = true;
    for (name, store, load) in ORDERINGS.into_iter().take(2) {
        let (ran, saw_flag, flag_without_data) = message_passing(trials, budget, (store, load));
        if store == Ordering::Release {
            release_acquire_ok = flag_without_data == 0;
        }
        table.row([
            name.to_string(),
            group(ran as u64),
            group(saw_flag as u64),
            group(flag_without_data as u64),
        ]);
    }
    print!("{table}");
    checks::invariant(
        "with Release/Acquire, every reader that saw the flag saw the data",
        release_acquire_ok,
    );
    fmt::note(
        "Relaxed promises no such thing: the compiler may swap the two stores, and an ARM CPU\n\
         may make them (or the two loads) visible out of order. An x86 CPU keeps stores in\n\
         order and loads in order, so a Relaxed flag can look right there and fail elsewhere.",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seqcst_never_shows_both_zero_and_every_trial_is_counted() {
        let counts = store_buffer(
            2_000,
            Duration::from_secs(60),
            (Ordering::SeqCst, Ordering::SeqCst),
        );
        assert_eq!(counts[0], 0, "{counts:?}");
        assert_eq!(counts.iter().sum::<usize>(), 2_000);
    }

    #[test]
    fn release_acquire_publishes_the_data() {
        let (ran, _, flag_without_data) = message_passing(
            2_000,
            Duration::from_secs(60),
            (Ordering::Release, Ordering::Acquire),
        );
        assert_eq!((ran, flag_without_data), (2_000, 0));
    }

    #[test]
    fn a_spent_budget_stops_both_threads_at_the_same_trial() {
        // The left thread looks at the clock every 64 trials; with no time at all it
        // stops at the first look after the deadline, and the right thread with it.
        let outcomes = litmus(5_000, Duration::ZERO, |_, _| 0, |_, _| 1);
        assert!(
            outcomes.len() < 5_000 && outcomes.len() % 1024 == 0,
            "{}",
            outcomes.len()
        );
    }
}
