//! Runs the lesson and checks what it prints. Thread IDs, addresses, CPUs and sample
//! counts change every run, so the snapshot holds only the step headings and the lesson's
//! own yes/no checks (which must all say "yes"); the rest is asserted as properties.
//! Step 6 depends on whether strace is installed, so it is checked either way below.

use std::process::Command;

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lesson-04"))
        .args(args)
        .output()
        .expect("the lesson binary runs")
}

#[test]
fn tells_the_whole_story_and_every_check_holds() {
    let stdout = support::testing::lesson_output(run(&["--quick"])).stdout;
    // Step 6's checks are printed only where strace can run; they are checked below.
    let (before_6, step_6) = stdout
        .split_once("── 6.")
        .expect("step 6 is always announced");
    let skeleton: String = before_6
        .lines()
        .chain(["── 6."])
        .filter(|l| l.starts_with("── ") || l.starts_with("  → "))
        .map(|l| format!("{}\n", l.trim_end_matches('─').trim_end()))
        .collect();
    let mut settings = support::testing::redacting();
    // How many CPUs the threads landed on depends on the machine and the moment.
    settings.add_filter(r"seen on \d+ different", "seen on [N] different");
    settings.bind(|| insta::assert_snapshot!("lesson-04-checks", skeleton));
    assert!(stdout.contains("Ok(500500)"), "join hands back the sum");
    let strace_works = std::process::Command::new("strace")
        .args(["-qq", "-e", "trace=none", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if strace_works {
        for flag in ["CLONE_VM", "CLONE_THREAD", "SIGCHLD"] {
            assert!(step_6.contains(flag), "step 6 shows {flag}:\n{step_6}");
        }
        assert_eq!(step_6.matches(": yes").count(), 2, "{step_6}");
    } else {
        assert!(step_6.contains("install strace"), "{step_6}");
    }
}

#[test]
fn thread_count_is_honoured() {
    let stdout = support::testing::lesson_output(run(&["--quick", "--threads", "5"])).stdout;
    for i in 1..=5 {
        assert!(
            stdout.contains(&format!("worker-{i}")),
            "worker-{i} appears:\n{stdout}"
        );
    }
    assert!(!stdout.contains("worker-6"));
}

#[test]
fn one_worker_claims_no_stack_size_it_did_not_ask_for() {
    let stdout = support::testing::lesson_output(run(&["--quick", "--threads", "1"])).stdout;
    assert!(!stdout.contains("256.0 KiB"), "{stdout}");
    assert!(stdout.contains("every worker has it"), "{stdout}");
}

#[test]
fn bad_input_is_one_line_and_exit_status_2() {
    let output = run(&["--threads", "0"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: invalid value '0' for '--threads <N>'"),
        "{stderr}"
    );
}
