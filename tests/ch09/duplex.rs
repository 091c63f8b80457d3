use std::time::Duration;

use support::crash::is_rerun;
use support::seeded::{self, Rng};

use crate::duplex::converse;

/// Longer than the exercise's `timeout_secs` (10): a deadlocked conversation is stopped
/// by the grader, and its verdict says "timed out" (blocked), as a hang should.
const LIMIT: Duration = Duration::from_secs(30);

const ON_TIMEOUT: &str = "are the answers read while the requests are written (a pipe \
    holds only 64 KiB), and is every unused pipe end closed, in the child and in the \
    parent, so each reader sees end-of-file?";

#[test]
fn answers_small_conversations() {
    let _graded = support::sealed::graded();
    if is_rerun() {
        for (index, requests) in ["", "a", "hello, pipes!\n", "Mixed Case 123\n"]
            .iter()
            .enumerate()
        {
            let answer = converse(requests.as_bytes())
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
            super::report(
                &format!("CASE{index}"),
                format!("{requests:?} -> {answer:?}"),
            );
        }
        return;
    }
    let run = super::isolated(
        "grading::duplex::answers_small_conversations",
        LIMIT,
        ON_TIMEOUT,
    );
    let report: String = (0..4)
        .map(|index| format!("{}\n", super::reported(&run, &format!("CASE{index}"))))
        .collect();
    support::assert_graded_snapshot!("ch09-duplex-small", report);
}

#[test]
fn converses_beyond_the_pipe_capacity_and_leaves_nothing() {
    let _graded = support::sealed::graded();
    if is_rerun() {
        let seed = seeded::fresh();
        let mut rng = Rng::new(seed);
        // 1 to 2 MiB each way: 16 to 32 times the default pipe capacity of 64 KiB.
        let length = rng.between(1 << 20, 2 << 20) as usize;
        let requests: Vec<u8> = (0..length)
            .map(|_| b"abcdefghijklmnopqrstuvwxyz .\n"[rng.between(0, 28) as usize])
            .collect();
        let fds_before = super::open_fds();
        let answers = converse(&requests).expect("converse runs");
        super::report("SEED", seed);
        super::report("LENGTH", length);
        super::report("SAME", answers == requests.to_ascii_uppercase());
        super::report("ANSWER_LENGTH", answers.len());
        super::report("NO_CHILD_LEFT", support::crash::no_child_left());
        let fds_after = super::open_fds();
        super::report("FDS", format!("{fds_before:?} -> {fds_after:?}"));
        super::report("SAME_FDS", fds_before == fds_after);
        return;
    }
    let run = super::isolated(
        "grading::duplex::converses_beyond_the_pipe_capacity_and_leaves_nothing",
        LIMIT,
        ON_TIMEOUT,
    );
    let (seed, length) = (
        super::reported(&run, "SEED"),
        super::reported(&run, "LENGTH"),
    );
    let input = format!(
        "converse(<{length} seeded lowercase bytes>) (seed {seed}, replay with PTM_SEED={seed})"
    );
    assert_eq!(
        super::reported(&run, "SAME"),
        "true",
        "{input}: expected those bytes in upper case, {length} of them; yours gave {} \
         bytes that differ",
        super::reported(&run, "ANSWER_LENGTH")
    );
    assert_eq!(
        super::reported(&run, "NO_CHILD_LEFT"),
        "true",
        "{input} returned but left a child unreaped: wait for it with waitpid"
    );
    assert_eq!(
        super::reported(&run, "SAME_FDS"),
        "true",
        "{input} left descriptors open (open descriptors before -> after: {}): close \
         every pipe end you made once you are done with it",
        super::reported(&run, "FDS")
    );
}
