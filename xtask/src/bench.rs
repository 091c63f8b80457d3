//! `cargo xtask bench`: how long a learner waits between saving an exercise and reading
//! its verdict, with `cargo xtask grade 01` and with `cargo xtask watch`. A benchmark, not
//! a timed test: it reports the median and spread and asserts nothing.
//!
//! It edits a real exercise file (appending a comment, so Cargo must recompile) and puts
//! the file and the progress record back afterwards, even when a step fails.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::catalog;

/// The exercise edited: the first one of chapter 01.
const EXERCISE: &str = "exercises/ch01/src/proc_stat.rs";

pub fn run(runs: usize) -> Result<ExitCode> {
    let root = catalog::repo_root();
    crate::verify::refuse_edited_stubs(&root)?;
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
    println!(
        "(target: at most 1.5 × rustlings' compile-and-test overhead, about 0.5 s on this machine)"
    );
    Ok(ExitCode::SUCCESS)
}

fn edit(root: &Path, run: usize) -> Result<()> {
    let path = root.join(EXERCISE);
    let mut file = std::fs::OpenOptions::new().append(true).open(&path)?;
    writeln!(file, "// bench edit {run}")
        .with_context(|| format!("failed to edit {}", path.display()))
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
