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
    let mut workspace_tests = vec!["test", "--workspace", "--locked"]
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
                &["doc", "--workspace", "--no-deps", "--locked"],
                &[("RUSTDOCFLAGS", "-D warnings")],
            )
        }),
    );
    step(
        "verify (solutions pass, stubs fail, contracts hold)",
        timed(|| Ok(verify::run(false)? == ExitCode::SUCCESS)),
    );
    step("book build", timed(|| book::run(false, 0).map(|()| true)));
    step(
        "the book in a real browser (diagrams, links, JavaScript, search)",
        timed(|| Ok(crate::book_check(None)? == ExitCode::SUCCESS)),
    );
    step(
        "the browser check catches ten faults put into a copy of the book",
        timed(|| Ok(crate::book_self_test()? == ExitCode::SUCCESS)),
    );

    let failed = results.iter().filter(|(_, passed)| !passed).count();
    println!();
    for (name, passed) in &results {
        println!("{} {name}", if *passed { "✓" } else { "✗" });
    }
    println!("test: {} passed, {failed} failed", results.len() - failed);
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
