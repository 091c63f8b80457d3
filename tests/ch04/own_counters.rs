use std::thread;

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use crate::own_counters::{Counts, bump, count_in_threads, my_tally};

/// Threads started in this test process so far. The grading test binary of chapter 04
/// defines its own `pthread_create`, which the linker prefers to the C library's for every
/// call in the binary (std's `thread::spawn` included): it counts, then calls the real one.
/// So a test can see that work really went to new threads, however briefly they lived.
static THREADS_STARTED: AtomicUsize = AtomicUsize::new(0);

type PthreadCreate = unsafe extern "C" fn(
    *mut libc::pthread_t,
    *const libc::pthread_attr_t,
    extern "C" fn(*mut libc::c_void) -> *mut libc::c_void,
    *mut libc::c_void,
) -> libc::c_int;

/// # Safety
/// The same contract as the C library's `pthread_create`, which it calls.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_create(
    thread: *mut libc::pthread_t,
    attr: *const libc::pthread_attr_t,
    start: extern "C" fn(*mut libc::c_void) -> *mut libc::c_void,
    arg: *mut libc::c_void,
) -> libc::c_int {
    // SAFETY: dlsym with RTLD_NEXT finds the next definition of the symbol after this
    // binary's own: the C library's pthread_create, whose type is `PthreadCreate`.
    let real = unsafe { libc::dlsym(libc::RTLD_NEXT, c"pthread_create".as_ptr()) };
    assert!(!real.is_null(), "the C library's pthread_create");
    THREADS_STARTED.fetch_add(1, SeqCst);
    // SAFETY: `real` is pthread_create (above); the arguments are the caller's own.
    unsafe {
        std::mem::transmute::<*mut libc::c_void, PthreadCreate>(real)(thread, attr, start, arg)
    }
}

#[test]
fn bump_counts_per_thread() {
    let _graded = support::sealed::graded();
    // Run on fresh threads so the test thread's own tally is left alone.
    let first = thread::spawn(|| [bump(), bump(), bump(), my_tally()]).join();
    let second = thread::spawn(|| [bump(), my_tally()]).join();
    assert_eq!(first.ok(), Some([1, 2, 3, 3]), "1, 2, 3 on one thread");
    assert_eq!(
        second.ok(),
        Some([1, 1]),
        "a second thread starts again from 0: its tally is its own"
    );
}

#[test]
fn workers_count_on_their_own_and_merge_after_join() {
    let _graded = support::sealed::graded();
    let cases: &[&[u64]] = &[&[3, 1, 4, 1, 5], &[], &[0, 0], &[1_000, 2_000, 3]];
    let before = my_tally();
    let report: String = cases
        .iter()
        .map(|jobs| format!("jobs {jobs:?}:\n  {:?}\n", count_in_threads(jobs)))
        .collect();
    assert_eq!(
        my_tally(),
        before,
        "the caller's own tally changed: the counting must happen on the workers"
    );
    support::assert_graded_snapshot!("ch04-own_counters-merged", report);
    // Fresh jobs each run, twice in a row: the same answer both times, since every worker
    // is a new thread whose tally starts at 0.
    let seed = support::seeded::fresh();
    let mut rng = support::seeded::Rng::new(seed);
    let jobs: Vec<u64> = (0..rng.between(2, 8))
        .map(|_| rng.between(0, 5_000))
        .collect();
    let expected = Counts {
        per_worker: jobs.clone(),
        total: jobs.iter().sum(),
    };
    for run in ["first", "second"] {
        let started_before = THREADS_STARTED.load(SeqCst);
        assert_eq!(
            count_in_threads(&jobs),
            expected,
            "jobs {jobs:?}, {run} run (seed {seed}: replay with PTM_SEED={seed})"
        );
        let started = THREADS_STARTED.load(SeqCst) - started_before;
        assert!(
            started >= jobs.len(),
            "jobs {jobs:?}: count_in_threads started {started} thread(s) for {} jobs. Each \
             job is counted by a worker thread of its own (thread::spawn), with bump() on \
             that thread; the answer alone is not the exercise",
            jobs.len()
        );
    }
    assert_eq!(my_tally(), before, "the caller's own tally changed");
}
