use std::thread;

use crate::scoped_sum::{parallel_sum, partial_sums};

#[test]
fn splits_into_chunks_and_adds_them_up() {
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
            let partials = partial_sums(values, *threads);
            let shares: Vec<(u64, usize)> = partials.iter().map(|p| (p.sum, p.len)).collect();
            format!(
                "{what}:\n  (sum, len) per chunk: {shares:?}\n  parallel_sum: {}\n",
                parallel_sum(values, *threads)
            )
        })
        .collect();
    support::testing::settings().bind(|| insta::assert_snapshot!("ch04-scoped_sum-chunks", report));
}

#[test]
fn every_chunk_runs_on_its_own_thread_and_borrows_the_callers_data() {
    // A local Vec, not a static: only scoped threads may borrow it.
    let values: Vec<u64> = (1..=4_000).collect();
    let partials = partial_sums(&values, 4);
    assert_eq!(partials.len(), 4, "4 threads, 4 chunks of 1000");
    let me = thread::current().id();
    assert!(
        partials.iter().all(|p| p.thread != me),
        "a chunk was added up on the calling thread, not on a spawned one"
    );
    let mut ids: Vec<String> = partials.iter().map(|p| format!("{:?}", p.thread)).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4, "each chunk had a thread of its own");
    assert_eq!(parallel_sum(&values, 4), 4_000 * 4_001 / 2);
}
