//! Repeating a measurement and summarising it honestly.
//!
//! One run of anything on a shared, 2-core VM is noise. Lessons repeat a measurement,
//! report the median (robust to the odd slow run) and the spread (the middle half of
//! the runs, and the extremes), and always say how many runs there were.

use std::fmt;
use std::time::{Duration, Instant};

/// The summary of repeated timings of one thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// How many timed runs (warm-up runs are not counted).
    pub runs: usize,
    pub median: Duration,
    /// First quartile: a quarter of the runs were faster than this.
    pub q1: Duration,
    /// Third quartile: a quarter of the runs were slower than this.
    pub q3: Duration,
    pub min: Duration,
    pub max: Duration,
}

impl Summary {
    /// Summarises samples; `None` when there are none.
    pub fn of(mut samples: Vec<Duration>) -> Option<Self> {
        if samples.is_empty() {
            return None;
        }
        samples.sort_unstable();
        let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
        Some(Self {
            runs: samples.len(),
            median: at(0.5),
            q1: at(0.25),
            q3: at(0.75),
            min: samples[0],
            max: samples[samples.len() - 1],
        })
    }

    /// The median divided by `per`, for when one timed run did `per` operations.
    pub fn per_operation(&self, per: u32) -> Self {
        let per = per.max(1);
        Self {
            runs: self.runs,
            median: self.median / per,
            q1: self.q1 / per,
            q3: self.q3 / per,
            min: self.min / per,
            max: self.max / per,
        }
    }

    /// How the number was obtained, for printing beside it.
    pub fn method(&self) -> String {
        format!(
            "median of {} runs; middle half {}–{}; min {}, max {}",
            self.runs,
            crate::fmt::duration(self.q1),
            crate::fmt::duration(self.q3),
            crate::fmt::duration(self.min),
            crate::fmt::duration(self.max),
        )
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({})",
            crate::fmt::duration(self.median),
            self.method()
        )
    }
}

/// Times `f` `runs` times after `warmup` untimed runs and summarises the timings.
///
/// # Panics
/// When `runs` is zero: a summary of nothing would be a made-up number.
pub fn measure<F: FnMut()>(warmup: usize, runs: usize, mut f: F) -> Summary {
    assert!(runs > 0, "measure needs at least one run");
    for _ in 0..warmup {
        f();
    }
    let samples = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    Summary::of(samples).expect("runs > 0")
}

/// The median of a list of plain numbers (counts, ratios); `None` when empty.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_orders_and_picks_quartiles() {
        let ms = |n| Duration::from_millis(n);
        let s = Summary::of(vec![ms(5), ms(1), ms(4), ms(2), ms(3)]).unwrap();
        assert_eq!(
            (s.min, s.q1, s.median, s.q3, s.max),
            (ms(1), ms(2), ms(3), ms(4), ms(5))
        );
        assert_eq!(s.runs, 5);
        assert!(Summary::of(vec![]).is_none());
    }

    #[test]
    fn median_of_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }

    #[test]
    fn measure_counts_only_timed_runs() {
        let mut calls = 0;
        let s = measure(2, 3, || calls += 1);
        assert_eq!((calls, s.runs), (5, 3));
    }
}
