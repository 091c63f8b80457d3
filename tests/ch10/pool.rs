use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::Duration;

use support::rendezvous::Rendezvous;

use crate::pool::ThreadPool;

/// How long the test waits for a pool's work that should have finished long before.
const PATIENCE: Duration = Duration::from_secs(3);

/// What probably keeps the work from ending, when it has not within `PATIENCE`.
const STUCK: &str = "Does dropping the pool close the queue (drop the Sender) before it \
                     joins the workers? A worker's loop over the queue ends only once every \
                     Sender is gone.";

/// [`super::within_patience`] with this exercise's patience and likely cause.
fn within_patience<R: Send + 'static>(what: &str, work: impl FnOnce() -> R + Send + 'static) -> R {
    super::within_patience(what, PATIENCE, STUCK, work)
}

#[test]
fn drop_waits_for_every_queued_job() {
    let _graded = support::sealed::graded();
    let (done, size, jobs) = within_patience("12 slow jobs on 2 workers", || {
        let done = Arc::new(AtomicUsize::new(0));
        let pool = ThreadPool::new(2);
        for _ in 0..12 {
            let done = Arc::clone(&done);
            pool.execute(move || {
                thread::sleep(Duration::from_millis(20));
                done.fetch_add(1, SeqCst);
            });
        }
        drop(pool);
        // Read at once: the workers must have finished before drop returned.
        (done.load(SeqCst), 2, 12)
    });
    assert_eq!(
        done, jobs,
        "{jobs} jobs of 20 ms each on {size} workers: when drop(pool) returned, {done} had \
         finished. Drop must let the workers run every queued job and join them all."
    );
}

#[test]
fn size_workers_run_jobs_at_the_same_time() {
    let _graded = support::sealed::graded();
    for size in [2, 3] {
        let met = within_patience("jobs meeting at a rendezvous", move || {
            // Each job waits until `size` jobs are waiting together: only `size` workers
            // running at the same time can do that.
            let meet = Arc::new(Rendezvous::new(size, Duration::from_secs(3)));
            let pool = ThreadPool::new(size);
            for _ in 0..size {
                let meet = Arc::clone(&meet);
                pool.execute(move || {
                    meet.wait();
                });
            }
            drop(pool);
            (meet.met(), meet.most_together())
        });
        assert!(
            met.0,
            "a pool of {size}: {size} jobs never ran at the same time (at most {} did): does \
             new start {size} worker threads, and does execute hand each job to them instead \
             of running it itself?",
            met.1
        );
    }
}

/// Runs `bad` panicking jobs first, then `good` jobs that each send their number, on a
/// pool of `size`; then `size` jobs at a rendezvous. Returns the numbers received, sorted,
/// and whether the rendezvous met.
fn survive(size: usize, bad: usize, good: usize) -> (Vec<usize>, bool) {
    within_patience("a pool with panicking jobs", move || {
        let (tx, rx) = mpsc::channel();
        let meet = Arc::new(Rendezvous::new(size, Duration::from_secs(3)));
        let pool = ThreadPool::new(size);
        for n in 0..bad {
            pool.execute(move || panic!("job {n} panics on purpose (the test does this)"));
        }
        for n in 0..good {
            let tx = tx.clone();
            pool.execute(move || {
                tx.send(n).ok();
            });
        }
        for _ in 0..size {
            let meet = Arc::clone(&meet);
            pool.execute(move || {
                meet.wait();
            });
        }
        drop(pool);
        drop(tx);
        let mut got: Vec<usize> = rx.iter().collect();
        got.sort();
        (got, meet.met())
    })
}

#[test]
fn a_panicking_job_loses_no_worker_and_no_result() {
    let _graded = support::sealed::graded();
    let (size, bad, good) = (2, 5, 20);
    let (got, met) = survive(size, bad, good);
    assert_eq!(
        got,
        (0..good).collect::<Vec<_>>(),
        "{bad} jobs that panic, then {good} that each send their number, on {size} workers: \
         the numbers received (expected all {good}). A worker must catch a job's panic \
         (std::panic::catch_unwind) and go on to the next job."
    );
    assert!(
        met,
        "after {bad} jobs that panic, {size} jobs on a pool of {size} never ran at the same \
         time: the pool lost workers to the panics"
    );
}

/// A test re-run alone in its own process, so the count of threads is its own.
#[test]
fn drop_leaves_no_thread_behind() {
    let _graded = support::sealed::graded();
    if !support::crash::is_rerun() {
        support::crash::isolated_test(
            "grading::pool::drop_leaves_no_thread_behind",
            Duration::from_secs(8),
            "does dropping the pool close the queue before it joins the workers?",
        );
        return;
    }
    let before = support::threads::count();
    let during = Arc::new(Mutex::new(0));
    let pool = ThreadPool::new(4);
    for _ in 0..8 {
        let during = Arc::clone(&during);
        pool.execute(move || {
            let mut most = during.lock().unwrap();
            *most = (*most).max(support::threads::count());
        });
    }
    thread::sleep(Duration::from_millis(50));
    drop(pool);
    let after = support::threads::count_settled(before, std::time::Duration::from_secs(5));
    let during = *during.lock().unwrap();
    assert!(
        during <= before + 4,
        "a pool of 4 running 8 jobs: this process had {before} threads before, and {during} \
         while the jobs ran (at most {} expected: a pool starts its workers once, not a thread \
         per job)",
        before + 4
    );
    assert_eq!(
        after, before,
        "a pool of 4: this process had {before} threads before the pool and {after} after \
         drop(pool) returned: drop must join every worker"
    );
}

#[test]
fn results_of_a_pool() {
    let _graded = support::sealed::graded();
    let mut report = String::new();
    for (size, bad, good) in [(1, 1, 5), (2, 3, 10), (4, 8, 30)] {
        let (got, met) = survive(size, bad, good);
        report += &format!(
            "{size} worker(s), {bad} panicking job(s), {good} good: {} results, sum {}, \
             {size} jobs at once after the panics: {}\n",
            got.len(),
            got.iter().sum::<usize>(),
            if met { "yes" } else { "no" }
        );
    }
    support::assert_graded_snapshot!("ch10-pool-results", report);
}
