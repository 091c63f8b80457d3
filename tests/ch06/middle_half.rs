//! Grades `middle_half`: fixed examples with worked answers, then fresh random timings
//! checked against `support::stats::Summary` (the lesson's own method).

use std::time::Duration;

use crate::middle_half::{MiddleHalf, at, middle_half};

fn us(values: &[u64]) -> Vec<Duration> {
    values.iter().map(|&v| Duration::from_micros(v)).collect()
}

#[test]
fn quantiles_round_the_index_to_the_nearest() {
    let _graded = support::sealed::graded();
    let four = us(&[1, 2, 3, 4]);
    for (q, expected) in [(0.0, 1), (0.25, 2), (0.5, 3), (0.75, 3), (1.0, 4)] {
        assert_eq!(
            at(&four, q),
            Duration::from_micros(expected),
            "for q = {q} of [1, 2, 3, 4] µs: index (4 − 1) × {q} rounded"
        );
    }
}

#[test]
fn middle_half_of_examples() {
    let _graded = support::sealed::graded();
    // The worked examples: one timing, an odd and an even count, a repeated value and an
    // outlier. The snapshot holds the answers, in µs.
    let cases: [&[u64]; 5] = [
        &[7],
        &[5, 1, 4, 2, 3],
        &[40, 10, 30, 20],
        &[9, 2, 2, 8, 100, 3, 4],
        &[],
    ];
    let report: String = cases
        .iter()
        .map(|input| {
            let answer = match middle_half(&us(input)) {
                Some(MiddleHalf {
                    runs,
                    q1,
                    median,
                    q3,
                }) => format!(
                    "runs {runs}, q1 {} µs, median {} µs, q3 {} µs",
                    q1.as_micros(),
                    median.as_micros(),
                    q3.as_micros()
                ),
                None => "None".to_string(),
            };
            format!("{input:?} µs: {answer}\n")
        })
        .collect();
    support::assert_graded_snapshot!("ch06-middle_half-examples", report);
}

#[test]
fn agrees_with_the_lesson_on_fresh_timings() {
    let _graded = support::sealed::graded();
    let seed = support::seeded::fresh();
    let mut state = seed | 1;
    for len in 1..40 {
        let samples: Vec<Duration> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                Duration::from_nanos(state % 100_000)
            })
            .collect();
        let reference = support::stats::Summary::of(samples.clone()).expect("not empty");
        let yours = middle_half(&samples).expect("not empty");
        assert_eq!(
            (yours.runs, yours.q1, yours.median, yours.q3),
            (reference.runs, reference.q1, reference.median, reference.q3),
            "for {len} fresh timings (seed {seed}; replay with PTM_SEED={seed})"
        );
    }
}
