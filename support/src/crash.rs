//! Running something that may crash in a subprocess, and saying how it ended.
//!
//! A demonstration that kills its whole process (a segfault in a thread, an abort) must
//! not kill the lesson or the test showing it. So the lesson (or test) runs *itself* again
//! as a child process with an argument that says "do the crash", waits with a time limit,
//! and reports the child's exit code or the signal that killed it — by name.
//!
//! Output is captured in unlinked temporary files rather than pipes: a grandchild that
//! outlives a killed child cannot then keep us waiting for the end of a pipe.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// The environment variable a re-run test sees, so it knows it is the isolated copy.
pub const RERUN_ENV: &str = "SUPPORT_CRASH_RERUN";

/// How a child process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// It called `exit(code)` (or returned from `main`).
    Exited(i32),
    /// The kernel ended it with this signal; `core_dumped` when a core file was requested.
    Signaled { signal: i32, core_dumped: bool },
    /// It ran past the time limit and was killed with `SIGKILL`.
    TimedOut,
}

impl Ending {
    /// True for `Exited(0)` only.
    pub fn success(&self) -> bool {
        *self == Ending::Exited(0)
    }
}

impl fmt::Display for Ending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ending::Exited(code) => write!(f, "exited with status {code}"),
            Ending::Signaled {
                signal,
                core_dumped,
            } => {
                write!(
                    f,
                    "killed by signal {signal} ({}: {})",
                    signal_name(*signal),
                    signal_meaning(*signal)
                )?;
                if *core_dumped {
                    write!(f, ", core dumped")?;
                }
                Ok(())
            }
            Ending::TimedOut => write!(f, "did not finish in time and was killed"),
        }
    }
}

/// A finished child: how it ended, what it printed, how long it took.
#[derive(Debug, Clone)]
pub struct Finished {
    pub ending: Ending,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    /// What a re-run test reported on its sealed channel (see [`crate::sealed`]): its `ok`,
    /// its [`report`]s and its panics. Empty for other runs.
    pub reports: Vec<String>,
}

/// Runs `command` with stdout and stderr captured, in a process group of its own, killing
/// it if it runs past `limit`. Whether it finished or not, the whole group is killed
/// afterwards: a child it forked and never ended cannot outlive the run.
pub fn run(command: &mut Command, limit: Duration) -> io::Result<Finished> {
    run_sealed(command, limit, None)
}

/// [`run`], and with a [`Seal`](crate::sealed::Seal): the child's sealed reports too.
fn run_sealed(
    command: &mut Command,
    limit: Duration,
    mut seal: Option<crate::sealed::Seal>,
) -> io::Result<Finished> {
    if let Some(seal) = &seal {
        seal.hand_to(command);
    }
    let mut out = capture_file()?;
    let mut err = capture_file()?;
    let start = Instant::now();
    command
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(err.try_clone()?);
    // With the `child` feature, Ctrl-C (after `child::reap_on_interrupt`) kills and reaps
    // this child's whole group too: it is in a group of its own, which the terminal's
    // Ctrl-C does not reach.
    #[cfg(feature = "child")]
    let mut child = crate::child::spawn_listed(command)?;
    #[cfg(not(feature = "child"))]
    let mut child = command.spawn()?;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if start.elapsed() > limit {
            kill_group(child.id());
            // Reap, so no zombie is left behind.
            child.wait()?;
            break None;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    kill_group(child.id());
    #[cfg(feature = "child")]
    crate::child::unregister(child.id() as i32);
    let elapsed = start.elapsed();
    let ending = match status {
        None => Ending::TimedOut,
        Some(status) => match (status.code(), status.signal()) {
            (Some(code), _) => Ending::Exited(code),
            (None, Some(signal)) => Ending::Signaled {
                signal,
                core_dumped: status.core_dumped(),
            },
            (None, None) => Ending::TimedOut,
        },
    };
    Ok(Finished {
        ending,
        stdout: read_back(&mut out)?,
        stderr: read_back(&mut err)?,
        elapsed,
        reports: match seal.as_mut() {
            Some(seal) => seal.reports()?,
            None => Vec::new(),
        },
    })
}

/// Sends SIGKILL to every process in the group led by `leader` (gone already is fine).
fn kill_group(leader: u32) {
    // SAFETY: kill(2) with a negative PID signals a process group; it reads no memory.
    unsafe {
        libc::kill(-(leader as libc::pid_t), libc::SIGKILL);
    }
}

/// Runs the current executable again with `args` (a lesson's hidden demonstration mode).
pub fn run_self(args: &[&str], limit: Duration) -> io::Result<Finished> {
    let exe = std::env::current_exe()?;
    run(Command::new(exe).args(args), limit)
}

/// Re-runs one test of the current test binary, alone, in a fresh process with
/// [`RERUN_ENV`] set. `test` is the test's full path (`grading::stem::name`).
///
/// Use it for a test that forks: libtest runs tests on threads, and forking from a
/// multi-threaded process is only safe for async-signal-safe code. In the re-run, the test
/// is the only one running, and [`is_rerun`] tells it to do the real work. It reports
/// back on a sealed channel ([`crate::sealed`]), never through what it prints.
pub fn rerun_test(test: &str, limit: Duration) -> io::Result<Finished> {
    let exe = std::env::current_exe()?;
    run_sealed(
        Command::new(exe)
            .args(["--exact", test, "--nocapture", "--test-threads=1"])
            .env(RERUN_ENV, "1"),
        limit,
        Some(crate::sealed::Seal::new()?),
    )
}

/// Re-runs one test alone, as [`rerun_test`] does, and returns what it printed if it
/// passed. Otherwise panics with what a learner needs first: the isolated copy's own panic
/// message (so an untouched `todo!()` still reads "not yet implemented", and a failed
/// assertion shows its own words), then how the copy ended and its output, indented so
/// that none of libtest's lines (`failures:`, `test result:`) can be taken for this test's
/// own. `on_timeout` says what probably makes the code hang.
pub fn isolated_test(test: &str, limit: Duration, on_timeout: &str) -> Finished {
    let run = rerun_test(test, limit).expect("start a copy of the test binary");
    let passed = crate::sealed::passed(&run.reports).any(|t| t == test);
    match run.ending {
        Ending::Exited(0) if passed => run,
        Ending::Exited(0) => panic!(
            "{}\n(the isolated run of this test exited with status 0 before the test \
             finished: does your code call std::process::exit? What it printed:)\n{}",
            panic_message(&run).unwrap_or_default(),
            indented(&run)
        ),
        Ending::TimedOut => panic!(
            "your code did not finish within {limit:?} and was killed: {on_timeout}\n\
             (what the isolated run of this test printed:)\n{}",
            indented(&run)
        ),
        ending => panic!(
            "{}\n(the isolated run of this test {ending}; what it printed:)\n{}",
            panic_message(&run).unwrap_or_else(|| format!(
                "the isolated run of this test {ending} without a panic message (did \
                 something replace the panic hook?)"
            )),
            indented(&run)
        ),
    }
}

/// The first panic of a run: `panicked at <where>:` and the message's lines — as sealed
/// by a re-run test, or else as printed, up to libtest's `note:` (a panic's message may
/// take several lines, as `assert_eq!`'s does).
pub fn panic_message(run: &Finished) -> Option<String> {
    if let Some(sealed) = crate::sealed::panics(&run.reports).next() {
        return Some(short_location(sealed));
    }
    let mut lines = run.stderr.lines().chain(run.stdout.lines());
    let header =
        lines.find(|line| line.starts_with("thread '") && line.contains(" panicked at "))?;
    let message: Vec<&str> = lines
        .take_while(|line| !line.starts_with("note: ") && !line.starts_with("stack backtrace:"))
        .collect();
    Some(short_location(&format!(
        "{header}\n{}",
        message.join("\n").trim_end()
    )))
}

/// `thread '…' panicked at <where>:\n<message>` as `panicked at <where>:\n<message>`, with
/// a test's file named from the repository's root: a test compiled into a crate names it
/// `<crate>/src/../../../tests/...`.
fn short_location(panic: &str) -> String {
    let at = panic
        .find("panicked at ")
        .map_or(panic, |start| &panic[start..]);
    match at.find("src/../../../") {
        Some(cut) if !at[..cut].contains('\n') => {
            format!("panicked at {}", &at[cut + "src/../../../".len()..])
        }
        _ => at.to_owned(),
    }
}

/// In an isolated re-run of a test: reports `value` under `label` on the sealed channel,
/// for the calling test to find with [`reported`]. Code under test that prints the same
/// words reports nothing.
pub fn report(label: &str, value: impl std::fmt::Display) {
    let line = format!("@@{label} {value}");
    if !crate::sealed::send(&line) {
        println!("\n{line} (not sealed: this run was not started by `rerun_test`)");
    }
}

/// The labels of a run's [`report`]s, in the order they came (a label twice means two
/// processes ran the reporting code).
pub fn report_labels(run: &Finished) -> Vec<&str> {
    run.reports
        .iter()
        .filter_map(|line| line.strip_prefix("@@")?.split(' ').next())
        .collect()
}

/// What the isolated copy [`report`]ed under `label`; panics, showing what the copy
/// printed, when it reported nothing under that label.
pub fn reported<'a>(run: &'a Finished, label: &str) -> &'a str {
    let marker = format!("@@{label} ");
    run.reports
        .iter()
        .find_map(|line| line.strip_prefix(&marker))
        .unwrap_or_else(|| panic!("the isolated run reported no {label:?}:\n{}", indented(run)))
}

/// A run's output, each line behind `    | `, so it cannot be mistaken for the caller's.
pub fn indented(run: &Finished) -> String {
    run.stdout
        .lines()
        .chain(run.stderr.lines())
        .filter(|line| !line.trim().is_empty())
        .map(|line| format!("    | {line}\n"))
        .collect()
}

/// True inside a test started by [`rerun_test`].
pub fn is_rerun() -> bool {
    // The environment at start: code under test that sets the marker must not turn the
    // next test into a re-run that reports and returns without checking anything.
    crate::startup_env::var(RERUN_ENV).is_some()
}

/// True when this process has no child left, running or a zombie: what a re-run copy
/// checks after the learner's code has forked. It only looks (`WNOWAIT`), so a zombie is
/// still there for whoever reaps it, and asking twice gives the same answer.
pub fn no_child_left() -> bool {
    // SAFETY: siginfo_t is a plain C struct, for which all-zero bytes are a valid value.
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    let flags = libc::WEXITED | libc::WSTOPPED | libc::WCONTINUED | libc::WNOHANG | libc::WNOWAIT;
    // SAFETY: waitid(2) writes only into `info`, which outlives the call; WNOHANG keeps it
    // from blocking and WNOWAIT from reaping. ECHILD means there is no child at all.
    let result = unsafe { libc::waitid(libc::P_ALL, 0, &mut info, flags) };
    result == -1 && io::Error::last_os_error().raw_os_error() == Some(libc::ECHILD)
}

/// The name of a signal number on this machine, e.g. `SIGSEGV` for 11 on x86-64.
pub fn signal_name(signal: i32) -> &'static str {
    SIGNALS
        .iter()
        .find(|(number, _, _)| *number == signal)
        .map_or("an unnamed signal", |(_, name, _)| name)
}

/// What a signal usually means, in a few words.
pub fn signal_meaning(signal: i32) -> &'static str {
    SIGNALS
        .iter()
        .find(|(number, _, _)| *number == signal)
        .map_or("see `man 7 signal`", |(_, _, meaning)| meaning)
}

/// An open, already-deleted temporary file: mode 0600, created exclusively, and gone from
/// the file system as soon as it is opened, so nothing is left behind even on a crash.
pub(crate) fn capture_file() -> io::Result<File> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let path = std::env::temp_dir().join(format!(
        "support-crash-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)?;
    std::fs::remove_file(&path)?;
    Ok(file)
}

fn read_back(file: &mut File) -> io::Result<String> {
    file.rewind()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// `(number, name, meaning)` of the signals a reader is likely to meet: each number and
/// name from libc's constant of that name (so a name cannot drift from its number, on any
/// architecture), and what it usually means in the book's words.
///
/// Not nix's `Signal::as_str`: support compiles nix only with its `child` feature, which
/// lesson-01 and chapters 01, 02, 06 and 07 (a learner's first builds) leave off; nix
/// would add 2.8 s to each of those builds, for names libc's constants already give.
macro_rules! signals {
    ($($name:ident: $meaning:literal,)*) => {
        &[$((libc::$name, stringify!($name), $meaning),)*]
    };
}

const SIGNALS: &[(i32, &str, &str)] = signals! {
    SIGHUP: "the terminal hung up",
    SIGINT: "interrupted, e.g. Ctrl-C",
    SIGQUIT: "quit, e.g. Ctrl-\\",
    SIGILL: "illegal instruction",
    SIGTRAP: "trace or breakpoint trap",
    SIGABRT: "aborted, e.g. by abort()",
    SIGBUS: "bus error: bad memory access",
    SIGFPE: "arithmetic error",
    SIGKILL: "killed; cannot be caught",
    SIGUSR1: "user-defined signal 1",
    SIGSEGV: "invalid memory reference",
    SIGUSR2: "user-defined signal 2",
    SIGPIPE: "wrote to a pipe with no reader",
    SIGALRM: "timer expired",
    SIGTERM: "asked to terminate",
    SIGCHLD: "a child stopped or ended",
    SIGCONT: "continue if stopped",
    SIGSTOP: "stopped; cannot be caught",
    SIGTSTP: "stopped at the terminal, e.g. Ctrl-Z",
    SIGXCPU: "CPU time limit exceeded",
    SIGXFSZ: "file size limit exceeded",
    SIGSYS: "bad system call",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_is_seen_until_it_is_reaped_and_looking_reaps_nothing() {
        // The test harness runs other tests' children beside this one, so only this
        // process's own view after its child is reaped is certain: ask in a fresh copy.
        if !is_rerun() {
            let run = rerun_test(
                "crash::tests::a_child_is_seen_until_it_is_reaped_and_looking_reaps_nothing",
                Duration::from_secs(10),
            )
            .unwrap();
            assert_eq!(reported(&run, "BEFORE"), "true", "{}", indented(&run));
            assert_eq!(reported(&run, "RUNNING"), "false", "{}", indented(&run));
            assert_eq!(
                reported(&run, "ZOMBIE"),
                "false false",
                "{}",
                indented(&run)
            );
            assert_eq!(reported(&run, "REAPED"), "true", "{}", indented(&run));
            return;
        }
        report("BEFORE", no_child_left());
        let mut child = Command::new("sleep").arg("0.2").spawn().unwrap();
        report("RUNNING", no_child_left());
        std::thread::sleep(Duration::from_millis(600));
        report("ZOMBIE", format!("{} {}", no_child_left(), no_child_left()));
        child.wait().unwrap();
        report("REAPED", no_child_left());
    }

    #[test]
    fn names_the_common_signals() {
        assert_eq!(signal_name(11), "SIGSEGV");
        assert_eq!(signal_name(6), "SIGABRT");
        assert_eq!(signal_name(99), "an unnamed signal");
        let killed = Ending::Signaled {
            signal: 9,
            core_dumped: false,
        };
        assert_eq!(
            killed.to_string(),
            "killed by signal 9 (SIGKILL: killed; cannot be caught)"
        );
    }

    #[test]
    fn a_sealed_panic_comes_before_anything_printed() {
        let run = Finished {
            ending: Ending::Signaled {
                signal: 6,
                core_dumped: false,
            },
            stdout: String::new(),
            stderr: "thread 'x' panicked at fake.rs:1:1:\nprinted by the code\n".into(),
            elapsed: Duration::ZERO,
            reports: vec![
                "panic thread 'grading::a::b' panicked at ex/src/../../../tests/ch05/a.rs:3:5:\n\
                 the real one"
                    .into(),
            ],
        };
        assert_eq!(
            panic_message(&run).unwrap(),
            "panicked at tests/ch05/a.rs:3:5:\nthe real one"
        );
    }

    #[test]
    fn finds_the_first_panic_message() {
        let run = Finished {
            ending: Ending::Exited(101),
            stdout: "running 1 test\nfailures:\n".into(),
            stderr: "\nthread 'grading::a::b' (42) panicked at ex/ch05/src/../../../tests/ch05/a.rs:3:5:\n\
                     assertion `left == right` failed: seed 7\n  left: 1\n right: 2\n\
                     note: run with `RUST_BACKTRACE=1`\n"
                .into(),
            elapsed: Duration::ZERO,
            reports: Vec::new(),
        };
        assert_eq!(
            panic_message(&run).unwrap(),
            "panicked at tests/ch05/a.rs:3:5:\nassertion `left == right` failed: seed 7\n  \
             left: 1\n right: 2"
        );
        assert!(
            indented(&run)
                .lines()
                .all(|line| line.starts_with("    | "))
        );
    }

    #[test]
    fn reports_exit_status_signal_and_timeout() {
        let limit = Duration::from_secs(5);
        let ok = run(Command::new("sh").args(["-c", "echo hi; exit 3"]), limit).unwrap();
        assert_eq!((ok.ending, ok.stdout.as_str()), (Ending::Exited(3), "hi\n"));
        let killed = run(Command::new("sh").args(["-c", "kill -SEGV $$"]), limit).unwrap();
        assert!(matches!(killed.ending, Ending::Signaled { signal: 11, .. }));
        let slow = run(Command::new("sleep").arg("5"), Duration::from_millis(100)).unwrap();
        assert_eq!(slow.ending, Ending::TimedOut);
    }
}
