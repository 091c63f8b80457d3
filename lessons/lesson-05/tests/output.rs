//! Runs the lesson and checks what it prints. Timings, PIDs and memory figures change
//! every run, so the snapshot holds only the step headings and the lesson's own yes/no
//! checks (which must all say "yes"); the measurements are asserted as properties.

use std::process::Command;

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lesson-05"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the lesson binary runs")
}

#[test]
fn crashes_stay_in_subprocesses_and_every_measurement_has_its_method() {
    // The lesson itself must exit 0 however much it crashes.
    let support::testing::LessonOutput { stdout, stderr } =
        support::testing::lesson_output(run(&["--quick"]));
    let skeleton = support::testing::checks_skeleton(&stdout);
    support::testing::redacting().bind(|| insta::assert_snapshot!("lesson-05-checks", skeleton));
    for what in [
        "thread: spawn + join",
        "process: fork + exit + wait",
        "thread: an Arc (a pointer)",
        "process: through a pipe",
    ] {
        let line = stdout
            .lines()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("no line for {what:?}:\n{stdout}"));
        assert!(line.contains('–'), "{what} prints its middle half: {line}");
    }
    assert!(
        stdout.contains("each row: 40 runs") && stdout.contains("8 runs; faults/run"),
        "each table says how many runs it timed:\n{stdout}"
    );
    assert!(
        stdout.contains("killed by SIGSEGV"),
        "the summary names the signal"
    );
    assert!(
        stderr.contains("panicked"),
        "the panicking thread's message goes to stderr"
    );
}

#[test]
fn a_backtrace_setting_does_not_inflate_the_measurements() {
    let output = Command::new(env!("CARGO_BIN_EXE_lesson-05"))
        .arg("--quick")
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("the lesson binary runs");
    let support::testing::LessonOutput { stdout, stderr } = support::testing::lesson_output(output);
    assert!(stdout.contains("RUST_BACKTRACE is set"), "{stdout}");
    assert!(stderr.contains("panicked at"), "{stderr}");
    assert!(!stderr.contains("stack backtrace"), "{stderr}");
}

#[test]
fn the_crash_demonstrations_die_by_the_signal_they_promise() {
    for (kind, signal) in [
        ("segfault-in-thread", 11),
        ("abort-in-thread", 6),
        ("overflow-in-thread", 6),
    ] {
        let output = run(&["--demo", kind]);
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(output.status.signal(), Some(signal), "{kind}: {output:?}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(!stdout.contains("finished normally"), "{kind}: {stdout}");
    }
}

#[test]
fn bad_input_is_one_line_and_exit_status_2() {
    let output = run(&["--demo", "nonsense"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: invalid value 'nonsense' for '--demo <KIND>'"),
        "{stderr}"
    );
    assert_eq!(run(&["--runs"]).status.code(), Some(2));
}
