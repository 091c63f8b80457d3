use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::{Duration, Instant};

use support::rendezvous::Rendezvous;
use support::seeded::{self, Rng};

use crate::par_map::{collatz_steps, par_map, par_total};

/// A pool of exactly 2 threads, so the test means the same on every machine.
fn pool_of_two() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a rayon pool of 2 threads")
}

/// What an `f` saw while one of your functions ran: which of the pool's threads called it,
/// whether a call came from outside the pool, and whether two calls ran at the same time.
struct Watch {
    indices: Mutex<BTreeSet<usize>>,
    outside: Mutex<usize>,
    meet: Rendezvous,
}

/// How long the first call of f waits for a second one to run beside it.
const MEET_WITHIN: Duration = Duration::from_secs(3);

impl Watch {
    fn new() -> Self {
        Watch {
            indices: Mutex::new(BTreeSet::new()),
            outside: Mutex::new(0),
            // The first two calls wait here for each other: only calls running at the
            // same moment on two threads can meet. After they met, calls do not wait.
            meet: Rendezvous::new(2, MEET_WITHIN),
        }
    }

    /// `collatz_steps`, noting who called it.
    fn steps(&self, n: u64) -> u64 {
        match rayon::current_thread_index() {
            Some(index) => {
                self.indices.lock().unwrap().insert(index);
            }
            None => *self.outside.lock().unwrap() += 1,
        }
        self.meet.wait();
        collatz_steps(n)
    }

    /// Panics unless both of the pool's threads ran `f`, at the same time, and nothing else.
    fn assert_parallel(&self, what: &str, inputs: usize) {
        let outside = *self.outside.lock().unwrap();
        assert_eq!(
            outside, 0,
            "{what} on {inputs} inputs: f was called {outside} times on threads that are not \
             rayon's (run f through `par_iter`, not on threads of your own)"
        );
        assert!(
            self.meet.met(),
            "{what} on {inputs} inputs: no two calls of f ever ran at the same time (in a \
             pool of 2 threads, the first call waited {MEET_WITHIN:?} for a second in vain): is \
             it `iter()` where `par_iter()` belongs?"
        );
        let indices = self.indices.lock().unwrap();
        assert_eq!(
            indices.len(),
            2,
            "{what} on {inputs} inputs: f ran on rayon threads {indices:?} of a pool of 2"
        );
    }
}

/// `count` fresh inputs of `len` numbers from `seed`.
fn inputs(seed: u64, count: usize) -> Vec<Vec<u64>> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| {
            let len = rng.between(2, 3000) as usize;
            (0..len).map(|_| rng.between(1, 1_000_000)).collect()
        })
        .collect()
}

#[test]
fn par_map_gives_the_serial_answer_in_order() {
    let _graded = support::sealed::graded();
    let seed = seeded::fresh();
    let pool = pool_of_two();
    for numbers in inputs(seed, 40) {
        let expected: Vec<u64> = numbers.iter().map(|&n| collatz_steps(n)).collect();
        let yours = pool.install(|| par_map(&numbers, collatz_steps));
        if let Some(at) = (0..expected.len()).find(|&i| yours.get(i) != Some(&expected[i])) {
            panic!(
                "par_map(collatz_steps) on {} numbers: at index {at} (input {}), expected \
                 {}, yours {:?}; yours has {} results. Results must be in input order. \
                 Replay with PTM_SEED={seed}.",
                numbers.len(),
                numbers[at],
                expected[at],
                yours.get(at),
                yours.len()
            );
        }
        assert_eq!(
            yours.len(),
            expected.len(),
            "par_map on {} numbers gave extra results (PTM_SEED={seed})",
            numbers.len()
        );
    }
}

#[test]
fn results_keep_input_order_when_the_first_finishes_last() {
    let _graded = support::sealed::graded();
    // Out-of-order completion made certain rather than likely: the call for the first
    // input waits until a call for another input has finished (it runs on the other of the
    // pool's 2 threads meanwhile), so the first result is always finished after another.
    // Results gathered in the order they finish put it in the wrong place every time.
    let numbers: Vec<u64> = (1..=16).map(|i| i * 100).collect();
    let finished = AtomicUsize::new(0);
    let f = |x: u64| {
        if x == numbers[0] {
            let waiting = Instant::now();
            while finished.load(SeqCst) == 0 && waiting.elapsed() < Duration::from_secs(3) {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        finished.fetch_add(1, SeqCst);
        x + 1
    };
    let yours = pool_of_two().install(|| par_map(&numbers, f));
    let expected: Vec<u64> = numbers.iter().map(|x| x + 1).collect();
    assert_eq!(
        yours, expected,
        "par_map(|x| x + 1) on {numbers:?}, where the call for {} finished after another \
         call: expected / yours. Results must be in input order, whatever order the calls \
         finish in (collect from the parallel iterator; do not push results as they come)",
        numbers[0]
    );
}

#[test]
fn par_total_gives_the_serial_sum() {
    let _graded = support::sealed::graded();
    let seed = seeded::fresh();
    let pool = pool_of_two();
    for numbers in inputs(seed, 40) {
        let expected: u64 = numbers.iter().map(|&n| collatz_steps(n)).sum();
        let yours = pool.install(|| par_total(&numbers, collatz_steps));
        assert_eq!(
            yours,
            expected,
            "par_total(collatz_steps) on {} numbers from {}: expected / yours (replay with \
             PTM_SEED={seed})",
            numbers.len(),
            numbers[0]
        );
    }
}

#[test]
fn par_map_runs_on_both_threads_of_the_pool() {
    let _graded = support::sealed::graded();
    let numbers: Vec<u64> = (1..=2000).collect();
    let watch = Watch::new();
    let yours = pool_of_two().install(|| par_map(&numbers, |n| watch.steps(n)));
    watch.assert_parallel("par_map", numbers.len());
    let expected: Vec<u64> = numbers.iter().map(|&n| collatz_steps(n)).collect();
    if let Some(at) = (0..expected.len()).find(|&i| yours.get(i) != Some(&expected[i])) {
        panic!(
            "par_map(collatz_steps) on 1..=2000 in a pool of 2: at index {at} (input {}), \
             expected {}, yours {:?}. Results must be in input order, whichever thread \
             computed them.",
            numbers[at],
            expected[at],
            yours.get(at)
        );
    }
}

#[test]
fn par_total_runs_on_both_threads_of_the_pool() {
    let _graded = support::sealed::graded();
    let numbers: Vec<u64> = (1..=2000).collect();
    let watch = Watch::new();
    pool_of_two().install(|| par_total(&numbers, |n| watch.steps(n)));
    watch.assert_parallel("par_total", numbers.len());
}

#[test]
fn answers_for_small_inputs() {
    let _graded = support::sealed::graded();
    let pool = pool_of_two();
    let mut report = String::new();
    for numbers in [vec![6, 7], (1..=12).collect(), vec![27, 97, 871, 6171]] {
        let steps = pool.install(|| par_map(&numbers, collatz_steps));
        let total = pool.install(|| par_total(&numbers, collatz_steps));
        report += &format!("{numbers:?}\n  steps {steps:?}\n  total {total}\n");
    }
    support::assert_graded_snapshot!("ch10-par_map-answers", report);
}
