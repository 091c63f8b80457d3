//! `cargo xtask hint <id>`: hints in tiers, a nudge first and the full recipe last. Each
//! time it is asked, the next tier is shown; how many were shown is kept per exercise in
//! `.progress.toml`, so a learner who only needed the nudge is not shown the answer.

use std::process::ExitCode;

use anyhow::Result;

use crate::catalog::{self, Exercise};
use crate::progress::Progress;

pub fn run(id: &str, all: bool) -> Result<ExitCode> {
    let root = catalog::repo_root();
    let chapters = catalog::load(&root)?;
    let exercise = catalog::find(&chapters, id)?;
    let mut progress = Progress::load(&root)?;
    println!(
        "{} — {} (exercises/ch{:02}/{})\n",
        exercise.id,
        exercise.title,
        exercise.chapter,
        exercise.file.display()
    );
    let text = if all {
        every_tier(exercise, &mut progress)
    } else {
        next_tier(
            exercise,
            &mut progress,
            &format!("cargo xtask hint {}", exercise.id),
        )
    };
    println!("{text}");
    progress.save()?;
    Ok(ExitCode::SUCCESS)
}

/// The next tier not yet shown (the last one again once all were), headed with where it
/// stands; records it in `progress`, which the caller saves. `again` is how to ask again.
pub fn next_tier(exercise: &Exercise, progress: &mut Progress, again: &str) -> String {
    let tiers = exercise.hint_tiers();
    let Some(last) = tiers.len().checked_sub(1) else {
        return "This exercise has no hint.".to_owned();
    };
    let shown = progress.hints_shown(&exercise.id);
    let index = shown.min(last);
    progress.set_hints_shown(&exercise.id, index + 1);
    let heading = if index < last {
        format!(
            "hint {} of {} — ask again (`{again}`) for the next",
            index + 1,
            tiers.len()
        )
    } else if shown > last && tiers.len() > 1 {
        format!(
            "hint {} of {} — every hint has been shown; `cargo xtask hint {} --all` shows them all",
            index + 1,
            tiers.len(),
            exercise.id
        )
    } else {
        format!("hint {} of {} — the last one", index + 1, tiers.len())
    };
    format!("{heading}\n\n{}", wrapped(tiers[index]))
}

/// Every tier, each with its heading; all count as shown.
pub fn every_tier(exercise: &Exercise, progress: &mut Progress) -> String {
    let tiers = exercise.hint_tiers();
    progress.set_hints_shown(&exercise.id, tiers.len());
    tiers
        .iter()
        .enumerate()
        .map(|(i, tier)| format!("hint {} of {}\n\n{}", i + 1, tiers.len(), wrapped(tier)))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Hints are written as one line each in `info.toml`; a terminal shows them wrapped at
/// 100 columns, between words. Lines that start with a space (code) are left as they are.
const COLUMNS: usize = 100;

fn wrapped(text: &str) -> String {
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with(' ') || line.chars().count() <= COLUMNS {
            out.push(line.to_owned());
            continue;
        }
        let mut current = String::new();
        for word in line.split(' ') {
            let width = current.chars().count();
            if width > 0 && width + 1 + word.chars().count() > COLUMNS {
                out.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current += word;
        }
        out.push(current);
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exercise(hints: &[&str]) -> Exercise {
        Exercise {
            id: "x".into(),
            file: "src/x.rs".into(),
            title: String::new(),
            hints: hints.iter().map(|h| (*h).to_owned()).collect(),
            timeout_secs: None,
            chapter: 1,
        }
    }

    #[test]
    fn each_ask_shows_the_next_tier_then_stays_on_the_last() {
        let dir = std::env::temp_dir().join(format!("ptm-hint-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut progress = Progress::load(&dir).unwrap();
        let three = exercise(&["nudge", "step", "recipe"]);
        let first = next_tier(&three, &mut progress, "h");
        assert!(
            first.starts_with("hint 1 of 3 — ask again (`h`) for the next\n\nnudge"),
            "{first}"
        );
        assert!(next_tier(&three, &mut progress, "h").ends_with("\n\nstep"));
        let last = next_tier(&three, &mut progress, "h");
        assert!(
            last.starts_with("hint 3 of 3 — the last one\n\nrecipe"),
            "{last}"
        );
        let again = next_tier(&three, &mut progress, "h");
        assert!(
            again.contains("every hint has been shown") && again.ends_with("recipe"),
            "{again}"
        );
        let all = every_tier(&three, &mut progress);
        assert!(
            all.starts_with("hint 1 of 3\n\nnudge\n\nhint 2 of 3\n\nstep"),
            "{all}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn long_hints_wrap_at_100_columns_between_words() {
        let long = format!("{} end", "word ".repeat(40).trim_end());
        let text = wrapped(&format!(
            "{long}\n    code stays as it is {}",
            "x".repeat(99)
        ));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(
            lines[..3].iter().all(|l| l.chars().count() <= COLUMNS),
            "{text}"
        );
        assert_eq!(lines[..3].join(" "), long, "no word lost or split");
        assert!(lines[3].starts_with("    code stays"));
        let every = super::catalog::load(&super::catalog::repo_root()).unwrap();
        for exercise in every.iter().flat_map(|c| &c.exercises) {
            for tier in exercise.hint_tiers() {
                for line in wrapped(tier).lines().filter(|l| !l.starts_with(' ')) {
                    assert!(
                        line.chars().count() <= COLUMNS,
                        "{}: a word longer than a line? {line}",
                        exercise.id
                    );
                }
            }
        }
    }
}
