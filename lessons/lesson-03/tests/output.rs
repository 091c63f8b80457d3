//! What a reader sees when they run `cargo run -p lesson-03`, checked.
//!
//! PIDs and timings change on every run, so the snapshot holds the story's headings, and
//! the facts are checked as properties of the printed lines. Every run must also leave no
//! child behind: no zombie, no orphan.

use std::process::Command;

use insta_cmd::assert_cmd_snapshot;

const LESSON: &str = env!("CARGO_BIN_EXE_lesson-03");

/// PIDs of processes whose parent is `parent`.
fn children_of(parent: u32) -> Vec<i32> {
    support::proc::procfs::process::all_processes()
        .unwrap()
        .filter_map(|p| p.ok()?.stat().ok())
        .filter(|s| s.ppid == parent as i32)
        .map(|s| s.pid)
        .collect()
}

#[test]
fn tells_the_story_and_leaves_no_child_behind() {
    let child = Command::new(LESSON)
        .arg("--quick")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let lesson_pid = child.id();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "the lesson exits 0: {output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    support::testing::settings().bind(|| {
        insta::assert_snapshot!("lesson-03-headings", support::testing::headings(&stdout))
    });

    let has = |text: &str| assert!(stdout.contains(text), "missing {text:?} in:\n{stdout}");
    has("fork returned 0 here");
    has("who ran first after fork, in 20 forks: the parent ");
    has(&format!("parent (getppid) {lesson_pid}"));
    let same_parent = stdout
        .lines()
        .filter(|l| l.starts_with("  #") && l.ends_with("yes"))
        .filter(|l| l.split_whitespace().nth(2) == Some(&lesson_pid.to_string()))
        .count();
    assert_eq!(
        same_parent, 3,
        "three children report the lesson as parent:\n{stdout}"
    );
    has("Exited(pid, 7)");
    has("Signaled(pid, SIGKILL, false)");
    has("Z = zombie");
    has("after wait, /proc/");
    has("exists: false");
    has("increasing every time: true");
    has(&format!("its parent now: {lesson_pid} (lesson-03)"));
    has("the lesson reaps it: killed by SIGTERM");
    has("now running /bin/sh — same PID");
    has("exit status: 3");
    // Whether they overlapped depends on the machine's load; that it was measured does not.
    has("All three were running at once: ");
    // The copy-on-write table: the parent never sees a child's write.
    let cow_rows = stdout
        .lines()
        .filter(|l| {
            ["  nothing ", "  1 page in 4 ", "  every page "]
                .iter()
                .any(|r| l.starts_with(r))
        })
        .filter(|l| l.ends_with("yes"))
        .count();
    assert_eq!(cow_rows, 3, "{stdout}");
    has("fork + exit");
}

#[test]
fn ctrl_c_leaves_no_zombie() {
    use std::os::unix::process::ExitStatusExt;

    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    // The full-size run, interrupted while it has children: SIGINT to the lesson alone
    // (not its process group), so its handler, not the terminal, must end them.
    let mut lesson = Command::new(LESSON)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let lesson_pid = lesson.id();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let children = loop {
        let children = children_of(lesson_pid);
        if !children.is_empty() || std::time::Instant::now() > deadline {
            break children;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    };
    kill(Pid::from_raw(lesson_pid as i32), Signal::SIGINT).unwrap();
    let status = lesson.wait().unwrap();
    assert!(!children.is_empty(), "caught the lesson with children");
    assert_eq!(
        status.signal(),
        Some(2),
        "the lesson died of SIGINT: {status:?}"
    );
    for pid in children {
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            "child {pid} was killed and reaped, not left to PID 1"
        );
    }
}

#[test]
fn rejects_unknown_arguments() {
    assert_cmd_snapshot!("lesson-03-bad-arg", Command::new(LESSON).arg("--size=1"));
}

#[test]
fn explains_itself() {
    assert_cmd_snapshot!("lesson-03-help", Command::new(LESSON).arg("--help"));
}
