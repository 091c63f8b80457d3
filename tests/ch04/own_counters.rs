use std::thread;

use crate::own_counters::{Counts, bump, count_in_threads, my_tally};

#[test]
fn bump_counts_per_thread() {
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
        assert_eq!(
            count_in_threads(&jobs),
            expected,
            "jobs {jobs:?}, {run} run (seed {seed}: replay with PTM_SEED={seed})"
        );
    }
    assert_eq!(my_tally(), before, "the caller's own tally changed");
}
