use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use support::seeded::{self, Rng};

use crate::channel_pipeline::pipeline;

/// How long a pipeline of a few thousand small items may take before it is called stuck.
const PATIENCE: Duration = Duration::from_secs(4);

/// What probably keeps the work from ending, when it has not within `PATIENCE`.
const STUCK: &str = "When the input ends, does every stage end? A stage's loop over its \
                     receiver ends only once every sender of that channel is dropped (is a \
                     sender, or a clone of one, still alive outside the stage that uses it?)";

/// [`super::within_patience`] with this exercise's patience and likely cause.
fn within_patience<R: Send + 'static>(what: &str, work: impl FnOnce() -> R + Send + 'static) -> R {
    super::within_patience(what, PATIENCE, STUCK, work)
}

/// Parses a line of text: a stage the test can check.
fn parse(line: String) -> u64 {
    line.trim().parse().expect("the test's lines are numbers")
}

/// A stage that takes longer on every fifth item: two threads sharing it would let the
/// quick items overtake the slow ones.
fn compute(n: u64) -> u64 {
    if n.is_multiple_of(5) {
        thread::sleep(Duration::from_millis(1));
    }
    n * n + 1
}

#[test]
fn every_item_once_in_order() {
    let _graded = support::sealed::graded();
    let seed = seeded::fresh();
    let mut rng = Rng::new(seed);
    for capacity in [0, 1, 4] {
        let count = rng.between(50, 200) as usize;
        let numbers: Vec<u64> = (0..count).map(|_| rng.between(0, 1_000_000)).collect();
        let lines: Vec<String> = numbers.iter().map(|n| format!("{n}\n")).collect();
        let what = format!("{count} lines, capacity {capacity}");
        let yours = within_patience(&what, move || {
            let mut out = Vec::new();
            pipeline(lines.into_iter(), parse, compute, capacity, |v| out.push(v));
            out
        });
        let expected: Vec<u64> = numbers.iter().map(|&n| compute(n)).collect();
        if let Some(at) = (0..expected.len()).find(|&i| yours.get(i) != Some(&expected[i])) {
            panic!(
                "{what}: output {at} (for the line {:?}): expected {}, yours {:?}; you gave \
                 {} outputs for {count} lines. Every item once, in input order. Replay with \
                 PTM_SEED={seed}.",
                format!("{}", numbers[at]),
                expected[at],
                yours.get(at),
                yours.len()
            );
        }
        assert_eq!(
            yours.len(),
            count,
            "{what}: {count} lines in, {} outputs (PTM_SEED={seed})",
            yours.len()
        );
    }
}

#[test]
fn an_empty_input_ends_at_once() {
    let _graded = support::sealed::graded();
    let outputs = within_patience("an empty input", || {
        let mut outputs = 0;
        pipeline(std::iter::empty::<String>(), parse, compute, 2, |_| {
            outputs += 1
        });
        outputs
    });
    assert_eq!(outputs, 0, "an empty input: expected no output");
}

/// Which thread ran each stage, as the stages themselves saw it.
#[derive(Default)]
struct Seen {
    read: Vec<ThreadId>,
    parse: Vec<ThreadId>,
    compute: Vec<ThreadId>,
}

/// A test re-run alone in its own process (`support::crash::isolated_test`), so the
/// count of this process's threads is not disturbed by other tests.
#[test]
fn each_stage_has_a_thread_and_none_is_left() {
    let _graded = support::sealed::graded();
    if !support::crash::is_rerun() {
        support::crash::isolated_test(
            "grading::channel_pipeline::each_stage_has_a_thread_and_none_is_left",
            Duration::from_secs(8),
            "a stage waits for ever for a channel whose senders are not all dropped",
        );
        return;
    }
    let seen = Mutex::new(Seen::default());
    let note = |pick: fn(&mut Seen) -> &mut Vec<ThreadId>| {
        let me = thread::current().id();
        let mut seen = seen.lock().unwrap();
        let list = pick(&mut seen);
        if !list.contains(&me) {
            list.push(me);
        }
    };
    let before = support::threads::count();
    let mut outputs = 0;
    let input = (0..300u64).map(|n| {
        note(|s| &mut s.read);
        n.to_string()
    });
    pipeline(
        input,
        |line| {
            note(|s| &mut s.parse);
            parse(line)
        },
        |n| {
            note(|s| &mut s.compute);
            compute(n)
        },
        2,
        |_| outputs += 1,
    );
    let after = support::threads::count_settled(before, std::time::Duration::from_secs(5));
    assert_eq!(outputs, 300, "300 lines in, {outputs} outputs");
    let seen = seen.into_inner().unwrap();
    let me = thread::current().id();
    for (stage, threads) in [
        ("reading the input", &seen.read),
        ("parse", &seen.parse),
        ("compute", &seen.compute),
    ] {
        assert_eq!(
            threads.len(),
            1,
            "{stage} ran on {} threads: each stage gets one thread of its own (more than one \
             and items overtake each other)",
            threads.len()
        );
        assert_ne!(
            threads[0], me,
            "{stage} ran on the thread that called pipeline: each stage gets a thread of its \
             own, started by pipeline (only `output` runs on the caller's thread)"
        );
    }
    assert!(
        seen.read[0] != seen.parse[0]
            && seen.parse[0] != seen.compute[0]
            && seen.read[0] != seen.compute[0],
        "reading, parse and compute must each run on a different thread"
    );
    assert_eq!(
        after, before,
        "this process had {before} threads before pipeline and {after} after it returned: \
         every thread a pipeline starts must have ended (joined) before it returns"
    );
}

#[test]
fn a_stuck_output_holds_the_input_back() {
    let _graded = support::sealed::graded();
    // `output` stops at its first item until the test lets it go. A bounded pipeline can
    // then pull at most a few items per stage from the input before every stage waits.
    let capacity = 2;
    let total = 1_000u64;
    let most = 3 * capacity as u64 + 6;
    let pulled = Arc::new(AtomicUsize::new(0));
    let (gate_tx, gate_rx) = mpsc::channel::<()>();
    let run = {
        let pulled = Arc::clone(&pulled);
        thread::spawn(move || {
            within_patience("1,000 lines behind a stuck output", move || {
                let input = (0..total).map(move |n| {
                    pulled.fetch_add(1, SeqCst);
                    n.to_string()
                });
                let mut outputs = 0u64;
                pipeline(
                    input,
                    parse,
                    |n| n,
                    capacity,
                    |_| {
                        if outputs == 0 {
                            gate_rx.recv().ok();
                        }
                        outputs += 1;
                    },
                );
                outputs
            })
        })
    };
    // Wait until the count stays still for 300 ms, or passes the bound.
    let start = Instant::now();
    let (mut last, mut still_since) = (0, Instant::now());
    let peak = loop {
        thread::sleep(Duration::from_millis(20));
        let now = pulled.load(SeqCst);
        if now as u64 > most || start.elapsed() > Duration::from_secs(4) {
            break now;
        }
        if now != last {
            (last, still_since) = (now, Instant::now());
        } else if now > 0 && still_since.elapsed() > Duration::from_millis(300) {
            break now;
        }
    };
    gate_tx.send(()).ok();
    let outputs = run
        .join()
        .unwrap_or_else(|why| std::panic::resume_unwind(why));
    assert!(
        peak as u64 <= most,
        "with capacity {capacity} and the output stuck on its first item, the input was read \
         {peak} items ahead (at most {most} fit in three stages and three channels of \
         {capacity}): are the channels `bounded(capacity)`?"
    );
    assert!(peak > 0, "the input was never read");
    assert_eq!(outputs, total, "{total} lines in, {outputs} outputs");
}

#[test]
fn words_through_three_stages() {
    let _graded = support::sealed::graded();
    let words = "a pipeline keeps the order of its input when each stage has one thread";
    let input: Vec<String> = words.split(' ').map(str::to_owned).collect();
    let report = within_patience("a sentence", move || {
        let mut report = String::new();
        pipeline(
            input.into_iter(),
            |word: String| (word.len(), word),
            |(len, word)| format!("{len:>2} {}", word.to_uppercase()),
            1,
            |line| report += &format!("{line}\n"),
        );
        report
    });
    support::assert_graded_snapshot!("ch10-channel_pipeline-words", report);
}
