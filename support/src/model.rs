//! The learner's own synchronisation code under [loom](https://docs.rs/loom), a model
//! checker: instead of hoping a stress test meets the bad interleaving, loom runs a test
//! once for every way its threads can interleave (up to a bound on preemptions) and for
//! every value the C11 memory model lets each atomic load return — so a `Relaxed` where
//! `Release`/`Acquire` is needed, or a wake-up that can be lost, fails on every run, on
//! x86 too.
//!
//! A chapter's `lib.rs` compiles the learner's files a second time inside a `model` module
//! whose `sync` is loom's (the files import `super::sync`), and the grading tests call that
//! copy inside [`explore`].

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub use loom;

/// The whole grading test `test` (`grading::<stem>::<name>`, the caller itself) for a
/// model: in a fresh copy of the test binary ([`crate::crash::isolated_test`]), `model`
/// runs under [`explore`]; here, the copy's verdict becomes this test's. In a copy
/// because loom reports a deadlock by panicking inside its scheduler, which aborts the
/// whole process: the chapter's other tests must still run.
pub fn check(test: &str, model: impl Fn() + Sync + Send + 'static) {
    if crate::crash::is_rerun() {
        explore(model);
    } else {
        crate::crash::isolated_test(
            test,
            LIMIT,
            "the model checker did not finish: does a thread wait in a loop that never \
             sleeps, or take a lock it already holds?",
        );
    }
}

/// Time for a copy to explore a model: each takes well under a second when the code is
/// right (a few thousand interleavings of a few steps each).
const LIMIT: Duration = Duration::from_secs(8);

/// Runs `test` under every interleaving loom explores, with settings fixed here: loom's
/// own defaults read `LOOM_*` variables, which code under test could set for a later test.
/// A failure panics with what went wrong and what each thread did, in order, in the
/// failing interleaving (the [`step`]s noted).
pub fn explore(test: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    builder.max_threads = 4;
    builder.max_branches = 1_000;
    builder.max_permutations = None;
    builder.max_duration = None;
    // Three preemptions find the classic bugs (a lost update, a lost wake-up, a load that
    // sees an old value) in a few thousand runs; more multiplies the time for little gain.
    builder.preemption_bound = Some(3);
    builder.checkpoint_file = None;
    builder.checkpoint_interval = 100_000;
    builder.expect_explicit_explore = false;
    builder.location = false;
    builder.log = false;
    explain_failures();
    EXPLORING.store(true, Ordering::SeqCst);
    let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        builder.check(move || {
            STEPS.lock().unwrap_or_else(|e| e.into_inner()).clear();
            test();
        })
    }));
    EXPLORING.store(false, Ordering::SeqCst);
    if let Err(payload) = checked {
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        panic!("{}", explained(&message));
    }
}

/// True while [`explore`] runs a model.
static EXPLORING: AtomicBool = AtomicBool::new(false);

/// Installs (once) a panic hook that reports the first failure of a model, explained, on
/// the sealed channel before anything else: a deadlock makes loom panic inside its
/// scheduler, and the process then aborts before [`explore`] can say a word.
fn explain_failures() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let usual = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if EXPLORING.swap(false, Ordering::SeqCst) {
                let message = info
                    .payload()
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                let thread = std::thread::current();
                crate::sealed::send(&format!(
                    "panic thread '{}' panicked in the model checker:\n{}",
                    thread.name().unwrap_or("<unnamed>"),
                    explained(&message)
                ));
            }
            usual(info);
        }));
    });
}

/// What loom's `message` means for the learner's code, and the failing interleaving.
fn explained(message: &str) -> String {
    if message.contains("not yet implemented") {
        // A `todo!()` left in the code: no interleaving to blame.
        return message.to_owned();
    }
    let why = if message.contains("deadlock") {
        "loom found an interleaving in which every thread waits and none can go on: each \
         waits for a lock another holds (two locks taken in different orders), or for a \
         wake-up that was never sent, or was sent before the change it announces"
    } else if message.contains("maximum number of branches") {
        "loom found a thread that waits by looping instead of sleeping (a spin or \
         `yield_now` loop): wait where the thread sleeps instead (a condition variable, a futex)"
    } else {
        "loom found an interleaving in which a check fails"
    };
    format!(
        "{why}.\n{message}\nWhat the threads did in that interleaving, in order:\n{}",
        interleaving()
    )
}

/// What the threads of the current interleaving did so far, in order.
static STEPS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Notes one step of the current interleaving (`"B: recv() returned 0"`), for
/// [`interleaving`] to show when a check fails.
pub fn step(what: impl Into<String>) {
    STEPS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(what.into());
}

/// The steps of the current interleaving, one per line, for a failure message.
pub fn interleaving() -> String {
    STEPS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .enumerate()
        .map(|(n, step)| format!("  {}. {step}\n", n + 1))
        .collect()
}
