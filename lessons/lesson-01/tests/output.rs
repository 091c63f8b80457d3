//! What a reader sees when they run `cargo run -p lesson-01`, checked.
//!
//! The lesson prints live facts (PIDs, sizes, addresses) that differ on every run, so the
//! snapshot holds the story's structure, and the live facts are checked as properties.

use std::process::{Command, Stdio};

use insta_cmd::assert_cmd_snapshot;

const LESSON: &str = env!("CARGO_BIN_EXE_lesson-01");

#[test]
fn tells_the_story_in_order() {
    let child = Command::new(LESSON).stdout(Stdio::piped()).spawn().unwrap();
    let lesson_pid = child.id();
    let stdout = support::testing::lesson_output(child.wait_with_output().unwrap()).stdout;
    support::testing::settings().bind(|| {
        insta::assert_snapshot!("lesson-01-headings", support::testing::headings(&stdout))
    });

    assert!(
        stdout.contains(&format!("PID          {lesson_pid} ")),
        "shows its own PID:\n{stdout}"
    );
    assert!(
        stdout.contains(&format!("PPID         {} ", std::process::id())),
        "its parent is this test"
    );
    assert!(
        stdout.contains("LOAD          R E"),
        "finds a code segment in its own file"
    );
    assert!(
        stdout.contains("r-xp"),
        "finds that code segment mapped executable"
    );
    assert!(
        stdout.contains("saved pc 0x"),
        "reads the main thread's saved registers"
    );
    assert!(
        stdout.contains("AT_ENTRY  0x") && !stdout.contains(" ≠ "),
        "AT_ENTRY is the load address plus the file's entry point:\n{stdout}"
    );
    assert!(
        stdout.contains("data, then zero-filled .bss"),
        "names the .bss segment from the sections:\n{stdout}"
    );
}

#[test]
fn says_pid_1_has_no_parent_and_skips_no_step() {
    let output = Command::new(LESSON).args(["--pid", "1"]).output().unwrap();
    let stdout = support::testing::lesson_output(output).stdout;
    assert!(stdout.contains("PPID         0   (none: "), "{stdout}");
    for step in 1..=5 {
        assert!(
            stdout.contains(&format!("── {step}. ")),
            "step {step} is shown:\n{stdout}"
        );
    }
}

#[test]
fn inspects_another_process() {
    let mut sleeper = Command::new("sleep")
        .arg("30")
        .spawn()
        .expect("start `sleep`");
    wait_until_asleep(sleeper.id() as i32);
    let output = Command::new(LESSON)
        .args(["--pid", &sleeper.id().to_string()])
        .output()
        .unwrap();
    sleeper.kill().unwrap();
    sleeper.wait().unwrap();
    let stdout = support::testing::lesson_output(output).stdout;
    assert!(stdout.contains("name         sleep"), "{stdout}");
    assert!(stdout.contains("state        S = sleeping"), "{stdout}");
    assert!(
        !stdout.contains("One program, many processes\n  │ Try"),
        "no self-hint for others"
    );
}

/// A freshly spawned child is still running (exec'ing `sleep`) for a moment; poll its
/// state so the test does not race it.
fn wait_until_asleep(pid: i32) {
    for _ in 0..300 {
        let stat = support::proc::open(pid).map(|p| p.stat().map(|s| s.state));
        if let Ok(Ok('S')) = stat {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("`sleep` (PID {pid}) did not fall asleep within 3 s");
}

#[test]
fn rejects_a_pid_that_does_not_exist() {
    // PIDs never exceed 2^22 on Linux, so this one cannot exist.
    assert_cmd_snapshot!(
        "lesson-01-missing-pid",
        Command::new(LESSON).args(["--pid", "99999999"])
    );
}

#[test]
fn rejects_a_pid_that_is_not_a_number() {
    assert_cmd_snapshot!(
        "lesson-01-bad-pid",
        Command::new(LESSON).args(["--pid", "abc"])
    );
    assert_cmd_snapshot!(
        "lesson-01-zero-pid",
        Command::new(LESSON).args(["--pid", "0"])
    );
}

#[test]
fn explains_itself() {
    assert_cmd_snapshot!("lesson-01-help", Command::new(LESSON).arg("--help"));
}
