//! `cargo xtask bench`: how long a learner waits between saving an exercise and reading
//! its verdict, with `cargo xtask grade 01` and with `cargo xtask watch`. A benchmark, not
//! a timed test: it reports the median and spread and asserts nothing.
//!
//! It edits a real exercise file (appending a comment, so Cargo must recompile) and puts
//! the file and the progress record back afterwards, even when a step fails.
//!
//! `--vs-rustlings` measures the same thing beside rustlings, the best-known tool of this
//! kind, in the same run: rustlings is installed into `.tools/` on first use, its exercises
//! set up in a temporary folder outside the repository, and the two are timed alternately (an edit, then
//! the verdict), each on an exercise that compiles and passes: rustlings' `tests2` with
//! its own solution, and `proc_stat` with the reference solution.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitCode, Stdio};
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
    let mut watcher = Watcher::start(&root)?;
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
    let ours = Summary::of(ours).context("no runs")?;
    let theirs = Summary::of(rustlings_times).context("no runs")?;
    println!(
        "save → verdict, {runs} pairs, alternately, on {}:",
        support::machine::kind()
    );
    println!("  cargo xtask grade {OURS}: {ours}");
    println!("  rustlings run {RUSTLINGS_EXERCISE}:        {theirs}");
    println!(
        "  ratio of the medians: {:.2}× rustlings (the goal: at most 0.75×)",
        ours.median.as_secs_f64() / theirs.median.as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
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
    fn start(root: &Path) -> Result<Self> {
        let mut child = Command::new(env!("CARGO"))
            .current_dir(root)
            .args(["xtask", "watch"])
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
