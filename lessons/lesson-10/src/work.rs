//! The CPU-bound unit of work every step uses, and what the build does to its timing.

use std::hint::black_box;

/// One "unit" of CPU work: a fixed number of rounds of an integer mix (xorshift), kept
/// from being optimised away by `black_box`. Touches no memory beyond registers, so
/// threads running it never wait for each other.
pub fn spin(units: u32) -> u64 {
    let mut x = black_box(0x9E37_79B9_7F4A_7C15_u64 ^ u64::from(units));
    for _ in 0..units * 100_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    black_box(x)
}

/// A light, fixed amount of work on one number (1,000 xorshift rounds): what the
/// pipeline's compute stage does per item.
pub fn mix(n: u64) -> u64 {
    let mut x = black_box(n | 1);
    for _ in 0..1_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    black_box(x)
}

/// Says whether this is a debug or release build and whether RUST_BACKTRACE is set, and
/// what each does to the figures.
pub fn say_how_it_is_built() {
    let mut conditions = support::fmt::Conditions::build(
        "debug build: each unit of work is slower than in --release, but every thread count",
        "release build: every thread count",
    );
    conditions.line("runs the same units, so speedups (ratios) compare fairly either way");
    conditions.line(match std::env::var("RUST_BACKTRACE") {
        Ok(v) => format!("RUST_BACKTRACE={v}: only a panic would be slower; no step panics"),
        Err(_) => "RUST_BACKTRACE unset (it only slows a panic; no step panics)".to_owned(),
    });
    for line in conditions.lines() {
        println!("  {line}");
    }
}
