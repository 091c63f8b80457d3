//! Runs the lesson and checks what it prints. Timings, PIDs and sizes change every run, so
//! the snapshot holds only the step headings and the lesson's own yes/no checks (which
//! must all say "yes"); the tables are checked as properties.

use std::process::Command;

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lesson-10"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        // rayon's pool then has its default size, which the lesson checks as an invariant.
        .env_remove("RAYON_NUM_THREADS")
        .env_remove("RAYON_RS_NUM_CPUS")
        .output()
        .expect("the lesson binary runs")
}

#[test]
fn every_step_runs_and_every_check_says_yes() {
    let stdout = support::testing::lesson_output(run(&["--quick"])).stdout;
    let skeleton = support::testing::checks_skeleton(&stdout);
    support::testing::redacting().bind(|| insta::assert_snapshot!("lesson-10-checks", skeleton));
    // The three servers, at each concurrency of a quick run, each with a row.
    for server in [
        "thread per connection",
        "fixed pool of 4",
        "one thread + poll",
    ] {
        let rows = stdout
            .lines()
            .filter(|l| l.starts_with(&format!("    {server} ")))
            .count();
        assert_eq!(
            rows, 2,
            "{server} has a row for 1 and 10 connections:\n{stdout}"
        );
    }
    // rayon: one row per thread count, 1 up to at least 4.
    for threads in 1..=4 {
        assert!(
            stdout
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{threads}  ")) && l.contains('×')),
            "a rayon row for {threads} threads:\n{stdout}"
        );
    }
    assert!(stdout.contains("Amdahl's bound on "), "{stdout}");
    // False sharing: one row per layout, each with a time per increment.
    for layout in ["side by side, one line", "each in a CachePadded"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(&format!("    {layout} ")) && l.contains(" ns")),
            "a false-sharing row for {layout:?}:\n{stdout}"
        );
    }
    // cgroups: the lines of /proc/self/cgroup as this test process sees them (the lesson is
    // its child, and a child starts in its parent's groups), then the CPUs four ways.
    let own = std::fs::read_to_string("/proc/self/cgroup").expect("/proc/self/cgroup");
    for line in own.lines() {
        // A line too long for 100 columns is broken after a '/': look for its start.
        let line = if line.chars().count() <= 90 {
            line
        } else {
            line.split_inclusive('/').next().unwrap_or(line)
        };
        assert!(
            stdout.contains(line),
            "the lesson shows its /proc/self/cgroup line {line:?}:\n{stdout}"
        );
    }
    for counted in [
        "online in the machine",
        "in this thread's affinity mask",
        "available_parallelism()",
        "rayon's global pool",
    ] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(&format!("    {counted} "))),
            "a row for the CPUs {counted:?}:\n{stdout}"
        );
    }
    assert!(stdout.contains("inside:  I am PID 1,") || stdout.contains("could not be made"));
}

#[test]
fn bad_input_is_one_line_and_exit_status_2() {
    let output = run(&["--runs"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: unexpected argument '--runs'"),
        "{stderr}"
    );
}
