//! Runs the lesson and checks what it prints. Timings, CPUs and counts change every run, so
//! the checks are properties: every step is told, every check says "yes", both ends ran
//! where they were pinned, and every line fits 100 columns.

use std::process::Command;

#[test]
fn tells_the_whole_story_and_every_check_holds() {
    let output = Command::new(env!("CARGO_BIN_EXE_lesson-06"))
        .arg("--quick")
        .output()
        .expect("the lesson binary runs");
    let stdout = support::testing::lesson_output(output).stdout;
    assert_eq!(
        support::testing::headings(&stdout),
        "Chapter 06 · Context switching\n── 1. Counting switches\n── 2. Ping-pong, measured \
         four ways\n── 3. The cache part of the claim\n── 4. Time slices\n── 5. The claim, checked"
    );
    assert!(
        stdout.contains("median of 5 batches of 200 round trips"),
        "{stdout}"
    );
    let rows: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("  pipe ") || l.starts_with("  futex "))
        .collect();
    assert_eq!(rows.len(), 8, "four ways, two wires:\n{stdout}");
    for row in rows {
        assert!(row.contains('–'), "each row prints its middle half: {row}");
    }
    assert!(
        stdout.contains("lesson ÷ perf") || stdout.contains("skipping the comparison"),
        "perf is compared with, or its absence is said:\n{stdout}"
    );
}

#[test]
fn bad_input_is_one_line_and_exit_status_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_lesson-06"))
        .arg("--fast")
        .output()
        .expect("the lesson binary runs");
    assert_eq!(output.status.code(), Some(2));
}
