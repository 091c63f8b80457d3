//! Shared helpers for the lessons, exercises, solutions and tests of
//! *Processes, Threads and the Machine Underneath*.
//!
//! This is the shared kit: what more than one chapter uses, or what every lesson and test
//! leans on. What serves one chapter lives with it: in its lesson (`lessons/lesson-NN/src/`)
//! when only the lesson uses it, or in a chapter engine (`engines/chNN-<name>/`) when the
//! lesson, the exercises and the grading tests share it. The grading tests, compiled into
//! every exercises crate, use this one, so no exercise's answer belongs here: a learner's
//! code could call it.
//!
//! Each module has one job:
//! - [`affinity`]: pinning a thread to a CPU, and asking which CPU it is on;
//! - [`proc`]: reading facts about a process from `/proc`, with errors a learner understands,
//!   and its children and descendants;
//! - [`startup_env`]: the environment as this process started with it, which `set_var` cannot change;
//! - [`stats`]: repeating a measurement and summarising it honestly (runs, median, spread);
//! - [`checks`]: a lesson's checks, as invariants (asserted) or expectations (reported);
//! - [`futex`]: sleeping on a word of (shared) memory, and waking its sleepers;
//! - [`fmt`]: bytes, durations and headings printed the same way in every lesson;
//! - [`table`]: aligned text tables;
//! - [`names`]: unique, sweepable names for shared memory and message queues;
//! - [`threads`]: this process's threads as kernel tasks (TIDs, names, states);
//! - [`crash`]: running what may crash in a subprocess and naming how it ended;
//! - [`sealed`]: test results (passes, reports, panics) that the code under test cannot forge;
//! - [`rendezvous`]: a meeting point with a deadline, proving threads ran at the same time;
//! - [`seeded`]: fresh, replayable seeds for tests that a table of answers must not pass;
//! - [`cleanup`]: named IPC objects (files, FIFOs, sockets, shm, queues) removed on exit,
//!   panic and Ctrl-C;
//! - [`bars`]: horizontal bars for a terminal chart;
//! - [`machine`]: whether this is a virtual machine, where the CPU says so;
//! - `child` (feature `child`): forked children that are reaped on return, panic and Ctrl-C;
//! - `testing` (feature `testing`): insta settings that redact PIDs, addresses and times;
//! - `model` (feature `model`): the learner's synchronisation code under the loom model checker;
//! - `sigint` (features `testing` and `child`): interrupt a lesson and prove it left no
//!   process behind.

pub mod affinity;
pub mod bars;
pub mod checks;
#[cfg(feature = "child")]
pub mod child;
pub mod cleanup;
pub mod crash;
pub mod fmt;
pub mod futex;
pub mod machine;
#[cfg(feature = "model")]
pub mod model;
pub mod names;
pub mod proc;
pub mod rendezvous;
pub mod sealed;
pub mod seeded;
#[cfg(all(feature = "testing", feature = "child"))]
pub mod sigint;
pub mod startup_env;
pub mod stats;
pub mod table;
#[cfg(feature = "testing")]
pub mod testing;
pub mod threads;
