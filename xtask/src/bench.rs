//! `cargo xtask bench`: how long a learner waits between saving an exercise and reading
//! its verdict, with `cargo xtask grade 01` and with `cargo xtask watch`. A benchmark, not
//! a timed test: it reports the median and spread and asserts nothing.
//!
//! It edits a real exercise file (appending a comment, so Cargo must recompile) and puts
//! the file and the progress record back afterwards, even when a step fails.
//!
//! `--vs-rustlings` measures the same thing beside rustlings, the best-known tool of this
//! kind, in the same run: rustlings is installed into `.tools/` on first use, its exercises
//! set up in a temporary folder outside the repository, and the two are timed alternately
//! (an edit, then the verdict), each on an exercise that compiles and passes: rustlings'
//! `tests2` with its own solution, and `proc_stat` with the reference solution. Both ways a
//! learner gets a verdict are timed: one command after saving (`cargo xtask grade` against
//! `rustlings run`), and watch mode, where the verdict follows the save (`cargo xtask watch`
//! against `rustlings`, which needs a terminal and is given a pseudo-terminal).

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use support::stats::Summary;

use crate::catalog;

/// The exercise edited: the first one of chapter 01.
const EXERCISE: &str = "exercises/ch01/src/proc_stat.rs";

pub fn run(runs: usize, vs_rustlings: bool) -> Result<ExitCode> {
    let root = catalog::repo_root();
    crate::verify::refuse_edited_stubs(&root)?;
    if vs_rustlings {
        return against_rustlings(&root, runs);
    }
    let _restore = Restore::new(&[root.join(EXERCISE), root.join(".progress.toml")])?;
    let cargo = env!("CARGO");
    println!("Warming up (first build)…");
    Command::new(cargo)
        .current_dir(&root)
        .args(["xtask", "grade", "01"])
        .output()?;

    let mut grade_times = Vec::new();
    for run in 0..runs {
        edit(&root, run)?;
        let start = Instant::now();
        Command::new(cargo)
            .current_dir(&root)
            .args(["xtask", "grade", "01"])
            .output()?;
        grade_times.push(start.elapsed());
    }
    report(
        "save → `cargo xtask grade 01` verdict (3 exercises)",
        grade_times,
    );

    let mut watch_times = Vec::new();
    let mut watcher = Watcher::start(&root, "01")?;
    watcher.next_verdict()?;
    for run in 0..runs {
        edit(&root, runs + run)?;
        let start = Instant::now();
        watcher.next_verdict()?;
        watch_times.push(start.elapsed());
    }
    watcher.quit();
    report(
        "save → `cargo xtask watch` verdict (1 exercise)",
        watch_times,
    );
    println!("(`cargo xtask bench --vs-rustlings` times the same against rustlings, alternately)");
    Ok(ExitCode::SUCCESS)
}

fn edit(root: &Path, run: usize) -> Result<()> {
    append_comment(&root.join(EXERCISE), run)
}

/// A change that makes Cargo recompile and changes nothing else.
fn append_comment(path: &Path, run: usize) -> Result<()> {
    let mut file = std::fs::OpenOptions::new().append(true).open(path)?;
    writeln!(file, "// bench edit {run}")
        .with_context(|| format!("failed to edit {}", path.display()))
}

/// The rustlings release compared with, and its exercise: one with tests, like ours.
const RUSTLINGS: (&str, &str) = ("rustlings", "6.5.0");
const RUSTLINGS_EXERCISE: &str = "tests2";
const RUSTLINGS_FILE: &str = "exercises/17_tests/tests2.rs";
const RUSTLINGS_SOLUTION: &str = "solutions/17_tests/tests2.rs";
/// Where rustlings keeps its progress; its third line names the current exercise, the one
/// its watch mode runs when that exercise's file is saved.
const RUSTLINGS_STATE: &str = ".rustlings-state.txt";
/// What rustlings prints when the current exercise passes.
const RUSTLINGS_PASSED: &str = "Exercise done";
/// Ours: one exercise, graded by id, with the reference solution in place.
const OURS: &str = "proc_stat";

fn against_rustlings(root: &Path, runs: usize) -> Result<ExitCode> {
    let tools = root.join(".tools");
    let rustlings = tools.join("bin").join(RUSTLINGS.0);
    if crate::book::installed_version(&rustlings).as_deref() != Some(RUSTLINGS.1) {
        println!(
            "Installing {} {} into {} to compare with (once; about a minute)…",
            RUSTLINGS.0,
            RUSTLINGS.1,
            tools.display()
        );
        crate::book::install(&tools, RUSTLINGS.0, RUSTLINGS.1)?;
    }
    let theirs = rustlings_exercises(&rustlings)?;
    let their_file = theirs.join(RUSTLINGS_FILE);
    let _restore = Restore::new(&[
        root.join(EXERCISE),
        root.join(".progress.toml"),
        their_file.clone(),
        theirs.join(RUSTLINGS_STATE),
    ])?;
    // Both sides graded on a correct answer: a compile error would be quicker to report.
    std::fs::copy(theirs.join(RUSTLINGS_SOLUTION), &their_file)?;
    std::fs::copy(
        root.join(EXERCISE.replacen("exercises", "solutions", 1)),
        root.join(EXERCISE),
    )?;
    let cargo = env!("CARGO");
    let rustlings_run = || -> Result<()> {
        let output = Command::new(&rustlings)
            .current_dir(&theirs)
            .args(["run", RUSTLINGS_EXERCISE])
            .stdin(Stdio::null())
            .output()
            .context("failed to run rustlings")?;
        if !output.status.success() {
            bail!(
                "`rustlings run {RUSTLINGS_EXERCISE}` failed on its own solution:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(())
    };
    let grade_run = || -> Result<()> {
        let output = Command::new(cargo)
            .current_dir(root)
            .args(["xtask", "grade", OURS])
            .stdin(Stdio::null())
            .output()
            .context("failed to run `cargo xtask grade`")?;
        if !output.status.success() {
            bail!(
                "`cargo xtask grade {OURS}` failed on the reference solution:\n{}",
                String::from_utf8_lossy(&output.stdout)
            );
        }
        Ok(())
    };
    println!("Warming up (first builds of both)…");
    rustlings_run()?;
    grade_run()?;
    let (mut ours, mut rustlings_times) = (Vec::new(), Vec::new());
    for run in 0..runs {
        // Alternately, so that whatever else the machine does falls on both alike.
        append_comment(&their_file, run)?;
        let start = Instant::now();
        rustlings_run()?;
        rustlings_times.push(start.elapsed());
        edit(root, run)?;
        let start = Instant::now();
        grade_run()?;
        ours.push(start.elapsed());
    }

    println!("Starting both watch modes…");
    let (mut our_watch, mut their_watch) = (Vec::new(), Vec::new());
    let mut watcher = Watcher::start(root, OURS)?;
    watcher.next_verdict()?;
    let mut rustlings_watch = RustlingsWatch::start(&rustlings, &theirs)?;
    rustlings_watch.next_verdict()?;
    for run in 0..runs {
        append_comment(&their_file, runs + run)?;
        let start = Instant::now();
        rustlings_watch.next_verdict()?;
        their_watch.push(start.elapsed());
        edit(root, runs + run)?;
        let start = Instant::now();
        watcher.next_verdict()?;
        our_watch.push(start.elapsed());
    }
    watcher.quit();
    drop(rustlings_watch);

    println!(
        "save → verdict, {runs} pairs of each, alternately, on {}:",
        support::machine::kind()
    );
    compare(
        "one command after saving",
        (&format!("cargo xtask grade {OURS}"), ours),
        (
            &format!("rustlings run {RUSTLINGS_EXERCISE}"),
            rustlings_times,
        ),
    )?;
    compare(
        "watch mode, the verdict following the save",
        ("cargo xtask watch", our_watch),
        ("rustlings (watch mode)", their_watch),
    )?;
    println!(
        "  After {OURS} passes, `watch` moves on to the next exercise of chapter 01: each later \
         save\n  rebuilds the chapter and grades that one. rustlings waits 200 ms after a change \
         for more\n  (DEBOUNCE_DURATION in its src/watch/notify_event.rs) before it builds."
    );
    println!("The goal: at most 0.75× rustlings.");
    Ok(ExitCode::SUCCESS)
}

/// Prints both sides' medians and spread and the ratio of the medians.
fn compare(
    what: &str,
    (our_name, ours): (&str, Vec<Duration>),
    (their_name, theirs): (&str, Vec<Duration>),
) -> Result<()> {
    let ours = Summary::of(ours).context("no runs")?;
    let theirs = Summary::of(theirs).context("no runs")?;
    let width = our_name.len().max(their_name.len()) + 1;
    println!("  {what}:");
    println!("    {:<width$} {ours}", format!("{our_name}:"));
    println!("    {:<width$} {theirs}", format!("{their_name}:"));
    println!(
        "    ratio of the medians: {:.2}× rustlings",
        ours.median.as_secs_f64() / theirs.median.as_secs_f64()
    );
    Ok(())
}

/// rustlings' exercises, set up by `rustlings init` in the temporary folder. Not inside
/// this repository: `rustlings init` run inside a Cargo workspace adds its folder to the
/// workspace's members (it edited this book's `Cargo.toml` when tried in `.tools/`).
fn rustlings_exercises(rustlings: &Path) -> Result<PathBuf> {
    let bench = std::env::temp_dir().join("ptm-rustlings-bench");
    let exercises = bench.join("rustlings");
    if !exercises.join(RUSTLINGS_SOLUTION).exists() {
        std::fs::create_dir_all(&bench)?;
        let status = Command::new(rustlings)
            .current_dir(&bench)
            .arg("init")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .status()
            .context("failed to run `rustlings init`")?;
        if !status.success() || !exercises.join(RUSTLINGS_SOLUTION).exists() {
            bail!(
                "`rustlings init` in {} did not set up its exercises",
                bench.display()
            );
        }
    }
    Ok(exercises)
}

fn report(what: &str, times: Vec<Duration>) {
    let mut times = times;
    times.sort();
    let runs = times.len();
    let median = times[runs / 2];
    println!(
        "{what}: median {:.2} s (min {:.2} s, max {:.2} s; {runs} runs)",
        median.as_secs_f64(),
        times[0].as_secs_f64(),
        times[runs - 1].as_secs_f64()
    );
}

/// `cargo xtask watch`, read line by line.
struct Watcher {
    child: Child,
    lines: BufReader<ChildStdout>,
}

impl Watcher {
    fn start(root: &Path, start_at: &str) -> Result<Self> {
        let mut child = Command::new(env!("CARGO"))
            .current_dir(root)
            .args(["xtask", "watch", start_at])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context("failed to start `cargo xtask watch`")?;
        let lines = BufReader::new(child.stdout.take().expect("piped"));
        Ok(Self { child, lines })
    }

    /// Waits for the next verdict line (`✓`, `✗` or `·` first).
    fn next_verdict(&mut self) -> Result<()> {
        let mut line = String::new();
        loop {
            line.clear();
            if self.lines.read_line(&mut line)? == 0 {
                bail!("`cargo xtask watch` stopped before printing a verdict");
            }
            if ["✓ ", "✗ ", "· "].iter().any(|mark| line.starts_with(mark)) {
                return Ok(());
            }
        }
    }

    fn quit(mut self) {
        if let Some(stdin) = self.child.stdin.as_mut() {
            let _ = stdin.write_all(b"q\n");
        }
        let _ = self.child.wait();
    }
}

/// rustlings in watch mode, in a pseudo-terminal (it draws a terminal interface and will
/// not start without one), with `tests2` made its current exercise.
struct RustlingsWatch {
    child: Child,
    master: std::fs::File,
    verdicts: mpsc::Receiver<()>,
}

impl RustlingsWatch {
    fn start(rustlings: &Path, exercises: &Path) -> Result<Self> {
        let state = exercises.join(RUSTLINGS_STATE);
        let text = std::fs::read_to_string(&state)
            .with_context(|| format!("failed to read {}", state.display()))?;
        let mut lines: Vec<&str> = text.split('\n').collect();
        if lines.len() < 3 || !lines[0].starts_with("DON'T EDIT") {
            bail!(
                "{} is not in the form rustlings {} writes",
                state.display(),
                RUSTLINGS.1
            );
        }
        lines[2] = RUSTLINGS_EXERCISE;
        std::fs::write(&state, lines.join("\n"))?;

        let size = nix::pty::Winsize {
            ws_row: 50,
            ws_col: 120,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let pty = nix::pty::openpty(&size, None).context("failed to open a pseudo-terminal")?;
        let mut command = Command::new(rustlings);
        command
            .current_dir(exercises)
            .stdin(Stdio::from(pty.slave.try_clone()?))
            .stdout(Stdio::from(pty.slave.try_clone()?))
            .stderr(Stdio::from(pty.slave));
        // SAFETY: runs in the forked child before exec and only makes system calls (setsid,
        // ioctl), which are async-signal-safe; it touches no memory shared with other threads.
        unsafe {
            command.pre_exec(|| {
                // The pseudo-terminal becomes the child's controlling terminal, as in a shell.
                nix::unistd::setsid()?;
                // SAFETY: TIOCSCTTY takes an integer argument; descriptor 0 is the terminal.
                if libc::ioctl(0, libc::TIOCSCTTY, 0) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().context("failed to start rustlings")?;
        let master = std::fs::File::from(pty.master);
        let mut reader = master.try_clone()?;
        let (tx, verdicts) = mpsc::channel();
        std::thread::spawn(move || {
            let mut seen = String::new();
            let mut chunk = [0u8; 4096];
            while let Ok(n @ 1..) = std::io::Read::read(&mut reader, &mut chunk) {
                seen.push_str(&String::from_utf8_lossy(&chunk[..n]));
                while let Some(at) = seen.find(RUSTLINGS_PASSED) {
                    seen.drain(..at + RUSTLINGS_PASSED.len());
                    if tx.send(()).is_err() {
                        return;
                    }
                }
                // Keep only what could be the start of the next marker.
                let keep = seen.len().saturating_sub(RUSTLINGS_PASSED.len());
                let keep = (keep..=seen.len())
                    .find(|&i| seen.is_char_boundary(i))
                    .unwrap_or(0);
                seen.drain(..keep);
            }
        });
        Ok(Self {
            child,
            master,
            verdicts,
        })
    }

    fn next_verdict(&mut self) -> Result<()> {
        self.verdicts
            .recv_timeout(Duration::from_secs(60))
            .context("rustlings' watch mode printed no verdict within a minute")
    }
}

/// Asks rustlings to quit, as a learner would, and kills it if it has not within 2 s (also
/// when the benchmark stops early on an error).
impl Drop for RustlingsWatch {
    fn drop(&mut self) {
        let _ = self.master.write_all(b"q");
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Puts files back as they were (or removes them if they did not exist) when dropped.
struct Restore {
    saved: Vec<(PathBuf, Option<Vec<u8>>)>,
}

impl Restore {
    fn new(paths: &[PathBuf]) -> Result<Self> {
        let saved = paths
            .iter()
            .map(|p| (p.clone(), std::fs::read(p).ok()))
            .collect();
        Ok(Self { saved })
    }
}

impl Drop for Restore {
    fn drop(&mut self) {
        for (path, bytes) in &self.saved {
            let _ = match bytes {
                Some(bytes) => std::fs::write(path, bytes),
                None => std::fs::remove_file(path),
            };
        }
    }
}
