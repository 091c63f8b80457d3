//! Building a chapter's test binary and running one exercise's tests in a sandbox of
//! processes: its own process group, a time limit, a process-count limit, and a sweep
//! that leaves nothing behind.
//!
//! Why not `cargo test` directly: one learner's deadlock must not stop the grading of the
//! next exercise, a fork bomb must not take the machine down, and a verdict must say
//! *what probably happened* (blocked or spinning, which signal), not just "failed".

use std::collections::HashSet;
use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use crate::catalog::Exercise;
use crate::sandbox::Sandbox;
use support::crash::Ending;

/// How many processes one exercise may have alive at once before it counts as a fork bomb.
pub const MAX_PROCESSES: usize = 64;

/// How much memory (resident, all its processes together) one exercise may use before it
/// is stopped: far above what any exercise needs, far below what would make the machine
/// swap or the kernel's out-of-memory killer pick a victim.
pub const MAX_MEMORY_MIB: u64 = 1024;

/// The result of compiling a chapter's tests.
#[derive(Debug)]
pub enum Build {
    /// The test executable.
    Ready(PathBuf),
    /// The compiler's own message, for the learner to read.
    DoesNotCompile(String),
}

/// Compiles `package`'s library tests without running them and returns the test binary.
/// `target_dir` overrides Cargo's build folder (a cargo already running holds the lock on
/// the default one).
pub fn build_tests(root: &Path, package: &str, target_dir: Option<&Path>) -> Result<Build> {
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .current_dir(root)
        .args([
            "test",
            "--lib",
            "--no-run",
            "--message-format=json-render-diagnostics",
            "--package",
            package,
        ])
        .stdin(Stdio::null());
    if let Some(dir) = target_dir {
        cargo.env("CARGO_TARGET_DIR", dir);
    }
    let output = cargo
        .output()
        .with_context(|| format!("failed to start `cargo test --no-run -p {package}`"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Ok(Build::DoesNotCompile(compiler_message(
            &String::from_utf8_lossy(&output.stderr),
        )));
    }
    let crate_name = package.replace('-', "_");
    for line in stdout.lines().filter(|l| l.starts_with('{')) {
        let message: serde_json::Value =
            serde_json::from_str(line).context("cargo printed invalid JSON")?;
        let is_our_test = message["reason"] == "compiler-artifact"
            && message["profile"]["test"] == true
            && message["target"]["name"] == crate_name.as_str();
        if let (true, Some(executable)) = (is_our_test, message["executable"].as_str()) {
            return Ok(Build::Ready(PathBuf::from(executable)));
        }
    }
    bail!("cargo built `{package}` but named no test executable")
}

/// Cargo's progress lines are noise next to a compile error; keep the compiler's words.
fn compiler_message(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|line| {
            let trimmed = line.trim_start();
            !(trimmed.starts_with("Compiling ")
                || trimmed.starts_with("Blocking ")
                || trimmed.starts_with("Finished "))
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// What happened when an exercise's tests ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    /// Every failing test stopped at a `todo!()`: the learner has not started.
    NotStarted,
    /// A test failed: the assertion or snapshot diff.
    Failed {
        reason: String,
    },
    /// Killed after the time limit; the diagnosis says whether it was blocked or spinning.
    TimedOut {
        limit: Duration,
        diagnosis: String,
    },
    /// Every thread of the learner's code was blocked, using no CPU, for
    /// [`crate::stuck::STALL`]: stopped then, without waiting for the time limit.
    Stuck {
        after: Duration,
        diagnosis: String,
    },
    /// The test process died of a signal (segfault, abort, ...).
    Crashed {
        signal: String,
    },
    /// More than [`MAX_PROCESSES`] processes at once.
    ForkBomb {
        seen: usize,
    },
    /// More than [`MAX_MEMORY_MIB`] of memory in use at once.
    TooMuchMemory {
        seen_mib: u64,
    },
    /// The chapter did not compile.
    DoesNotCompile {
        message: String,
    },
}

impl Verdict {
    pub fn passed(&self) -> bool {
        matches!(self, Self::Passed)
    }

    /// One word for tables and machine-readable output.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::NotStarted => "not started",
            Self::Failed { .. } => "failed",
            Self::TimedOut { .. } => "timed out",
            Self::Stuck { .. } => "stuck",
            Self::Crashed { .. } => "crashed",
            Self::ForkBomb { .. } => "fork bomb",
            Self::TooMuchMemory { .. } => "too much memory",
            Self::DoesNotCompile { .. } => "does not compile",
        }
    }

    /// The explanation shown under a verdict that is not a pass.
    pub fn reason(&self) -> String {
        match self {
            Self::Passed => String::new(),
            Self::NotStarted => NOT_STARTED.to_owned(),
            Self::Failed { reason } => reason.clone(),
            Self::TimedOut { limit, diagnosis } => {
                format!(
                    "still running after {} s, so it was stopped. {diagnosis}",
                    limit.as_secs()
                )
            }
            Self::Stuck { after, diagnosis } => format!(
                "nothing in it could run any more, so it was stopped after {:.1} s (its threads \
                 had all been waiting, with no CPU time, for {} s). {diagnosis}",
                after.as_secs_f64(),
                crate::stuck::STALL.as_secs()
            ),
            Self::Crashed { signal } => format!("the test process was killed by {signal}"),
            Self::ForkBomb { seen } => format!(
                "it had {seen} processes at once (the limit is {MAX_PROCESSES}): a fork in a loop, or a child that \
                 goes on running the parent's code instead of exiting. All of them were killed."
            ),
            Self::TooMuchMemory { seen_mib } => format!(
                "it used more than {MAX_MEMORY_MIB} MiB of memory ({seen_mib} MiB when it was \
                 stopped): something grows without bound, such as a Vec pushed to in a loop \
                 that never ends, or a buffer that is never drained."
            ),
            Self::DoesNotCompile { message } => format!("the chapter does not compile:\n{message}"),
        }
    }
}

/// The outcome of one exercise: verdict, how long it took, and everything it printed.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub verdict: Verdict,
    pub elapsed: Duration,
    pub output: String,
    /// What the tests left running or lying around, which the grader removed.
    pub left_behind: Vec<String>,
}

/// Runs `exercise`'s tests from `binary` in a process group of their own.
pub fn run_exercise(root: &Path, binary: &Path, exercise: &Exercise) -> Result<Outcome> {
    // Orphans of an exercise are re-parented to us rather than to init, so the sweep after
    // each exercise can find and end them. (Not being one only costs that sweep its orphans:
    // grading goes on.)
    let _ = support::child::become_subreaper();
    let start = Instant::now();
    // The verdict comes from the tests, not from the exit status: code that calls
    // `std::process::exit(0)` ends the binary with status 0 before any test reported.
    // So first ask which tests the exercise owns, then require each one's `ok`.
    let listed = match list_tests(root, binary, exercise)? {
        Ok(listed) => listed,
        Err(verdict) => {
            return Ok(Outcome {
                verdict,
                elapsed: start.elapsed(),
                output: String::new(),
                left_behind: Vec::new(),
            });
        }
    };
    let sandbox = Sandbox::new()?;
    let process_limit = process_limit();
    // The verdict's channel: each grading test reports `ok <test>` tagged under a key only
    // this run knows (see `support::sealed`), never through the stdout and stderr the
    // learner's code shares.
    let mut seal = support::sealed::Seal::new().context("failed to make the results channel")?;
    let mut command = Command::new(binary);
    // --include-ignored: the grader's own test data marks its hanging tests ignored so a
    // plain `cargo test` never runs them; the grader does.
    command
        .args([
            exercise.test_filter().as_str(),
            "--test-threads=1",
            "--include-ignored",
        ])
        .current_dir(root)
        // INSTA_UPDATE is the sandbox's (`new`: a mismatch is stored beside its snapshot
        // for the feedback to read, then removed).
        .env("INSTA_FORCE_PASS", "0")
        .env("INSTA_WORKSPACE_ROOT", root)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    sandbox.apply(&mut command);
    seal.hand_to(&mut command);
    let limit = nix::sys::resource::Resource::RLIMIT_NPROC;
    // SAFETY: the closure runs in the forked child before exec and only calls setrlimit, an
    // async-signal-safe system call; it touches no memory shared with other threads.
    unsafe {
        command.pre_exec(move || {
            nix::sys::resource::setrlimit(limit, process_limit, process_limit)
                .map_err(std::io::Error::from)
        });
    }
    // The time limit counts from here: listing the tests is the grader's time, not theirs.
    let running_since = Instant::now();
    let mut child = command
        .spawn()
        .with_context(|| format!("failed to start {}", binary.display()))?;
    let group = Pid::from_raw(child.id() as i32);
    let readers = [
        read_all(child.stdout.take().expect("piped")),
        read_all(child.stderr.take().expect("piped")),
    ];

    // A thread waits for the exit, so the verdict follows it at once rather than at the
    // next look (a sleep between looks added 7 ms to every grade, half a look on average).
    let exited = {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait());
        });
        rx
    };
    let mut stopped = None;
    let mut stuck = crate::stuck::Watch::new(binary);
    let status = loop {
        if stopped.is_none() {
            stopped = watch_over(group, running_since, exercise.timeout(), binary, &mut stuck);
        }
        let next_look = Duration::from_millis(if stopped.is_some() { 5 } else { 15 });
        match exited.recv_timeout(next_look) {
            Ok(status) => break status?,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => bail!("the test process's waiter died"),
        }
    };
    // The test process has ended: any process of the run still alive was left running by
    // it, in its group or escaped from it (setsid, a double fork). Name them, then end them.
    let still_running: Vec<String> = if stopped.is_none() {
        crate::processes::descendants()
            .iter()
            .map(crate::processes::describe)
            .collect()
    } else {
        Vec::new()
    };
    kill_group(group);
    crate::processes::sweep_descendants();
    let mut left_behind = Vec::new();
    if !still_running.is_empty() {
        left_behind.push(format!(
            "{} process(es) still running after the tests ended: {}",
            still_running.len(),
            still_running.join(", ")
        ));
    }
    left_behind.extend(sandbox.clean());
    let output = readers.map(join_reader).join("");
    let reports = seal
        .reports()
        .context("failed to read the tests' results")?;
    let mut verdict = match stopped {
        Some(stopped) => with_earlier_failure(stopped, &reports, &listed),
        None => judge(status.code(), status.signal(), &listed, &output, &reports),
    };
    if verdict.passed() && !still_running.is_empty() {
        // Starting processes is what these exercises teach; leaving one running is the bug.
        verdict = Verdict::Failed {
            reason: format!(
                "every test passed, but your code left {} process(es) running after the tests \
                 ended: {}. Wait for every child you start (waitpid, or Child::wait), and \
                 end the ones you no longer need. The grader has killed them.",
                still_running.len(),
                still_running.join(", ")
            ),
        };
    }
    Ok(Outcome {
        verdict,
        elapsed: start.elapsed(),
        output,
        left_behind,
    })
}

/// The full names of the tests `exercise` owns, as libtest lists them (`--list` runs no
/// test). Listing can only fail if the binary itself is broken; that is a verdict too.
fn list_tests(
    root: &Path,
    binary: &Path,
    exercise: &Exercise,
) -> Result<std::result::Result<Vec<String>, Verdict>> {
    let mut command = Command::new(binary);
    command
        .args([
            exercise.test_filter().as_str(),
            "--list",
            "--include-ignored",
        ])
        .current_dir(root);
    let listing = support::crash::run(&mut command, LIST_LIMIT)
        .with_context(|| format!("failed to start {}", binary.display()))?;
    let verdict = match listing.ending {
        Ending::Exited(0) => return Ok(Ok(listed_tests(&listing.stdout))),
        Ending::Signaled { signal, .. } => Verdict::Crashed {
            signal: crate::processes::signal_description(signal),
        },
        ending => Verdict::Failed {
            reason: format!(
                "listing this exercise's tests (`--list`, which runs none of them) {ending}:\n{}{}",
                listing.stdout, listing.stderr
            )
            .trim_end()
            .to_owned(),
        },
    };
    Ok(Err(verdict))
}

/// `grading::a::x: test` lines of `--list`; benchmarks are not tests.
fn listed_tests(listing: &str) -> Vec<String> {
    listing
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_owned)
        .collect()
}

/// Listing runs no learner code, so it is quick; the limit only guards a broken binary.
const LIST_LIMIT: Duration = Duration::from_secs(10);

/// One look at a running exercise: stops it (and says why) when it has too many
/// processes, uses too much memory, has been stuck for [`crate::stuck::STALL`], or has run
/// out of time.
fn watch_over(
    group: Pid,
    start: Instant,
    timeout: Duration,
    binary: &Path,
    stuck: &mut crate::stuck::Watch,
) -> Option<Verdict> {
    // Every descendant of the grader, not only the test's process group: a test that
    // re-runs itself isolated (`support::crash::rerun_test`) puts that copy, and all it
    // forks, in a process group of its own.
    let members = crate::processes::descendants();
    let memory_mib = crate::processes::resident_mib(&members);
    let verdict = if members.len() > MAX_PROCESSES {
        Verdict::ForkBomb {
            seen: members.len(),
        }
    } else if memory_mib > MAX_MEMORY_MIB {
        Verdict::TooMuchMemory {
            seen_mib: memory_mib,
        }
    } else if let Some(look) = stuck.stuck(&members) {
        Verdict::Stuck {
            after: start.elapsed(),
            diagnosis: format!("{} Its threads: {}.", look.cause(), look.describe()),
        }
    } else if start.elapsed() > timeout {
        let diagnosis = crate::processes::diagnose_hang(&members, start.elapsed(), binary);
        Verdict::TimedOut {
            limit: timeout,
            diagnosis,
        }
    } else {
        return None;
    };
    kill_group(group);
    crate::processes::kill_tree();
    Some(verdict)
}

/// RLIMIT_NPROC counts all of the user's tasks — threads included — so the limit is what
/// the user runs now plus the exercise's share. The kernel does not apply it to root, which
/// is why the grader also counts the group's processes while it waits.
fn process_limit() -> u64 {
    let uid = nix::unistd::getuid().as_raw();
    let tasks: i64 = procfs::process::all_processes()
        .map(|all| {
            all.flatten()
                .filter(|p| p.uid().is_ok_and(|u| u == uid))
                .filter_map(|p| p.stat().ok().map(|s| s.num_threads))
                .sum()
        })
        .unwrap_or(0);
    tasks.max(0) as u64 + (MAX_PROCESSES * 4) as u64
}

fn kill_group(group: Pid) {
    // ESRCH (no such group) just means everyone has already gone.
    let _ = killpg(group, Signal::SIGKILL);
}

fn read_all(mut pipe: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        let _ = tx.send(String::from_utf8_lossy(&bytes).into_owned());
    });
    rx
}

/// A process that escaped the group may still hold the pipe open; do not wait for it
/// forever.
fn join_reader(reader: mpsc::Receiver<String>) -> String {
    reader
        .recv_timeout(Duration::from_secs(2))
        .unwrap_or_default()
}

/// A run stopped (stuck or out of time) after one of its tests had already failed: the
/// verdict is that failure, shown from the sealed panic of the test's own thread (libtest
/// prints failures only at the end, which never came), and then why the run was stopped.
/// A panic on another thread (a helper the test waits for, or a learner's thread) may be
/// the cause or may have been expected, so it is shown after the reason, as a clue.
fn with_earlier_failure(stopped: Verdict, reports: &[String], listed: &[String]) -> Verdict {
    let panics: Vec<&str> = support::sealed::panics(reports).collect();
    let on_a_test_thread = panics.iter().find(|panic| {
        listed
            .iter()
            .any(|test| panic.starts_with(&format!("thread '{test}' panicked")))
    });
    if let Some(failed) = on_a_test_thread {
        return Verdict::Failed {
            reason: format!(
                "{}\nAfter that failure the run did not end, and was stopped: {}",
                crate::feedback::for_learner(failed),
                stopped.reason()
            ),
        };
    }
    let Some(last) = panics.last() else {
        return stopped;
    };
    let clue =
        format!("\nBefore it was stopped, this panic happened on one of its threads:\n{last}");
    match stopped {
        Verdict::TimedOut { limit, diagnosis } => Verdict::TimedOut {
            limit,
            diagnosis: diagnosis + &clue,
        },
        Verdict::Stuck { after, diagnosis } => Verdict::Stuck {
            after,
            diagnosis: diagnosis + &clue,
        },
        other => other,
    }
}

/// Turns a test run into a verdict. `code` and `signal` are how the test binary ended;
/// `listed` are the tests the exercise owns; `output` is what it printed (for failure
/// messages); `reports` are the lines its tests sent on the sealed channel (see
/// `support::sealed`). A pass needs status 0 and a sealed `ok <test>` for every listed test.
///
/// Nothing the learner's code prints or writes can forge a pass, since only a grading
/// test's guard knows the secret; nor can `exit(0)`, which leaves tests unreported. The
/// sealed panics name where the code panicked even when it closed its stdout and stderr.
pub fn judge(
    code: Option<i32>,
    signal: Option<i32>,
    listed: &[String],
    output: &str,
    reports: &[String],
) -> Verdict {
    let panics: Vec<&str> = support::sealed::panics(reports).collect();
    if let Some(signal) = signal {
        let mut signal = crate::processes::signal_description(signal);
        if let Some(first) = panics.first() {
            signal = format!("{signal}, after this panic:\n{first}");
        }
        return Verdict::Crashed { signal };
    }
    if listed.is_empty() {
        return Verdict::Failed {
            reason: NO_TESTS.to_owned(),
        };
    }
    let passed: HashSet<&str> = support::sealed::passed(reports).collect();
    let unreported: Vec<&str> = listed
        .iter()
        .map(String::as_str)
        .filter(|t| !passed.contains(t))
        .collect();
    if code == Some(0) && unreported.is_empty() {
        return Verdict::Passed;
    }
    let failures = failure_sections(output);
    if !failures.is_empty() && failures.iter().all(|f| f.contains("not yet implemented")) {
        return Verdict::NotStarted;
    }
    if !failures.is_empty() {
        return Verdict::Failed {
            reason: failures
                .iter()
                .map(|f| crate::feedback::for_learner(f))
                .collect::<Vec<_>>()
                .join("\n"),
        };
    }
    if let Some(first) = panics.first() {
        // A panic, but libtest could not print its report: the code closed its stdout or
        // stderr, or the process died before the summary.
        let verdict = Verdict::Failed {
            reason: crate::feedback::for_learner(first),
        };
        if first.contains("not yet implemented")
            && panics.iter().all(|p| p.contains("not yet implemented"))
        {
            return Verdict::NotStarted;
        }
        return verdict;
    }
    let status = code.map_or("an unknown status".to_owned(), |c| format!("status {c}"));
    let reason = if unreported.is_empty() {
        // Every test logged ok, yet the process did not end with status 0.
        format!(
            "every test passed, but the test process then ended with {status}: does your code \
             call std::process::exit, or leave a thread that panics?\n{}",
            output.trim()
        )
    } else {
        format!(
            "the test process ended with {status} before these tests finished: does your code \
             call std::process::exit?\n  {}\n{}",
            unreported.join("\n  "),
            output.trim()
        )
    };
    Verdict::Failed {
        reason: reason.trim_end().to_owned(),
    }
}

/// The `---- test stdout ----` sections libtest prints for each failing test.
fn failure_sections(output: &str) -> Vec<String> {
    let mut sections = Vec::new();
    let mut current: Option<String> = None;
    for line in output.lines() {
        if line.starts_with("---- ") && line.ends_with(" ----") {
            sections.extend(current.take());
            current = Some(format!(
                "{}\n",
                line.trim_matches(['-', ' ']).trim_end_matches(" stdout")
            ));
        } else if line == "failures:" || line.starts_with("test result:") {
            sections.extend(current.take());
        } else if let Some(section) = current.as_mut() {
            section.push_str(line);
            section.push('\n');
        }
    }
    sections.extend(current);
    sections
        .into_iter()
        .map(|s| s.trim_end().to_owned())
        .collect()
}

const NOT_STARTED: &str = "every test stops at a `todo!()`: replace it with your code.";
const NO_TESTS: &str =
    "no test matched this exercise; the grading tests are missing (run `cargo xtask verify`).";

#[cfg(test)]
mod tests {
    use super::*;

    const TODO_RUN: &str = "running 2 tests\ntest grading::a::x ... FAILED\ntest grading::a::y ... FAILED\n\nfailures:\n\n---- grading::a::x stdout ----\n\nthread 'grading::a::x' panicked at src/a.rs:3:5:\nnot yet implemented: write this\n\n---- grading::a::y stdout ----\n\nthread 'grading::a::y' panicked at src/a.rs:9:5:\nnot yet implemented\n\nfailures:\n    grading::a::x\n    grading::a::y\n\ntest result: FAILED. 0 passed; 2 failed";

    fn listed(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    fn passing_reports() -> Vec<String> {
        vec!["ok grading::a::x".into(), "ok grading::a::y".into()]
    }

    const PASSING_RUN: &str = "\nrunning 2 tests\ntest grading::a::x ... ok\ntest grading::a::y ... ok\n\ntest result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 5 filtered out; finished in 0.01s\n\n";

    #[test]
    fn todo_everywhere_is_not_started() {
        let both = listed(&["grading::a::x", "grading::a::y"]);
        assert_eq!(
            judge(Some(101), None, &both, TODO_RUN, &[]),
            Verdict::NotStarted
        );
    }

    #[test]
    fn a_real_failure_keeps_its_message() {
        let run = TODO_RUN.replacen(
            "not yet implemented: write this",
            "assertion `left == right` failed",
            1,
        );
        let both = listed(&["grading::a::x", "grading::a::y"]);
        let Verdict::Failed { reason } = judge(Some(101), None, &both, &run, &[]) else {
            panic!("should fail")
        };
        assert!(reason.starts_with("grading::a::x\n"), "{reason}");
        assert!(
            reason.contains("assertion `left == right` failed"),
            "{reason}"
        );
    }

    #[test]
    fn signals_and_empty_runs_are_named() {
        let one = listed(&["grading::a::x"]);
        assert_eq!(judge(None, Some(11), &one, "", &[]).label(), "crashed");
        assert!(
            judge(None, Some(11), &one, "", &[])
                .reason()
                .contains("SIGSEGV")
        );
        let none = judge(Some(0), None, &[], "running 0 tests\n", &[]);
        assert_eq!(none.label(), "failed");
        assert!(none.reason().contains("no test matched"), "{none:?}");
    }

    #[test]
    fn a_pass_needs_every_listed_test_ok_in_the_log() {
        let both = listed(&["grading::a::x", "grading::a::y"]);
        assert_eq!(
            judge(Some(0), None, &both, PASSING_RUN, &passing_reports()),
            Verdict::Passed
        );
        let three = listed(&["grading::a::x", "grading::a::y", "grading::a::z"]);
        let Verdict::Failed { reason } =
            judge(Some(0), None, &three, PASSING_RUN, &passing_reports())
        else {
            panic!("a listed test that never reported cannot pass")
        };
        assert!(reason.contains("\n  grading::a::z\n"), "{reason}");
        assert_eq!(
            judge(Some(1), None, &both, PASSING_RUN, &passing_reports()).label(),
            "failed"
        );
    }

    #[test]
    fn printed_results_are_not_results() {
        // Code under test that prints libtest's lines and exits 0 wrote nothing to the log.
        let both = listed(&["grading::a::x", "grading::a::y"]);
        let verdict = judge(Some(0), None, &both, PASSING_RUN, &[]);
        assert_eq!(verdict.label(), "failed");
        let printed_log_lines = format!("{PASSING_RUN}ok grading::a::x\nok grading::a::y\n");
        assert_eq!(
            judge(Some(0), None, &both, &printed_log_lines, &[]).label(),
            "failed"
        );
    }

    #[test]
    fn a_sealed_panic_is_shown_when_nothing_was_printed() {
        // Code that closed its stdout and stderr, then panicked: libtest printed nothing.
        let one = listed(&["grading::a::x"]);
        let panic = "panic thread 'grading::a::x' panicked at src/x.rs:3:5:\nboom".to_owned();
        let verdict = judge(Some(101), None, &one, "", std::slice::from_ref(&panic));
        assert_eq!(verdict.label(), "failed");
        assert!(verdict.reason().contains("boom"), "{verdict:?}");
        let crashed = judge(None, Some(6), &one, "", &[panic]);
        assert!(crashed.reason().contains("SIGABRT"), "{crashed:?}");
        assert!(crashed.reason().contains("src/x.rs:3:5"), "{crashed:?}");
    }

    #[test]
    fn exit_zero_before_the_tests_end_is_a_failure() {
        // What `std::process::exit(0)` in the learner's code leaves: the first test's
        // name, no `ok`, no summary, and status 0.
        let both = listed(&["grading::a::x", "grading::a::y"]);
        let run = "\nrunning 2 tests\ntest grading::a::x ... ";
        let verdict = judge(Some(0), None, &both, run, &[]);
        assert_eq!(verdict.label(), "failed");
        let reason = verdict.reason();
        assert!(
            reason.starts_with(
                "the test process ended with status 0 before these tests finished: does your code \
                 call std::process::exit?\n  grading::a::x\n  grading::a::y"
            ),
            "{reason}"
        );
    }

    #[test]
    fn the_listing_is_read() {
        let listing = "grading::a::x: test\ngrading::a::y: test\ngrading::a::b: bench\n\n2 tests, 1 benchmark\n";
        assert_eq!(
            listed_tests(listing),
            listed(&["grading::a::x", "grading::a::y"])
        );
    }
}
