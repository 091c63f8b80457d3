use std::thread;
use std::time::Duration;

use support::rendezvous::Rendezvous;
use support::seeded::{self, Rng};

use crate::scoped_sum::{parallel_sum, partial_sums};

/// How long a worker waits at the rendezvous for the others: generous, since spawning a
/// thread takes microseconds even on a loaded machine.
const MEET_WITHIN: Duration = Duration::from_secs(3);

fn plain_sum(chunk: &[u64]) -> u64 {
    chunk.iter().sum()
}

#[test]
fn splits_into_chunks_and_adds_them_up() {
    let _graded = support::sealed::graded();
    let cases: &[(&str, Vec<u64>, usize)] = &[
        ("1..=10 in 4 threads", (1..=10).collect(), 4),
        (
            "1..=9 in 4 threads (three chunks of 3)",
            (1..=9).collect(),
            4,
        ),
        ("one value in 8 threads", vec![5], 8),
        ("nothing in 3 threads", vec![], 3),
        (
            "1..=100 with threads = 0 (counts as 1)",
            (1..=100).collect(),
            0,
        ),
        ("1..=1000 in 2 threads", (1..=1000).collect(), 2),
    ];
    let report: String = cases
        .iter()
        .map(|(what, values, threads)| {
            let partials = partial_sums(values, *threads, plain_sum);
            let shares: Vec<(u64, usize)> = partials.iter().map(|p| (p.sum, p.len)).collect();
            format!(
                "{what}:\n  (sum, len) per chunk: {shares:?}\n  parallel_sum: {}\n",
                parallel_sum(values, *threads)
            )
        })
        .collect();
    support::assert_graded_snapshot!("ch04-scoped_sum-chunks", report);
}

#[test]
fn the_threads_run_at_the_same_time_and_borrow_the_callers_data() {
    let _graded = support::sealed::graded();
    // Fresh values each run, so no table copied from the snapshot fits.
    let seed = seeded::fresh();
    let mut rng = Rng::new(seed);
    let threads = rng.between(3, 6) as usize;
    let len = threads * rng.between(200, 2_000) as usize;
    // A local Vec, not a static: only scoped threads may borrow it.
    let values: Vec<u64> = (0..len).map(|_| rng.between(0, 1_000_000)).collect();
    let replay = format!("(seed {seed}: replay with PTM_SEED={seed})");

    // Every chunk's thread must wait here until all of them are waiting together.
    let meeting = Rendezvous::new(threads, MEET_WITHIN);
    let partials = partial_sums(&values, threads, |chunk| {
        meeting.wait();
        plain_sum(chunk)
    });
    assert!(
        meeting.met(),
        "your workers did not run at the same time: at most {} of the {threads} chunks were \
         being added up at once (each waited {MEET_WITHIN:?} for the others). Start every \
         thread before you join any — note that `.map(spawn).map(join)` on one iterator \
         joins each thread before it starts the next {replay}",
        meeting.most_together()
    );

    assert_eq!(
        partials.len(),
        threads,
        "{len} values in {threads} threads: {threads} chunks {replay}"
    );
    let me = thread::current().id();
    assert!(
        partials.iter().all(|p| p.thread != me),
        "a chunk was added up on the calling thread, not on a spawned one"
    );
    let mut ids: Vec<String> = partials.iter().map(|p| format!("{:?}", p.thread)).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), threads, "each chunk had a thread of its own");
    let expected: Vec<(u64, usize)> = values
        .chunks(len / threads)
        .map(|c| (plain_sum(c), c.len()))
        .collect();
    let yours: Vec<(u64, usize)> = partials.iter().map(|p| (p.sum, p.len)).collect();
    assert_eq!(yours, expected, "(sum, len) per chunk {replay}");
    assert_eq!(
        parallel_sum(&values, threads),
        plain_sum(&values),
        "parallel_sum {replay}"
    );
}
