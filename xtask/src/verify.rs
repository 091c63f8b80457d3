//! `cargo xtask verify`: the maintainer's proof that the book holds together. It checks
//! the static contracts, then grades every reference solution (each must pass, idle and
//! again with two CPU-bound threads running beside the grader), every
//! shipped stub (each must fail: a test a stub passes is a test that cannot fail), and
//! every wrong attempt in `tests/chNN/wrong/` (each must be rejected: a test a plausible
//! mistake passes cannot tell it from a solution).

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::catalog::{self, Exercise};
use crate::{book, contracts, grade, wrong};

/// What `verify` checks: everything, or only the wrong attempts of `targets` (chapter
/// numbers or exercise ids; none means every exercise).
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Rewrite tests/CHECKSUMS after changing a grading test or snapshot on purpose.
    #[arg(long)]
    pub update_checksums: bool,
    /// Only grade the wrong attempts in tests/chNN/wrong/ (of the chapters or exercises named).
    #[arg(long, conflicts_with = "update_checksums")]
    pub wrong_only: bool,
    /// Only grade the reference solutions with two CPU-bound threads running beside the
    /// grader (of the chapters or exercises named).
    #[arg(long, conflicts_with_all = ["update_checksums", "wrong_only"])]
    pub busy_only: bool,
    /// With --wrong-only or --busy-only: chapter numbers (`01`, `ch01`) or exercise ids.
    pub targets: Vec<String>,
}

pub fn run(args: &VerifyArgs) -> Result<ExitCode> {
    let root = catalog::repo_root();
    refuse_edited_stubs(&root)?;
    if args.wrong_only {
        return wrong_only(&root, &args.targets);
    }
    if args.busy_only {
        return busy_only(&root, &args.targets);
    }
    if !args.targets.is_empty() {
        bail!("naming chapters or exercises needs --wrong-only or --busy-only");
    }
    let started = Instant::now();
    let update_checksums = args.update_checksums;
    if update_checksums {
        crate::checksums::write(&root)?;
        println!("Wrote tests/CHECKSUMS.");
    }
    let chapters = catalog::load(&root)?;
    let pages = contracts::written_pages(&root).context("failed to read book/SUMMARY.md")?;

    let mut problems = Vec::new();
    let mut section = |title: &str, found: Vec<String>| {
        println!("{} {title}", if found.is_empty() { "✓" } else { "✗" });
        for problem in &found {
            println!("    {problem}");
        }
        problems.extend(found);
    };
    section(
        "each written chapter has one lesson crate, and each lesson a chapter",
        contracts::lessons_match_chapters(&root, &pages),
    );
    section(
        "each chapter with exercises has a page, solutions and tests",
        contracts::chapters_are_complete(&root, &pages, &chapters),
    );
    section(
        "each exercise has a stub, solution, test, snapshot and hints in tiers",
        contracts::exercises_are_complete(&root, &chapters),
    );
    section(
        "every {{#include}} in the book resolves",
        book::check_includes(&root)?,
    );
    section(
        "each chapter's crates leave debug info out of their test binaries",
        contracts::chapter_crates_link_lean(&root, &chapters),
    );
    let exercises: Vec<Exercise> = chapters.iter().flat_map(|c| c.exercises.clone()).collect();
    section(
        "each exercise has at least two wrong attempts, each naming its mistake",
        wrong::contract(&root, &chapters, &exercises),
    );

    let solutions = grade::grade(&root, &exercises, true, |_| {})?;
    section(
        "every reference solution passes its tests",
        solutions
            .iter()
            .filter(|g| !g.outcome.verdict.passed())
            .map(|g| {
                format!(
                    "{}: {}: {}",
                    g.exercise.id,
                    g.outcome.verdict.label(),
                    g.outcome.verdict.reason()
                )
            })
            .collect(),
    );
    section(
        "every reference solution passes with two CPU-bound threads running beside it",
        solutions_on_a_busy_machine(&root, &exercises)?,
    );
    let stubs = grade::grade(&root, &exercises, false, |_| {})?;
    section(
        "every untouched stub fails its tests",
        stubs
            .iter()
            .filter(|g| g.outcome.verdict.passed())
            .map(|g| {
                format!(
                    "{}: the stub passes, so its tests cannot fail",
                    g.exercise.id
                )
            })
            .collect(),
    );

    let (tried, seconds) = try_wrong_attempts(&root, &exercises)?;
    section(
        "every wrong attempt is rejected",
        tried.iter().filter_map(wrong::Tried::problem).collect(),
    );
    section(
        "the grader's own hostile and broken attempts get the right verdict within 10 s",
        grader_failure_modes(&root)?,
    );

    println!(
        "\nverify: {} exercises in {} chapters, {} wrong attempts (graded in {seconds:.0} s); \
         {} problem(s); {:.0} s in all",
        exercises.len(),
        chapters.len(),
        tried.len(),
        problems.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// How many CPU-bound threads the busy-machine grading runs beside the grader: as many as
/// this project's machines have cores, so every test thread competes for a core.
const BUSY_HOGS: usize = 2;

/// Grades every wrong attempt at `exercises`, one line each as it comes; returns them and
/// the seconds it took.
fn try_wrong_attempts(root: &Path, exercises: &[Exercise]) -> Result<(Vec<wrong::Tried>, f64)> {
    let started = Instant::now();
    println!("  wrong attempts, each graded in the learner's place (one rebuild each):");
    let tried = wrong::try_all(root, exercises, |t| println!("    {}", t.line()))?;
    Ok((tried, started.elapsed().as_secs_f64()))
}

/// Grades every reference solution of `exercises` with [`BUSY_HOGS`] CPU-bound threads
/// running beside the grader; one problem per solution that did not pass.
fn solutions_on_a_busy_machine(root: &Path, exercises: &[Exercise]) -> Result<Vec<String>> {
    let graded = {
        let _hogs = crate::busy::Hogs::start(BUSY_HOGS);
        grade::grade(root, exercises, true, |_| {})?
    };
    // The time to a verdict matters as much as the verdict: show the slowest ones.
    let mut by_time: Vec<&grade::Graded> = graded.iter().collect();
    by_time.sort_by_key(|g| std::cmp::Reverse(g.outcome.elapsed));
    let slowest: Vec<String> = by_time
        .iter()
        .take(5)
        .map(|g| format!("{} {:.1} s", g.exercise.id, g.outcome.elapsed.as_secs_f64()))
        .collect();
    println!("  slowest on the busy machine: {}", slowest.join(", "));
    Ok(graded
        .iter()
        .filter(|g| !g.outcome.verdict.passed())
        .map(|g| {
            format!(
                "{} (busy machine, {:.1} s): {}: {}",
                g.exercise.id,
                g.outcome.elapsed.as_secs_f64(),
                g.outcome.verdict.label(),
                g.outcome.verdict.reason()
            )
        })
        .collect())
}

/// The grader's own failure modes (`xtask/src/failure_modes.rs`: forged results, a
/// deadlock, a silent pipe, a long sleep, closed output, a fork bomb, memory without bound,
/// leftovers, ...), run as the tests they are; a failing one is a problem, with its words.
fn grader_failure_modes(root: &Path) -> Result<Vec<String>> {
    let output = std::process::Command::new(env!("CARGO"))
        .current_dir(root)
        .args([
            "test",
            "--quiet",
            "--package",
            "xtask",
            "--bin",
            "xtask",
            "--",
        ])
        .arg("failure_modes::")
        .stdin(std::process::Stdio::null())
        .output()
        .context("failed to run `cargo test -p xtask failure_modes`")?;
    if output.status.success() {
        return Ok(Vec::new());
    }
    let text = String::from_utf8_lossy(&output.stdout) + String::from_utf8_lossy(&output.stderr);
    Ok(vec![format!(
        "cargo test -p xtask failure_modes:: failed:\n{}",
        text.trim_end()
    )])
}

/// `verify --busy-only [targets]`: the busy-machine grading of the solutions, nothing else.
fn busy_only(root: &Path, targets: &[String]) -> Result<ExitCode> {
    let chapters = catalog::load(root)?;
    let exercises = catalog::select(&chapters, targets)?;
    let started = Instant::now();
    let problems = solutions_on_a_busy_machine(root, &exercises)?;
    for problem in &problems {
        println!("✗ {problem}");
    }
    println!(
        "\nverify --busy-only: {} reference solution(s) graded beside {BUSY_HOGS} CPU-bound \
         threads in {:.0} s; {} problem(s)",
        exercises.len(),
        started.elapsed().as_secs_f64(),
        problems.len()
    );
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `verify --wrong-only [targets]`: the attempts' contract and grading, nothing else.
fn wrong_only(root: &Path, targets: &[String]) -> Result<ExitCode> {
    let chapters = catalog::load(root)?;
    let exercises = catalog::select(&chapters, targets)?;
    let mut problems = wrong::contract(root, &chapters, &exercises);
    for problem in &problems {
        println!("✗ {problem}");
    }
    let (tried, seconds) = try_wrong_attempts(root, &exercises)?;
    problems.extend(tried.iter().filter_map(wrong::Tried::problem));
    println!(
        "\nverify --wrong-only: {} wrong attempts at {} exercise(s) in {seconds:.0} s; {} problem(s)",
        tried.len(),
        exercises.len(),
        problems.len()
    );
    for problem in tried.iter().filter_map(wrong::Tried::problem) {
        println!("✗ {problem}");
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Verify proves that the *shipped* stubs fail; a learner's edits would prove nothing.
pub fn refuse_edited_stubs(root: &Path) -> Result<()> {
    let changed = edited_stubs(root)?;
    if !changed.is_empty() {
        bail!(
            "exercises/ differs from the committed stubs, and verify must check the stubs as shipped:\n{changed}\n\
             Commit the change (maintainers), or check on a clean clone. If a verify was killed \
             while it graded a wrong attempt, `git checkout exercises/` puts the stubs back."
        );
    }
    Ok(())
}

/// `git status` of exercises/: empty when the stubs are as committed, else one line per
/// changed file (a learner's work, or a maintainer's uncommitted change).
pub fn edited_stubs(root: &Path) -> Result<String> {
    let output = Command::new("git")
        .current_dir(root)
        .args(["status", "--porcelain", "--", "exercises"])
        .output()
        .context("failed to run `git status` (verify needs a git checkout)")?;
    let changed = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!("`git status` failed: verify needs a git checkout of the book");
    }
    Ok(changed.trim_end().to_owned())
}
