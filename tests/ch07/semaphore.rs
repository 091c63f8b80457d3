use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use support::rendezvous::Rendezvous;

use crate::semaphore::Semaphore;

/// How long a test waits for threads that should have finished long before.
const PATIENCE: Duration = Duration::from_secs(3);

#[test]
fn try_acquire_counts_permits() {
    let _graded = support::sealed::graded();
    let semaphore = Semaphore::new(2);
    let taken: Vec<bool> = (0..3).map(|_| semaphore.try_acquire()).collect();
    assert_eq!(
        taken,
        [true, true, false],
        "with 2 permits, three try_acquire calls"
    );
    semaphore.release();
    assert!(
        semaphore.try_acquire(),
        "a released permit can be taken again"
    );
    assert!(
        !Semaphore::new(0).try_acquire(),
        "with 0 permits, try_acquire is false"
    );
    semaphore.release();
    {
        let _permit = semaphore.permit();
        assert!(
            !semaphore.try_acquire(),
            "the last free permit is held by a guard"
        );
    }
    assert_eq!(
        *semaphore.permits.lock().unwrap(),
        1,
        "the count after the guard was dropped"
    );
}

/// Runs `work` on a thread and waits at most `PATIENCE` for it; panics with `hang` if it
/// does not finish, and with the thread's own message if it panicked.
fn within_patience(hang: &str, work: impl FnOnce() + Send + 'static) {
    let (done_tx, done_rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        work();
        done_tx.send(()).ok();
    });
    match done_rx.recv_timeout(PATIENCE) {
        Ok(()) => worker.join().expect("the worker finished"),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{hang}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let why = worker.join().err();
            let why = why
                .as_ref()
                .and_then(|p| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            panic!("a thread panicked inside your semaphore: {why}")
        }
    }
}

#[test]
fn a_waiter_sleeps_until_a_permit_is_free() {
    let _graded = support::sealed::graded();
    // A thread in acquire with no permit free must sleep on the condition variable, not
    // spin or yield in a loop: looked at 30 times over 300 ms it is asleep (state S) nearly
    // every time, and it uses almost no CPU. A spinning waiter burns a core's worth, or on
    // a busy machine at least its share of one.
    let semaphore = Semaphore::new(0);
    let (tid_tx, tid_rx) = mpsc::channel();
    let (used, awake) = thread::scope(|s| {
        let waiter = s.spawn(|| {
            tid_tx.send(support::threads::tid()).ok();
            semaphore.acquire();
        });
        let tid = tid_rx.recv().expect("the waiter's thread id");
        support::threads::wait_until_state(tid, 'S', PATIENCE / 2);
        let before = support::threads::cpu_time(tid).unwrap_or_default();
        let mut awake = 0;
        for _ in 0..30 {
            thread::sleep(Duration::from_millis(10));
            if !matches!(support::threads::state(tid), Some('S') | None) {
                awake += 1;
            }
        }
        let used = support::threads::cpu_time(tid)
            .unwrap_or_default()
            .saturating_sub(before);
        semaphore.release();
        waiter.join().expect("the waiter panicked");
        (used, awake)
    });
    assert!(
        used < Duration::from_millis(30) && awake <= 3,
        "a thread waited 300 ms in acquire with no permit free: it used {used:?} of CPU \
         and was awake {awake} of the 30 times it was looked at; expected under 30 ms and at \
         most 3. A waiter must sleep: wait on the Condvar (`wait` in a `while` loop) instead \
         of checking again and again (a loop with `yield_now` or `spin_loop` keeps the core busy)"
    );
}

#[test]
fn release_wakes_the_waiters() {
    let _graded = support::sealed::graded();
    within_patience(
        "threads waiting in acquire were never woken after release (does release notify?)",
        || {
            let semaphore = Semaphore::new(0);
            let through = AtomicUsize::new(0);
            thread::scope(|s| {
                for _ in 0..4 {
                    s.spawn(|| {
                        semaphore.acquire();
                        through.fetch_add(1, SeqCst);
                    });
                }
                // Let them all block first: with no permit, none may get through.
                thread::sleep(Duration::from_millis(100));
                assert_eq!(
                    through.load(SeqCst),
                    0,
                    "acquire returned with 0 permits free"
                );
                for _ in 0..4 {
                    semaphore.release();
                    thread::sleep(Duration::from_millis(10));
                }
            });
        },
    );
}

#[test]
fn n_permits_let_n_threads_in_at_once() {
    let _graded = support::sealed::graded();
    // Each holder waits in a rendezvous that only `permits` threads together can pass:
    // a semaphore that lets in fewer at a time makes the rendezvous time out.
    for permits in [2, 3] {
        let semaphore = Semaphore::new(permits);
        let meet = Rendezvous::new(permits, Duration::from_secs(3));
        thread::scope(|s| {
            for _ in 0..permits {
                s.spawn(|| {
                    let _permit = semaphore.permit();
                    meet.wait();
                });
            }
        });
        assert!(
            meet.met(),
            "with {permits} permits, {permits} threads must be able to hold one at once \
             (at most {} did)",
            meet.most_together()
        );
    }
}

#[test]
fn never_more_holders_than_permits() {
    let _graded = support::sealed::graded();
    within_patience(
        "the stress run did not finish: a thread waits in acquire while a permit is free",
        || {
            for permits in [1, 2, 3] {
                stress(permits);
            }
        },
    );
}

/// Holds a permit for a moment, so other threads try to take one meanwhile. A short spin,
/// not `yield_now`: on a machine busy with other programs a yield can give the core away
/// for a whole time slice, and thousands of them would make a correct semaphore look hung.
fn hold_a_moment() {
    for _ in 0..2_000 {
        std::hint::spin_loop();
    }
}

/// Eight threads take and give back permits many times, each counting itself in and out
/// while it holds one; meanwhile a ninth wakes every waiter again and again for no reason
/// (`notify_all`), as spurious wake-ups and stolen permits would.
fn stress(permits: usize) {
    let (threads, rounds) = (8, 300);
    let semaphore = Semaphore::new(permits);
    let inside = AtomicUsize::new(0);
    let most = AtomicUsize::new(0);
    let done = AtomicBool::new(false);
    thread::scope(|s| {
        s.spawn(|| {
            // Wakes every waiter for no reason, often, without burning a core: a machine
            // busy with other programs must not slow a correct semaphore down.
            while !done.load(SeqCst) {
                semaphore.freed.notify_all();
                thread::sleep(Duration::from_micros(200));
            }
        });
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    for _ in 0..rounds {
                        semaphore.acquire();
                        let now = inside.fetch_add(1, SeqCst) + 1;
                        most.fetch_max(now, SeqCst);
                        hold_a_moment();
                        inside.fetch_sub(1, SeqCst);
                        semaphore.release();
                    }
                })
            })
            .collect();
        let panicked = workers.into_iter().filter_map(|w| w.join().err()).next();
        done.store(true, SeqCst);
        if let Some(why) = panicked {
            std::panic::resume_unwind(why);
        }
    });
    let most = most.load(SeqCst);
    assert!(
        most <= permits,
        "with {permits} permits, {most} threads held one at the same time (is checking the \
         count and taking a permit one step under one lock, and is the wait in a `while`?)"
    );
    assert_eq!(
        *semaphore.permits.lock().unwrap(),
        permits,
        "with {permits} permits, every permit was given back, so all should be free"
    );
}

/// Six threads take turns holding a permit while a seventh wakes every waiter for no
/// reason, again and again. Returns the most holders seen at once, and whether `permits`
/// holders met at a rendezvous (which only threads holding permits at the same time can).
fn holders(permits: usize) -> (usize, bool) {
    let semaphore = Semaphore::new(permits);
    // The first `permits` holders get theirs without waiting, so they meet in well under
    // 2 s; a semaphore that lets fewer in breaks the rendezvous after 2 s.
    let meet = Rendezvous::new(permits, Duration::from_secs(2));
    let inside = AtomicUsize::new(0);
    let most = AtomicUsize::new(0);
    let done = AtomicBool::new(false);
    thread::scope(|s| {
        s.spawn(|| {
            // Wakes every waiter for no reason, often, without burning a core: a machine
            // busy with other programs must not slow a correct semaphore down.
            while !done.load(SeqCst) {
                semaphore.freed.notify_all();
                thread::sleep(Duration::from_micros(200));
            }
        });
        let workers: Vec<_> = (0..6)
            .map(|_| {
                s.spawn(|| {
                    for _ in 0..100 {
                        let _permit = semaphore.permit();
                        let now = inside.fetch_add(1, SeqCst) + 1;
                        most.fetch_max(now, SeqCst);
                        meet.wait();
                        hold_a_moment();
                        inside.fetch_sub(1, SeqCst);
                    }
                })
            })
            .collect();
        let panicked = workers.into_iter().filter_map(|w| w.join().err()).next();
        done.store(true, SeqCst);
        if let Some(why) = panicked {
            std::panic::resume_unwind(why);
        }
    });
    (most.load(SeqCst), meet.met())
}

#[test]
fn most_holders_at_once() {
    let _graded = support::sealed::graded();
    let (report_tx, report_rx) = mpsc::channel();
    within_patience(
        "six threads taking turns with permits did not finish: a thread waits in acquire \
         while a permit is free (does release notify a waiter?)",
        move || {
            let mut report = String::new();
            for permits in [1, 2, 3] {
                let (most, met) = holders(permits);
                report += &format!(
                    "{permits} permit(s), 6 threads × 100 turns: most holders at once: {most}; \
                     rendezvous of {permits} holder(s) met: {}\n",
                    if met { "yes" } else { "no" }
                );
                if !met {
                    break; // more permits would only wait out another timeout
                }
            }
            report_tx.send(report).ok();
        },
    );
    let report = report_rx.recv().expect("the report");
    support::assert_graded_snapshot!("ch07-semaphore-holders", report);
}

/// The model checker (loom) runs your semaphore, compiled over its look-alike types, under
/// every interleaving of three threads sharing one permit: never two inside at once, no
/// waiter left asleep with a permit free (loom reports a deadlock), every permit back at
/// the end. A stress test meets a lost wake-up by luck; loom meets it on every run.
#[test]
fn model_every_interleaving_of_three_threads_and_one_permit() {
    let _graded = support::sealed::graded();
    use crate::model::semaphore::Semaphore;
    use support::model::loom::sync::Arc;
    use support::model::loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use support::model::step;
    support::model::check(
        "grading::semaphore::model_every_interleaving_of_three_threads_and_one_permit",
        || {
            let semaphore = Arc::new(Semaphore::new(1));
            let inside = Arc::new(AtomicUsize::new(0));
            let use_it = move |name: &str, semaphore: &Semaphore, inside: &AtomicUsize| {
                step(format!("{name} calls acquire"));
                semaphore.acquire();
                let now = inside.fetch_add(1, SeqCst) + 1;
                step(format!("{name}: acquire returned"));
                assert!(
                    now <= 1,
                    "with 1 permit, {now} threads were between acquire and release at once."
                );
                inside.fetch_sub(1, SeqCst);
                step(format!("{name} calls release"));
                semaphore.release();
                step(format!("{name}: release returned"));
            };
            let others: Vec<_> = ["thread A", "thread B"]
                .into_iter()
                .map(|name| {
                    let (semaphore, inside) = (semaphore.clone(), inside.clone());
                    support::model::loom::thread::spawn(move || use_it(name, &semaphore, &inside))
                })
                .collect();
            use_it("the main thread", &semaphore, &inside);
            for other in others {
                other.join().expect("a thread panicked");
            }
            let left = *semaphore.permits.lock().unwrap();
            assert_eq!(
                left, 1,
                "after every thread released its permit, {left} were free instead of 1."
            );
        },
    );
}
