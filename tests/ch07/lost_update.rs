use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Barrier, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use crate::lost_update::Counter;

#[test]
fn one_thread_adds_and_updates() {
    let _graded = support::sealed::graded();
    let counter = Counter::new(5);
    counter.add(3);
    assert_eq!(counter.get(), 8, "5, then add(3)");
    assert_eq!(
        counter.update(|v| v * 2 + 1),
        8,
        "update returns the value it replaced"
    );
    assert_eq!(counter.get(), 17, "8, then update(|v| v * 2 + 1)");
}

/// `threads` threads, released together by a barrier, each calling `work` `times` times.
fn together(threads: usize, times: u64, work: impl Fn() + Sync) {
    let start = Barrier::new(threads);
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                start.wait();
                for _ in 0..times {
                    work();
                }
            });
        }
    });
}

#[test]
fn many_threads_adding_lose_nothing() {
    let _graded = support::sealed::graded();
    // Many runs of several threads adding at once. A load then a store loses some of the
    // additions in almost every run on more than one core.
    let (threads, times) = (4, 100_000);
    for run in 1..=10 {
        let counter = Counter::new(0);
        together(threads, times, || counter.add(1));
        assert_eq!(
            counter.get(),
            threads as u64 * times,
            "run {run}: {threads} threads each added 1 {times} times: expected / yours \
             (an addition was lost: is the read and the write one indivisible step?)"
        );
    }
}

#[test]
fn an_update_overtaken_by_another_is_not_lost() {
    let _graded = support::sealed::graded();
    // The worst moment, forced rather than hoped for: thread A's change waits, between your
    // read and your write, until thread B has finished a whole update of its own. An update
    // that writes back what it computed from a stale read loses B's update on every run.
    // (If your update holds a lock while it calls the change, B waits for that lock
    // instead; A sees B asleep and goes on, and nothing is lost either.)
    let counter = Counter::new(0);
    let calls = AtomicUsize::new(0);
    let b_started = AtomicBool::new(false);
    let (a_inside_tx, a_inside_rx) = mpsc::channel::<()>();
    let (b_tid_tx, b_tid_rx) = mpsc::channel::<i32>();
    let (b_done_tx, b_done_rx) = mpsc::channel::<()>();
    let (counter, calls, b_started) = (&counter, &calls, &b_started);
    let (from_a, from_b) = thread::scope(|s| {
        let a = s.spawn(move || {
            counter.update(|v| {
                if calls.fetch_add(1, SeqCst) == 0 {
                    a_inside_tx.send(()).ok();
                    let b = b_tid_rx.recv().expect("B's thread id");
                    wait_until_b_is_done_or_waits(b, b_started, &b_done_rx);
                }
                v + 10
            })
        });
        let b = s.spawn(move || {
            b_tid_tx.send(support::threads::tid()).ok();
            a_inside_rx.recv().expect("A is inside its change");
            b_started.store(true, SeqCst);
            let replaced = counter.update(|v| v + 1);
            b_done_tx.send(()).ok();
            replaced
        });
        (a.join().expect("A panicked"), b.join().expect("B panicked"))
    });
    assert_eq!(
        counter.get(),
        11,
        "A read 0 and, while A was still computing 0 + 10, B updated 0 to 0 + 1: expected \
         / yours (B's update was lost: if the counter changed after you read it, do you read \
         again and retry?)"
    );
    let mut replaced = [from_a, from_b];
    replaced.sort_unstable();
    assert!(
        replaced == [0, 1],
        "update must return the value it replaced: B replaced 0 and A then 1, so [0, 1]; \
         yours returned {replaced:?}"
    );
}

/// Waits, inside A's change, until B's update has finished, or B sleeps (your update holds
/// a lock that A has), or 3 s have passed since B started (B spins on a lock A holds).
fn wait_until_b_is_done_or_waits(b: i32, b_started: &AtomicBool, b_done: &mpsc::Receiver<()>) {
    let mut started_at = None;
    loop {
        if b_done.recv_timeout(Duration::from_millis(5)).is_ok() {
            return;
        }
        if !b_started.load(SeqCst) {
            continue;
        }
        let since = *started_at.get_or_insert_with(Instant::now);
        let asleep = matches!(support::threads::state(b), Some('S' | 'D'));
        if asleep || since.elapsed() > Duration::from_secs(3) {
            return;
        }
    }
}

#[test]
fn many_threads_updating_lose_nothing() {
    let _graded = support::sealed::graded();
    // Many threads updating at once, each change a little slow, so reads and writes of
    // different threads cross often; each update must be counted once and return the value
    // it replaced.
    let (threads, times) = (4, 5_000);
    let counter = Counter::new(0);
    let mut replaced = std::sync::Mutex::new(Vec::new());
    together(threads, times, || {
        let old = counter.update(|v| {
            for _ in 0..50 {
                std::hint::spin_loop();
            }
            v + 1
        });
        replaced.lock().unwrap().push(old);
    });
    let total = threads as u64 * times;
    assert_eq!(
        counter.get(),
        total,
        "{threads} threads each updated v to v + 1 {times} times: expected / yours (an update \
         was lost: if the counter changed after you read it, do you read again and retry?)"
    );
    let replaced = replaced.get_mut().unwrap();
    replaced.sort_unstable();
    let expected: Vec<u64> = (0..total).collect();
    assert!(
        *replaced == expected,
        "each update must return the value it replaced, and each value from 0 to {} is \
         replaced exactly once",
        total - 1
    );
}

#[test]
fn totals_for_fixed_thread_counts() {
    let _graded = support::sealed::graded();
    // Each thread count starts from 0 and every thread adds (or updates) the same number
    // of times, so a counter that loses nothing always ends on the same totals.
    let mut report = String::from("add(1), each thread 50000 times:\n");
    for threads in [1, 2, 4, 8] {
        let counter = Counter::new(0);
        together(threads, 50_000, || counter.add(1));
        report += &format!("  {threads} thread(s): {}\n", counter.get());
    }
    report += "update(|v| v + 1), each thread 20000 times:\n";
    for threads in [1, 2, 4, 8] {
        let counter = Counter::new(0);
        together(threads, 20_000, || {
            counter.update(|v| v + 1);
        });
        report += &format!("  {threads} thread(s): {}\n", counter.get());
    }
    support::assert_graded_snapshot!("ch07-lost_update-totals", report);
}

/// The model checker (loom) runs your counter, compiled over its look-alike types, under
/// every interleaving of two threads: each `add` must count, whichever way the threads'
/// steps interleave. A stress test loses an update by luck; loom finds the interleaving
/// that loses one on every run, and shows it.
#[test]
fn model_every_interleaving_of_two_adds() {
    let _graded = support::sealed::graded();
    use crate::model::lost_update::Counter;
    use support::model::loom::{sync::Arc, thread};
    use support::model::step;
    support::model::check(
        "grading::lost_update::model_every_interleaving_of_two_adds",
        || {
            let counter = Arc::new(Counter::new(0));
            let other = {
                let counter = counter.clone();
                thread::spawn(move || {
                    step("thread A calls add(1)");
                    counter.add(1);
                    step("thread A: add(1) returned");
                })
            };
            step("the main thread calls add(2)");
            counter.add(2);
            step("the main thread: add(2) returned");
            other.join().expect("thread A panicked");
            let total = counter.get();
            assert_eq!(
                total, 3,
                "add(1) and add(2) on two threads, from 0, left {total}: an update was lost."
            );
        },
    );
}

/// The same for `update`: whichever way two updates interleave, each applies its change
/// to the value the other left, and returns the value it replaced.
#[test]
fn model_every_interleaving_of_two_updates() {
    let _graded = support::sealed::graded();
    use crate::model::lost_update::Counter;
    use support::model::loom::{sync::Arc, thread};
    use support::model::step;
    support::model::check(
        "grading::lost_update::model_every_interleaving_of_two_updates",
        || {
            let counter = Arc::new(Counter::new(0));
            let other = {
                let counter = counter.clone();
                thread::spawn(move || {
                    step("thread A calls update(|v| v + 1)");
                    let replaced = counter.update(|v| v + 1);
                    step(format!("thread A: update returned {replaced}"));
                    replaced
                })
            };
            step("the main thread calls update(|v| v + 10)");
            let replaced = counter.update(|v| v + 10);
            step(format!("the main thread: update returned {replaced}"));
            let replaced_by_a = other.join().expect("thread A panicked");
            let total = counter.get();
            let mut seen = [replaced, replaced_by_a];
            seen.sort_unstable();
            assert!(
                total == 11 && (seen == [0, 1] || seen == [0, 10]),
                "update(|v| v + 1) and update(|v| v + 10) on two threads, from 0, left {total} \
                 and returned {seen:?}; expected 11, and one of them to have replaced 0 and the \
                 other the first one's result."
            );
        },
    );
}
