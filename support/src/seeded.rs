//! Fresh seeds and a tiny reproducible generator, for tests that must not be passable by
//! a lookup: each run draws new inputs from a seed it prints on failure, so the run can be
//! replayed (`PTM_SEED=<seed>`), yet no table of answers copied from a snapshot fits.

use std::time::{SystemTime, UNIX_EPOCH};

/// The environment variable that replays a run: its value is used as the seed.
pub const SEED_ENV: &str = "PTM_SEED";

/// A seed: `PTM_SEED` when the process started with it (to replay a failure), else fresh
/// from the clock. Read from [`crate::startup_env`], so code under test cannot pick the seed.
pub fn fresh() -> u64 {
    if let Some(seed) = crate::startup_env::var(SEED_ENV).and_then(|s| s.parse().ok()) {
        return seed;
    }
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0x5eed, |d| d.as_nanos() as u64)
}

/// SplitMix64: small, fast, and the same sequence for the same seed on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator that starts from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        let first: Vec<u64> = (0..5).map(|_| a.between(1, 6)).collect();
        let second: Vec<u64> = (0..5).map(|_| b.between(1, 6)).collect();
        assert_eq!(first, second);
        assert!(first.iter().all(|n| (1..=6).contains(n)));
    }
}
