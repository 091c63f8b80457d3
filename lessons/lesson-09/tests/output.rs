//! Runs the lesson and checks what it prints. Timings, PIDs, ports and sizes change every
//! run, so the snapshot holds only the step headings and the lesson's own yes/no checks
//! (which must all say "yes"); the table is checked as properties.

mod common;

use std::process::Command;

/// The rows of step 14's round-trip table, in the order the lesson measures them.
const TABLE_ROWS: [&str; 11] = [
    "pipe (two)",
    "FIFO (two)",
    "Unix stream",
    "Unix datagram",
    "TCP 127.0.0.1",
    "message queue",
    "shm + futex",
    "shm + spinning",
    "shm in place + futex",
    "shm in place + spinning",
    "signal",
];

#[test]
fn every_channel_works_and_the_table_is_complete() {
    let (tmp, prefix) = common::private_run("output");
    let output = Command::new(env!("CARGO_BIN_EXE_lesson-09"))
        .arg("--quick")
        .env("TMPDIR", &tmp)
        .env("PTM_RUN_PREFIX", &prefix)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the lesson binary runs");
    let stdout = support::testing::lesson_output(output).stdout;
    let skeleton = support::testing::checks_skeleton(&stdout);
    support::testing::redacting().bind(|| insta::assert_snapshot!("lesson-09-checks", skeleton));
    for channel in TABLE_ROWS {
        let rows: Vec<&str> = stdout
            .lines()
            .filter(|l| l.starts_with(&format!("  {channel} ")))
            .collect();
        assert!(!rows.is_empty(), "a row for {channel}:\n{stdout}");
        assert!(
            rows.iter().all(|r| r.contains('↔') && r.contains('–')),
            "{channel} rows say where each end ran and the middle half: {rows:?}"
        );
    }
    assert!(
        stdout.contains("each row: 3 runs of 200 round trips"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  memcpy ") && stdout.contains("100 %"),
        "{stdout}"
    );
    for alone in ["fill alone", "checksum alone"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(&format!("  {alone} ")) && l.contains("one process")),
            "a row for {alone} (each half of the in-place work, with no hand-off):\n{stdout}"
        );
    }
    // The consumer's checksum equals the producer's: an invariant, in step 11 and for
    // every measured run of step 14 (lesson_output above also fails on a NO).
    for claim in [
        "  → the child's checksum equals the parent's: yes",
        "  → in place, the child's checksum equalled the parent's in every run: yes",
    ] {
        assert!(stdout.contains(claim), "{claim:?} in:\n{stdout}");
    }
    assert_step_14_shows_progress(&stdout);
    assert!(stdout.contains("perf bench sched pipe"), "{stdout}");
    assert_eq!(
        common::leftovers(&tmp, &prefix),
        Vec::<String>::new(),
        "the run left things behind"
    );
    std::fs::remove_dir(&tmp).ok();
}

/// Step 14 runs for seconds: before its tables, it prints a line for each channel it
/// measures, in the order it measures them, each ending with the time that took.
fn assert_step_14_shows_progress(stdout: &str) {
    let step: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("── 14."))
        .take_while(|l| !l.starts_with("  Round trip"))
        .collect();
    let at = step
        .iter()
        .position(|l| l.starts_with("  measuring each channel in turn"))
        .unwrap_or_else(|| panic!("step 14 says it is measuring: {step:#?}"));
    let progress: Vec<&str> = step[at + 1..]
        .iter()
        .copied()
        .take_while(|l| l.starts_with("    "))
        .collect();
    let names: Vec<String> = progress
        .iter()
        .map(|l| {
            l.split("  ")
                .find(|s| !s.is_empty())
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    assert_eq!(
        names,
        // The pipe is measured twice (on one core, then across two) before the rest.
        std::iter::once("pipe (two)")
            .chain(TABLE_ROWS)
            .chain(["perf bench sched pipe", "memcpy", "fill and checksum alone"])
            .collect::<Vec<_>>(),
        "a progress line per channel, in order: {progress:#?}"
    );
    assert!(
        progress
            .iter()
            .all(|l| l.contains(" … ") && l.ends_with('s')),
        "each progress line ends with the time it took: {progress:#?}"
    );
}

#[test]
fn bad_input_is_one_line_and_exit_status_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_lesson-09"))
        .arg("--runs")
        .output()
        .expect("the lesson binary runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: unexpected argument '--runs'"),
        "{stderr}"
    );
}
