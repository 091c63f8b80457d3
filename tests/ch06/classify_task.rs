//! Grades `classify_task`: made-up `status` and `schedstat` texts (the tricky ones too),
//! the classification rules on worked examples, then three live threads of this test
//! pinned to one CPU: one that sleeps, one that spins, one that waits the whole time.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Barrier, mpsc};
use std::time::{Duration, Instant};

use crate::classify_task::{Counters, Kind, classify, parse_schedstat, parse_status, read};

/// A made-up file: what it shows, its text, and what a parser should make of it.
type Fixture<T> = (&'static str, &'static str, Option<T>);

/// `status` texts and the counters in them, as (what, text, (voluntary, involuntary)).
const STATUS: &[Fixture<(u64, u64)>] = &[
    (
        "the end of a real status file",
        "Cpus_allowed_list:\t0-1\nMems_allowed_list:\t0\n\
         voluntary_ctxt_switches:\t50\nnonvoluntary_ctxt_switches:\t3\n",
        Some((50, 3)),
    ),
    (
        "the involuntary line first",
        "nonvoluntary_ctxt_switches:\t7\nvoluntary_ctxt_switches:\t1200\n",
        Some((1200, 7)),
    ),
    (
        "spaces instead of a tab, no final newline",
        "voluntary_ctxt_switches:   0\nnonvoluntary_ctxt_switches: 18446744073709551615",
        Some((0, u64::MAX)),
    ),
    (
        "only the involuntary line",
        "Name:\tspin\nnonvoluntary_ctxt_switches:\t9\n",
        None,
    ),
    (
        "only the voluntary line",
        "Name:\tnap\nvoluntary_ctxt_switches:\t9\n",
        None,
    ),
    (
        "a value that is not a number",
        "voluntary_ctxt_switches:\tmany\nnonvoluntary_ctxt_switches:\t2\n",
        None,
    ),
    ("an empty file", "", None),
];

/// `schedstat` texts and the time on a CPU in them (ns).
const SCHEDSTAT: &[Fixture<u64>] = &[
    ("a real line", "962481 1268523 2\n", Some(962_481)),
    (
        "an hour on the CPU",
        "3600000000000 17 40000\n",
        Some(3_600_000_000_000),
    ),
    ("a task that never ran", "0 0 0\n", Some(0)),
    ("not a number", "n/a\n", None),
    ("an empty file", "", None),
];

/// Worked examples for `classify`: (what, voluntary, involuntary, on CPU ms, wall ms).
const CHANGES: &[(&str, u64, u64, u64, u64, Kind)] = &[
    ("a sleeper: 50 naps", 50, 0, 1, 110, Kind::IoBound),
    ("a spinner sharing its core", 0, 58, 60, 110, Kind::CpuBound),
    (
        "a spinner alone on its core",
        0,
        0,
        100,
        100,
        Kind::CpuBound,
    ),
    ("blocked the whole time", 0, 0, 0, 100, Kind::Idle),
    ("woke once, at the very end", 1, 0, 0, 100, Kind::IoBound),
    (
        "exactly twice as many voluntary",
        10,
        5,
        30,
        100,
        Kind::IoBound,
    ),
    (
        "exactly twice as many involuntary",
        5,
        10,
        30,
        100,
        Kind::CpuBound,
    ),
    (
        "a busy server: many of both",
        900,
        800,
        50,
        100,
        Kind::Mixed,
    ),
    ("few of both", 2, 3, 40, 100, Kind::Mixed),
    (
        "many preemptions, little CPU",
        10,
        400,
        5,
        100,
        Kind::CpuBound,
    ),
    (
        "half the time on the CPU, no switch",
        0,
        0,
        50,
        100,
        Kind::CpuBound,
    ),
    ("just under half, no switch", 0, 0, 49, 100, Kind::Idle),
];

#[test]
fn parses_status_fixtures() {
    let _graded = support::sealed::graded();
    let mut report = String::new();
    for (what, text, expected) in STATUS {
        let yours = parse_status(text);
        assert_eq!(
            yours, *expected,
            "for {what}: the text {text:?} (expected / yours)"
        );
        report += &format!("{what}: {yours:?}\n");
    }
    support::assert_graded_snapshot!("ch06-classify_task-status", report);
}

#[test]
fn parses_schedstat_fixtures() {
    let _graded = support::sealed::graded();
    for (what, text, expected) in SCHEDSTAT {
        assert_eq!(
            parse_schedstat(text),
            expected.map(Duration::from_nanos),
            "for {what}: the text {text:?} (expected / yours)"
        );
    }
}

#[test]
fn classifies_worked_examples() {
    let _graded = support::sealed::graded();
    let mut report = String::new();
    for &(what, voluntary, involuntary, cpu_ms, wall_ms, expected) in CHANGES {
        let change = Counters {
            voluntary,
            involuntary,
            on_cpu: Duration::from_millis(cpu_ms),
        };
        let yours = classify(change, Duration::from_millis(wall_ms));
        assert_eq!(
            yours, expected,
            "for {what}: {voluntary} voluntary, {involuntary} involuntary, \
             {cpu_ms} ms on a CPU in {wall_ms} ms (expected / yours)"
        );
        report += &format!("{what}: {yours:?}\n");
    }
    support::assert_graded_snapshot!("ch06-classify_task-kinds", report);
}

#[test]
fn a_missing_task_is_an_error() {
    let _graded = support::sealed::graded();
    let pid = std::process::id() as i32;
    // TIDs are at most 2^22 (PID_MAX_LIMIT), so this one never exists.
    let error = read(pid, i32::MAX).expect_err("there is no task i32::MAX");
    assert_eq!(
        error.kind(),
        std::io::ErrorKind::NotFound,
        "reading a task that does not exist: {error}"
    );
}

/// Lets the live test's threads go when dropped, also while a panic unwinds: passes the
/// start barrier if this thread has not yet, stops the spinner and the sleeper, and ends the
/// waiter's channel.
struct Release<'a> {
    start: Option<&'a Barrier>,
    stop: &'a AtomicBool,
    wake: Option<mpsc::Sender<()>>,
}

impl Drop for Release<'_> {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(start) = self.start.take() {
            start.wait();
        }
        self.wake.take();
    }
}

#[test]
fn classifies_live_threads_on_one_cpu() {
    let _graded = support::sealed::graded();
    let pid = std::process::id() as i32;
    let cpu = support::affinity::two_cpus().expect("a CPU").0;
    let (naps, nap) = (30u64, Duration::from_millis(2));
    let start = Barrier::new(3); // the sleeper, the spinner and this thread
    let naps_done = AtomicBool::new(false);
    let stop = AtomicBool::new(false);
    let (tids_tx, tids_rx) = mpsc::channel();
    let (wake_tx, wake_rx) = mpsc::channel::<()>();
    let pinned = |name: &'static str| {
        support::affinity::pin_to(cpu).expect("pin to one CPU");
        tids_tx
            .send((name, support::threads::tid()))
            .expect("send TID");
    };
    std::thread::scope(|s| {
        s.spawn(|| {
            pinned("sleeper");
            start.wait();
            for _ in 0..naps {
                std::thread::sleep(nap);
            }
            naps_done.store(true, Ordering::SeqCst);
            while !stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(1)); // alive until read
            }
        });
        s.spawn(|| {
            pinned("spinner");
            start.wait();
            while !stop.load(Ordering::Relaxed) {
                std::hint::spin_loop();
            }
        });
        s.spawn(move || {
            pinned("waiter");
            wake_rx.recv().ok();
        });
        // Whatever happens below (your `read` may panic), the threads are let go and stopped.
        let mut release = Release {
            start: Some(&start),
            stop: &stop,
            wake: Some(wake_tx),
        };
        let mut tids: Vec<(&str, i32)> = (0..3).map(|_| tids_rx.recv().expect("TID")).collect();
        tids.sort();
        // All three are blocked (in the barrier or the channel) before the first reading.
        for &(_, tid) in &tids {
            assert!(
                support::threads::wait_until_state(tid, 'S', Duration::from_secs(3)),
                "thread {tid} never blocked"
            );
        }
        let before: Vec<Counters> = tids
            .iter()
            .map(|&(name, tid)| {
                read(pid, tid).unwrap_or_else(|e| panic!("reading the {name}: {e}"))
            })
            .collect();
        let started = Instant::now();
        release.start.take().map(Barrier::wait);
        while !naps_done.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(1));
        }
        let after: Vec<Counters> = tids
            .iter()
            .map(|&(name, tid)| {
                read(pid, tid).unwrap_or_else(|e| panic!("reading the {name}: {e}"))
            })
            .collect();
        let wall = started.elapsed();
        drop(release);
        for (((name, _), before), after) in tids.iter().zip(&before).zip(&after) {
            let change = after.since(*before);
            let expected = match *name {
                "sleeper" => {
                    assert!(
                        change.voluntary >= naps,
                        "your `read` says the sleeper gave the core up {} times in {naps} \
                         naps; each nap blocks, a voluntary switch: {change:?}",
                        change.voluntary
                    );
                    Kind::IoBound
                }
                "spinner" => {
                    // It may block once, on the barrier's lock as it starts; never more.
                    assert!(
                        change.involuntary > change.voluntary,
                        "your `read` says the spinner, which never blocks, gave the core up \
                         itself more often than the scheduler took it: {change:?}"
                    );
                    Kind::CpuBound
                }
                _ => Kind::Idle,
            };
            assert_eq!(
                classify(change, wall),
                expected,
                "for the {name} (pinned to CPU {cpu} with the others for {wall:?}): \
                 {change:?} (expected / yours)"
            );
        }
    });
}
