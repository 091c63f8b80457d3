//! Median and middle half: how the lesson turns timed batches into one honest figure.
//!
//! One timing on a busy machine is noise. Chapter 06's lesson times many batches of round
//! trips, sorts them, and prints the median (half the batches were faster, half slower)
//! and the middle half (from the first quartile to the third: the middle 50 % of the
//! batches), the way `support::stats::Summary` does.
//!
//! Your code goes between each `// ANCHOR: solution_…` line below and its
//! `// ANCHOR_END: solution_…`, in place of `todo!()`. To Rust they are ordinary comments;
//! they mark the parts of the file that are yours (the reference solution in `solutions/`
//! differs from this file only there), so leave them where they are.

use std::time::Duration;

/// The spread of a set of timings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MiddleHalf {
    /// How many timings there were.
    pub runs: usize,
    /// First quartile.
    pub q1: Duration,
    pub median: Duration,
    /// Third quartile.
    pub q3: Duration,
}

/// The timing at fraction `q` (0.0 to 1.0) of `sorted`, which is sorted from fastest to
/// slowest and not empty: the one at index `(len − 1) × q`, rounded to the nearest whole
/// index, halves rounded up (`f64::round`). So for 4 timings the median (q = 0.5) is at
/// index round(1.5) = 2, and q1 at round(0.75) = 1.
pub fn at(sorted: &[Duration], q: f64) -> Duration {
    // ANCHOR: solution_at
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
    // ANCHOR_END: solution_at
}

/// The middle half of `samples`, in any order; `None` when there are none. Sorts a copy
/// and reads q1, the median and q3 with [`at`].
pub fn middle_half(samples: &[Duration]) -> Option<MiddleHalf> {
    // ANCHOR: solution_middle_half
    if samples.is_empty() {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    Some(MiddleHalf {
        runs: sorted.len(),
        q1: at(&sorted, 0.25),
        median: at(&sorted, 0.5),
        q3: at(&sorted, 0.75),
    })
    // ANCHOR_END: solution_middle_half
}
