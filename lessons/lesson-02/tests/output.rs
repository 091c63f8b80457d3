//! What a reader sees when they run `cargo run -p lesson-02`, checked.
//!
//! Addresses change on every run (that is step 5's point), so the snapshot holds the
//! story's headings, and the facts are checked as properties of the printed rows.

use std::process::Command;

use insta_cmd::assert_cmd_snapshot;

const LESSON: &str = env!("CARGO_BIN_EXE_lesson-02");

fn run_quick() -> String {
    let output = Command::new(LESSON).arg("--quick").output().unwrap();
    support::testing::lesson_output(output).stdout
}

/// The row of step 1's table that starts with `what`.
fn row<'a>(stdout: &'a str, what: &str) -> &'a str {
    stdout
        .lines()
        .find(|line| line.trim_start().starts_with(what))
        .unwrap_or_else(|| panic!("no row {what:?} in:\n{stdout}"))
}

#[test]
fn tells_the_story_in_order() {
    let stdout = run_quick();
    support::testing::settings().bind(|| {
        insta::assert_snapshot!("lesson-02-headings", support::testing::headings(&stdout))
    });
}

#[test]
fn finds_each_thing_in_its_region() {
    let stdout = run_quick();
    let expect = [
        ("a function (main)", "code (text)", "r-xp"),
        ("a string literal", "read-only data", "r--p"),
        ("an initialised static", "data", "rw-p"),
        ("a Box<u64>", "heap", "rw-p"),
        ("a 1 MiB Vec<u8>", "anonymous mmap", "rw-p"),
        ("a local variable", "stack", "rw-p"),
        ("a thread-local", "anonymous mmap", "rw-p"),
    ];
    for (what, region, perms) in expect {
        let line = row(&stdout, what);
        assert!(
            line.contains(region) && line.contains(perms),
            "{what}: {region} {perms}: {line}"
        );
    }
    assert!(row(&stdout, "a zeroed static").contains(".bss"));
    assert!(row(&stdout, "end of a 64 KiB zeroed static").contains("bss"));
}

#[test]
fn shows_growth_aslr_and_isolation() {
    let stdout = run_quick();
    assert!(stdout.contains("Every deeper call's local is at a lower address: true"));
    assert!(stdout.contains("it grew upward by"), "{stdout}");
    assert!(
        row(&stdout, "static    ").ends_with("the function: same file"),
        "statics move with the code:\n{stdout}"
    );
    assert!(
        row(&stdout, "heap      ").ends_with("neither: a random start of its own"),
        "the heap has a random start of its own:\n{stdout}"
    );
    if stdout.contains("libc      ") {
        assert!(
            row(&stdout, "mmap      ").ends_with("libc: the same mmap area"),
            "a large allocation lands at a fixed distance below libc:\n{stdout}"
        );
    }
    let child = row(&stdout, "child  PID");
    let parent = row(&stdout, "parent PID");
    assert!(
        child.ends_with("= 2, Box at") || child.contains("= 2, Box at"),
        "{child}"
    );
    assert!(
        parent.contains("= 1, Box at") && parent.ends_with("= 100"),
        "{parent}"
    );
    let address = |line: &str| {
        line.split(" at ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .to_owned()
    };
    assert_eq!(address(child), address(parent), "the same virtual address");
    assert!(stdout.contains("exited with status 0"));
}

#[test]
fn rejects_unknown_arguments() {
    assert_cmd_snapshot!("lesson-02-bad-arg", Command::new(LESSON).arg("--fast"));
}

#[test]
fn explains_itself() {
    assert_cmd_snapshot!("lesson-02-help", Command::new(LESSON).arg("--help"));
}
