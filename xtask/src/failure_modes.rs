//! The grader's own tests: each deliberately bad attempt in `xtask/grader-fixtures` must get the
//! right verdict within seconds, and leave no process, zombie, FIFO or shared-memory
//! object behind.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use crate::catalog::{Exercise, repo_root};
use crate::runner::{self, Build, Outcome, Verdict};

/// Builds the attempts once for all tests, in a build folder of their own: the `cargo
/// test` running these tests holds the lock on the default one.
fn attempts_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let target = repo_root().join("target/grader-selftest");
        match runner::build_tests(&repo_root(), "grader-fixtures", Some(&target)).unwrap() {
            Build::Ready(binary) => binary,
            Build::DoesNotCompile(message) => panic!("the attempts do not compile:\n{message}"),
        }
    })
}

fn attempt(stem: &str) -> Exercise {
    Exercise {
        id: stem.to_owned(),
        file: PathBuf::from(format!("src/grading/{stem}.rs")),
        title: String::new(),
        hints: Vec::new(),
        timeout_secs: Some(timeout_secs(stem)),
        chapter: 0,
    }
}

/// Seconds before an attempt times out: 2 for the endless loop, so it costs little; 6 for
/// the others, so that a blocked one is seen stuck (after `stuck::STALL`) before its limit;
/// 8 for the attempt that must first fill 1 GiB of memory, which a machine busy with other
/// programs can take a few seconds to give it (it then stops at the memory limit).
fn timeout_secs(stem: &str) -> u64 {
    match stem {
        "spins" => 2,
        "grows_without_bound" => 8,
        _ => 6,
    }
}

/// The grader kills every descendant of this process after each exercise and counts them
/// all as the exercise's, so no other test may run a child process meanwhile: every test
/// of xtask that starts one takes this turn (the browser's tests too).
pub fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Grades one attempt and checks that nothing of it is left running. One at a time: the
/// grader sweeps up *all* of this process's descendants after each exercise, as it does
/// when grading for real, one exercise after another.
fn grade(stem: &str) -> Outcome {
    let _turn = one_at_a_time();
    let outcome = runner::run_exercise(&repo_root(), attempts_binary(), &attempt(stem)).unwrap();
    assert!(
        outcome.elapsed < Duration::from_secs(10),
        "{stem} took {:?}",
        outcome.elapsed
    );
    let children = support::proc::children(std::process::id() as i32);
    assert!(
        children.is_empty(),
        "{stem} left processes (or zombies) behind: {children:?}"
    );
    outcome
}

#[test]
fn a_pass_and_a_failure_and_a_todo() {
    assert_eq!(grade("passes").verdict, Verdict::Passed);
    let failed = grade("fails").verdict;
    assert!(
        failed.reason().contains("one and one make two"),
        "{failed:?}"
    );
    assert_eq!(grade("still_todo").verdict, Verdict::NotStarted);
}

#[test]
fn a_deadlock_is_reported_as_blocked() {
    let verdict = grade("deadlocks").verdict;
    assert_eq!(verdict.label(), "stuck", "{verdict:?}");
    assert!(
        verdict.reason().contains("probably a deadlock") && verdict.reason().contains("(futex)"),
        "{}",
        verdict.reason()
    );
}

#[test]
fn a_read_from_a_silent_pipe_names_where_the_write_end_is_open() {
    let verdict = grade("blocks_on_a_pipe").verdict;
    assert_eq!(verdict.label(), "stuck", "{verdict:?}");
    let reason = verdict.reason();
    assert!(
        reason.contains("reading from a pipe, pipe:[")
            && reason.contains("its write end is still open in the test process (pid ")
            && reason.contains("this same process"),
        "{reason}"
    );
}

#[test]
fn a_long_sleep_is_named_as_sleeping() {
    let verdict = grade("sleeps_for_long").verdict;
    let reason = verdict.reason();
    assert!(
        reason.contains("Your code was sleeping") && !reason.contains("deadlock"),
        "{reason}"
    );
}

#[test]
fn a_panic_after_closing_stdout_and_stderr_is_shown() {
    let verdict = grade("closes_its_output_then_panics").verdict;
    assert_ne!(verdict.label(), "passed");
    let reason = verdict.reason();
    assert!(
        reason.contains("the answer is not ready")
            && reason.contains("closes_its_output_then_panics.rs"),
        "{reason}"
    );
}

#[test]
fn an_endless_loop_is_reported_as_spinning() {
    let verdict = grade("spins").verdict;
    assert_eq!(verdict.label(), "timed out");
    assert!(
        verdict.reason().contains("probably an endless loop"),
        "{}",
        verdict.reason()
    );
}

#[test]
fn a_fork_bomb_is_stopped() {
    let verdict = grade("forks_forever").verdict;
    assert!(matches!(verdict, Verdict::ForkBomb { .. }), "{verdict:?}");
}

#[test]
fn a_fork_bomb_in_a_test_rerun_in_its_own_group_is_stopped() {
    let outcome = grade("forks_in_a_rerun");
    assert!(
        matches!(outcome.verdict, Verdict::ForkBomb { .. }),
        "{:?}",
        outcome.verdict
    );
}

#[test]
fn exiting_with_status_zero_before_the_tests_end_is_a_failure() {
    let verdict = grade("exits_zero").verdict;
    assert_eq!(verdict.label(), "failed", "{verdict:?}");
    let reason = verdict.reason();
    assert!(
        reason.contains("ended with status 0 before these tests finished")
            && reason.contains("std::process::exit")
            && reason.contains("grading::exits_zero::answers_two")
            && reason.contains("grading::exits_zero::never_reached"),
        "{reason}"
    );
}

#[test]
fn nothing_the_code_sets_or_prints_forges_a_pass() {
    let forced = grade("sets_insta_force_pass").verdict;
    assert_eq!(forced.label(), "failed", "{forced:?}");
    assert!(
        forced.reason().contains("yours     3"),
        "{}",
        forced.reason()
    );
    let printed = grade("prints_a_fake_pass").verdict;
    assert_eq!(printed.label(), "failed", "{printed:?}");
    let written = grade("writes_ok_to_every_descriptor").verdict;
    assert_eq!(written.label(), "failed", "{written:?}");
    let read_back = grade("reads_the_results_back").verdict;
    assert_eq!(read_back.label(), "failed", "{read_back:?}");
    assert!(
        read_back
            .reason()
            .contains("grading::reads_the_results_back::b_answers_two"),
        "{}",
        read_back.reason()
    );
    let faked = grade("fakes_a_rerun_report").verdict;
    assert_eq!(faked.label(), "failed", "{faked:?}");
    assert!(
        faked.reason().contains("before the test finished"),
        "{}",
        faked.reason()
    );
    let marker = grade("sets_the_rerun_marker").verdict;
    assert_eq!(marker.label(), "failed", "{marker:?}");
    assert!(
        marker.reason().contains("the answer"),
        "{}",
        marker.reason()
    );
}

#[test]
fn memory_that_grows_without_bound_is_named() {
    let verdict = grade("grows_without_bound").verdict;
    assert!(
        matches!(verdict, Verdict::TooMuchMemory { .. }),
        "{verdict:?}"
    );
    assert!(
        verdict.reason().contains("more than 1024 MiB"),
        "{}",
        verdict.reason()
    );
}

#[test]
fn crashes_name_their_signal() {
    let segfault = grade("segfaults").verdict;
    assert!(segfault.reason().contains("SIGSEGV"), "{segfault:?}");
    let abort = grade("aborts").verdict;
    assert!(abort.reason().contains("SIGABRT"), "{abort:?}");
}

#[test]
fn leftovers_are_removed_and_reported() {
    let outcome = grade("leaves_things_behind");
    assert_eq!(outcome.verdict.label(), "failed", "{:?}", outcome.verdict);
    assert!(
        outcome
            .verdict
            .reason()
            .contains("left 1 process(es) running after the tests ended: sleep 600 (pid "),
        "{}",
        outcome.verdict.reason()
    );
    let left = outcome.left_behind.join("\n");
    assert!(left.contains("1 process(es) still running"), "{left}");
    assert!(left.contains("FIFO forgotten.fifo"), "{left}");
    assert!(left.contains("forgotten-shm"), "{left}");
    let shm = outcome
        .left_behind
        .iter()
        .find(|l| l.starts_with("/dev/shm/"))
        .expect("the shm object is listed");
    assert!(!Path::new(shm).exists(), "{shm} was removed");
}

#[test]
fn a_background_grandchild_left_in_the_group_fails() {
    let outcome = grade("leaves_a_grandchild");
    assert_eq!(outcome.verdict.label(), "failed", "{:?}", outcome.verdict);
    assert!(
        outcome.verdict.reason().contains("sleep 600 (pid "),
        "{}",
        outcome.verdict.reason()
    );
}

#[test]
fn a_compile_error_shows_the_compiler_message() {
    let _turn = one_at_a_time();
    let dir = std::env::temp_dir().join(format!("ptm-broken-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"broken\"\nedition = \"2021\"\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("src/lib.rs"),
        "pub fn f() -> u32 { \"not a number\" }\n",
    )
    .unwrap();
    let build = runner::build_tests(&dir, "broken", Some(&dir.join("target"))).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let Build::DoesNotCompile(message) = build else {
        panic!("a type error compiled")
    };
    assert!(
        message.contains("error[E0308]: mismatched types"),
        "{message}"
    );
    assert!(
        !message.contains("Compiling broken"),
        "cargo's progress lines are dropped:\n{message}"
    );
}
