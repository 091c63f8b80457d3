//! `cargo xtask verify`: the maintainer's proof that the book holds together. It checks
//! the static contracts, then grades every reference solution (each must pass) and every
//! shipped stub (each must fail: a test a stub passes is a test that cannot fail).

use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};

use crate::catalog::{self, Exercise};
use crate::{book, contracts, grade};

pub fn run() -> Result<ExitCode> {
    let root = catalog::repo_root();
    refuse_edited_stubs(&root)?;
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
        "each exercise has a stub, solution, test, snapshot and hint",
        contracts::exercises_are_complete(&root, &chapters),
    );
    section(
        "every {{#include}} in the book resolves",
        book::check_includes(&root)?,
    );

    let exercises: Vec<Exercise> = chapters.iter().flat_map(|c| c.exercises.clone()).collect();
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

    println!(
        "\nverify: {} exercises in {} chapters; {} problem(s)",
        exercises.len(),
        chapters.len(),
        problems.len()
    );
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Verify proves that the *shipped* stubs fail; a learner's edits would prove nothing.
fn refuse_edited_stubs(root: &Path) -> Result<()> {
    let output = Command::new("git")
        .current_dir(root)
        .args(["status", "--porcelain", "--", "exercises"])
        .output()
        .context("failed to run `git status` (verify needs a git checkout)")?;
    let changed = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!("`git status` failed: verify needs a git checkout of the book");
    }
    if !changed.trim().is_empty() {
        bail!(
            "exercises/ differs from the committed stubs, and verify must check the stubs as shipped:\n{}\n\
             Commit the change (maintainers), or check on a clean clone.",
            changed.trim_end()
        );
    }
    Ok(())
}
