use std::sync::Barrier;
use std::thread;

use crate::lost_update::Counter;

#[test]
fn one_thread_adds_and_updates() {
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
fn many_threads_updating_lose_nothing() {
    // The change itself gives the other threads a chance to run (`yield_now`) between
    // your read and your write, as a preemption at the worst moment would.
    let (threads, times) = (4, 2_000);
    let counter = Counter::new(0);
    let mut replaced = std::sync::Mutex::new(Vec::new());
    together(threads, times, || {
        let old = counter.update(|v| {
            thread::yield_now();
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
    support::testing::settings()
        .bind(|| insta::assert_snapshot!("ch07-lost_update-totals", report));
}
