//! Runs the lesson and checks what it prints. Timings vary every run, so the snapshot
//! holds only the step headings and the claims of the lesson's checks; the rest are
//! properties: every line fits 100 columns, every chart has its rows, the locked increment
//! is exact.

use std::process::Command;

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lesson-08"))
        .args(args)
        .output()
        .expect("the lesson binary runs")
}

#[test]
fn a_quick_run_tells_the_whole_story_in_100_columns() {
    let stdout = support::testing::lesson_output(run(&["--quick"])).stdout;
    let skeleton = support::testing::checks_skeleton(&stdout);
    support::testing::redacting().bind(|| insta::assert_snapshot!("lesson-08-checks", skeleton));
    for step in [
        "1. The same loop in 1, 2, 4, N and 8 threads",
        "2. The speedup table",
        "3. I/O-bound threads overlap",
        "4. The convoy effect",
        "5. The GIL does not make x += 1 thread-safe",
    ] {
        assert!(stdout.contains(step), "no step {step:?}:\n{stdout}");
    }
    for runtime in [
        "Rust threads",
        "rayon",
        "toy VM, GIL",
        "toy VM, no GIL",
        "toy VM, processes",
    ] {
        assert!(
            stdout
                .lines()
                .any(|l| l.trim_start().starts_with(runtime) && l.contains('×')),
            "no speedup row for {runtime}:\n{stdout}"
        );
    }
    assert!(
        stdout.contains("debug build") || stdout.contains("Debug build"),
        "{stdout}"
    );
    every_chart_shows_the_program_per_core_and_the_machine(&stdout);
    let svg = stdout
        .lines()
        .find_map(|l| l.split_once("SVG file: ").map(|(_, p)| p.trim().to_owned()))
        .expect("the SVG's path is printed");
    assert!(std::fs::read_to_string(svg).unwrap().starts_with("<svg"));
}

/// Each chart: a title naming threads or processes, a row per core, then `program` and
/// `machine`, and a line comparing the rows with getrusage.
fn every_chart_shows_the_program_per_core_and_the_machine(stdout: &str) {
    let lines: Vec<&str> = stdout.lines().collect();
    let titles: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].contains(": the loop in 1, 2"))
        .collect();
    assert!(titles.len() >= 5, "a chart per runtime:\n{stdout}");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for &at in &titles {
        let title = lines[at];
        let workers = if title.contains("processes:") {
            " processes"
        } else {
            " threads"
        };
        assert!(
            title.ends_with(workers),
            "{title:?} should end with {workers:?}"
        );
        let chart = &lines[at + 1..];
        for row in &chart[..cores] {
            assert!(
                row.starts_with("  cpu") && row.ends_with(" %"),
                "{title:?}: {row:?}"
            );
        }
        assert!(chart[cores].starts_with("  program ") && chart[cores].ends_with(" cores"));
        assert!(chart[cores + 1].starts_with("  machine ") && chart[cores + 1].ends_with(" cores"));
        assert!(
            chart[cores + 3].starts_with("  CPU time of this program (getrusage): "),
            "{title:?}: {:?}",
            chart[cores + 3]
        );
    }
}

#[test]
fn the_locked_increment_is_exact_and_the_bare_one_is_printed() {
    let stdout = support::testing::lesson_output(run(&["--quick"])).stdout;
    for program in [
        "with lock: x += 1, GIL (50 µs)",
        "with lock: x += 1, no GIL",
    ] {
        let line = stdout.lines().find(|l| l.contains(program)).expect(program);
        let numbers: Vec<&str> = line[program.len() + 2..].split_whitespace().collect();
        assert_eq!(numbers[0], numbers[1], "expected = x for {program}: {line}");
    }
}

#[test]
fn bad_input_is_one_line_and_exit_status_2() {
    let output = run(&["--vm-spin", "many"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(run(&["--slow"]).status.code(), Some(2));
}
