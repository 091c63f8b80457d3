//! `cargo xtask list`: every exercise of every chapter with its state, and a progress bar.

use std::process::ExitCode;

use anyhow::Result;

use crate::catalog;
use crate::progress::{Progress, State};

pub fn run() -> Result<ExitCode> {
    let root = catalog::repo_root();
    let chapters = catalog::load(&root)?;
    let progress = Progress::load(&root)?;
    let mut passed = 0;
    let mut total = 0;
    let width = catalog::id_width(&chapters);
    let mut edited = 0;
    for chapter in &chapters {
        println!("Chapter {:02}", chapter.number);
        for exercise in &chapter.exercises {
            let state = progress.state(&exercise.id);
            let changed = progress.changed_since_graded(&exercise.id, &exercise.stub_path(&root));
            let mark = match state {
                _ if changed => "?",
                State::Passed => "✓",
                State::Failing => "✗",
                State::NotStarted => "·",
            };
            let label = if changed {
                format!("{}, edited", state.label())
            } else {
                state.label().to_owned()
            };
            println!(
                "  {mark} {:<width$} {label:<19} {}",
                exercise.id, exercise.title
            );
            // An edited file's old pass no longer counts: it may not pass now.
            passed += usize::from(state == State::Passed && !changed);
            edited += usize::from(changed);
            total += 1;
        }
    }
    println!(
        "\n{}  {passed}/{total} exercises passed",
        bar(passed, total, 30)
    );
    println!(
        "(states are from your last `cargo xtask grade` or `watch`; grade again to refresh them)"
    );
    if edited > 0 {
        println!(
            "? {edited} exercise file(s) changed since they were last graded (an edit, or \
             `git checkout`): `cargo xtask grade <id>` tells where they stand now"
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `[#########.....................]`
fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0);
    format!("[{}{}]", "#".repeat(filled), ".".repeat(width - filled))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bar_fills_in_proportion() {
        assert_eq!(super::bar(1, 3, 6), "[##....]");
        assert_eq!(super::bar(0, 0, 4), "[....]");
        assert_eq!(super::bar(3, 3, 4), "[####]");
    }
}
