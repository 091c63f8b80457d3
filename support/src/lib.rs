//! Shared helpers for the lessons, exercises, solutions and tests of
//! *Processes, Threads and the Machine Underneath*.
//!
//! Each module has one job:
//! - [`proc`]: reading facts about a process from `/proc`, with errors a learner understands;
//! - [`stats`]: repeating a measurement and summarising it honestly (runs, median, spread);
//! - [`fmt`]: bytes, durations and headings printed the same way in every lesson;
//! - [`table`]: aligned text tables;
//! - [`threads`]: this process's threads as kernel tasks (TIDs, names, states);
//! - [`crash`]: running what may crash in a subprocess and naming how it ended;
//! - `testing` (feature `testing`): insta settings that redact PIDs, addresses and times.

pub mod crash;
pub mod fmt;
pub mod proc;
pub mod stats;
pub mod table;
#[cfg(feature = "testing")]
pub mod testing;
pub mod threads;
