//! Runs the lesson and checks what it prints. Timings, PIDs, ports and sizes change every
//! run, so the snapshot holds only the step headings and the lesson's own yes/no checks
//! (which must all say "yes"); the table is checked as properties.

mod common;

use std::process::Command;

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
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the lesson exits 0:\n{stdout}\n{stderr}"
    );
    let skeleton = support::testing::checks_skeleton(&stdout);
    support::testing::redacting().bind(|| insta::assert_snapshot!("lesson-09-checks", skeleton));
    support::testing::assert_invariants_hold(&stdout);
    assert!(
        stdout.lines().all(|l| l.chars().count() <= 100),
        "every line fits 100 columns:\n{stdout}"
    );
    for channel in [
        "pipe (two)",
        "FIFO (two)",
        "Unix stream",
        "Unix datagram",
        "TCP 127.0.0.1",
        "message queue",
        "shm + futex",
        "shm + spinning",
        "signal",
    ] {
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
    assert!(stdout.contains("perf bench sched pipe"), "{stdout}");
    assert_eq!(
        common::leftovers(&tmp, &prefix),
        Vec::<String>::new(),
        "the run left things behind"
    );
    std::fs::remove_dir(&tmp).ok();
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
