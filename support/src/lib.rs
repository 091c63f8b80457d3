//! Shared helpers for the lessons, exercises, solutions and tests of
//! *Processes, Threads and the Machine Underneath*.
//!
//! Each module has one job:
//! - [`proc`]: reading facts about a process from `/proc`, with errors a learner understands;
//! - [`stats`]: repeating a measurement and summarising it honestly (runs, median, spread);
//! - [`fmt`]: bytes, durations and headings printed the same way in every lesson;
//! - [`table`]: aligned text tables;
//! - `testing` (feature `testing`): insta settings that redact PIDs, addresses and times.

pub mod fmt;
pub mod proc;
pub mod stats;
pub mod table;
#[cfg(feature = "testing")]
pub mod testing;
