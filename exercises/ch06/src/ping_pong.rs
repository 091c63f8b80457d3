//! A pinned ping-pong of your own: two threads pass a token back and forth through two
//! pipes, and you time every round trip and note where each end ran.
//!
//! This is what `perf bench sched pipe` and chapter 06's lesson (step 2) do. End A writes
//! one byte into the pipe to B, then blocks reading the pipe from B; end B blocks reading
//! the pipe from A, and answers each byte with four: the number of the CPU it is running
//! on (`sched_getcpu`), as a `u32` in little-endian order. One **round trip** is A's byte
//! there and B's answer back. A waits for each answer before it sends the next byte, so at
//! any moment one end runs and the other is blocked: pinned to the same CPU, every
//! hand-off is a context switch.
//!
//! Each end pins *itself* (`support::affinity::pin_to` sets the calling thread's CPU
//! mask), and asks `support::affinity::current_cpu()` where it is running. A's timings
//! are taken one round trip at a time with `std::time::Instant`: one timing of the whole
//! loop divided by the count would give every round trip the same time and hide the
//! spread.
//!
//! Your code goes between each `// ANCHOR: solution_…` line below and its
//! `// ANCHOR_END: solution_…`, in place of `todo!()`. To Rust they are ordinary comments;
//! they mark the parts of the file that are yours (the reference solution in `solutions/`
//! differs from this file only there), so leave them where they are.

use std::io::{self, PipeReader, PipeWriter, Read, Write};
use std::time::{Duration, Instant};

use support::affinity;

/// One round trip, as A saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// From just before A wrote its byte to just after it had read B's whole answer.
    pub round_trip: Duration,
    /// The CPU A was running on when the answer arrived (`current_cpu`).
    pub cpu_a: usize,
    /// The CPU B said it was running on, in its answer.
    pub cpu_b: usize,
}

/// What a whole ping-pong gave back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PingPong {
    /// One sample per round trip, in order.
    pub samples: Vec<Sample>,
    /// How many bytes B answered, as [`pong`] returned it.
    pub answered: usize,
}

/// End A: pins the calling thread to `cpu`, then makes `rounds` round trips: write one
/// byte to `to_b`, read B's four-byte answer from `from_b` (all four: `read_exact`), and
/// record a [`Sample`]. Returns the samples in order. An answer cut short (B closed its
/// pipe) is an error.
pub fn ping(
    cpu: usize,
    rounds: usize,
    to_b: &mut PipeWriter,
    from_b: &mut PipeReader,
) -> io::Result<Vec<Sample>> {
    // ANCHOR: solution_ping
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution_ping
}

/// End B: pins the calling thread to `cpu`, then answers every byte read from `from_a`
/// with the CPU it is running on (`current_cpu()` as a `u32`, `to_le_bytes`) written to
/// `to_a`, until `from_a` reaches its end (A closed its end: `read` returns 0). Returns how
/// many bytes it answered.
pub fn pong(cpu: usize, from_a: &mut PipeReader, to_a: &mut PipeWriter) -> io::Result<usize> {
    // ANCHOR: solution_pong
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution_pong
}

/// The whole ping-pong: makes two pipes (`std::io::pipe`), runs [`pong`] on a new thread
/// pinned to `cpu_b` and [`ping`] on the calling thread pinned to `cpu_a` (which stays
/// pinned afterwards), then closes A's end of the pipe to B, so B sees the end and
/// returns, and joins B. Returns A's samples and B's count; an error of either end is the
/// error.
pub fn ping_pong(cpu_a: usize, cpu_b: usize, rounds: usize) -> io::Result<PingPong> {
    // ANCHOR: solution_ping_pong
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution_ping_pong
}
