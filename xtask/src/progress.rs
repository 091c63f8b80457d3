//! The learner's progress: the last verdict of each exercise, and how many of its hint
//! tiers were shown, kept by exercise id in `.progress.toml` (git-ignored), so it survives
//! restarts and file renames.
//!
//! The file is `<id> = "<state>"` lines, then a `[hints-shown]` table of
//! `<id> = <tiers shown>` and a `[graded-files]` table of `<id> = "<SHA-256 of the
//! exercise's file when it was last graded>"`, so that `list` can tell a file changed since
//! (by an edit, or by `git checkout exercises/`). A table with nothing in it is left out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::checksums::sha256_hex;
use crate::runner::Verdict;

/// Where an exercise stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum State {
    #[serde(rename = "not started")]
    NotStarted,
    #[serde(rename = "failing")]
    Failing,
    #[serde(rename = "passed")]
    Passed,
}

impl State {
    pub fn of(verdict: &Verdict) -> Self {
        match verdict {
            Verdict::Passed => Self::Passed,
            Verdict::NotStarted => Self::NotStarted,
            _ => Self::Failing,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NotStarted => "not started",
            Self::Failing => "failing",
            Self::Passed => "passed",
        }
    }
}

/// `.progress.toml`, field for field.
#[derive(Debug, Default, Serialize, Deserialize)]
struct ProgressFile {
    /// Each exercise's state, at the top of the file.
    #[serde(flatten)]
    states: BTreeMap<String, State>,
    /// `[hints-shown]`: a dash keeps the table's name apart from any exercise id.
    #[serde(
        rename = "hints-shown",
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    hints_shown: BTreeMap<String, usize>,
    /// `[graded-files]`: each exercise's file as last graded (its SHA-256).
    #[serde(
        rename = "graded-files",
        default,
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    graded_files: BTreeMap<String, String>,
}

/// Every exercise's last known state; exercises never graded are not started.
#[derive(Debug)]
pub struct Progress {
    path: PathBuf,
    file: ProgressFile,
}

impl Progress {
    /// Reads `.progress.toml`; a missing file is a fresh start, a broken one is an error
    /// that says how to recover.
    pub fn load(root: &Path) -> Result<Self> {
        let path = root.join(".progress.toml");
        let file = match std::fs::read_to_string(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => ProgressFile::default(),
            Err(e) => {
                return Err(e).with_context(|| format!("failed to read {}", path.display()));
            }
            Ok(text) => toml::from_str(&text).with_context(|| {
                format!(
                    "{} is damaged; delete it and run `cargo xtask grade` to rebuild it",
                    path.display()
                )
            })?,
        };
        Ok(Self { path, file })
    }

    pub fn state(&self, id: &str) -> State {
        self.file
            .states
            .get(id)
            .copied()
            .unwrap_or(State::NotStarted)
    }

    pub fn set(&mut self, id: &str, state: State) {
        self.file.states.insert(id.to_owned(), state);
    }

    /// Records `state` as the verdict on `file`'s present contents (the exercise's file).
    pub fn set_graded(&mut self, id: &str, state: State, file: &Path) {
        self.set(id, state);
        let graded_files = &mut self.file.graded_files;
        match std::fs::read(file) {
            Ok(bytes) => graded_files.insert(id.to_owned(), sha256_hex(&bytes)),
            Err(_) => graded_files.remove(id),
        };
    }

    /// Whether `file` differs from what was graded last (false when it was never graded
    /// or its contents were not recorded): its state may no longer hold.
    pub fn changed_since_graded(&self, id: &str, file: &Path) -> bool {
        self.file.graded_files.get(id).is_some_and(|graded| {
            std::fs::read(file).map_or(true, |bytes| sha256_hex(&bytes) != *graded)
        })
    }

    /// How many of `id`'s hint tiers the learner has seen.
    pub fn hints_shown(&self, id: &str) -> usize {
        self.file.hints_shown.get(id).copied().unwrap_or(0)
    }

    pub fn set_hints_shown(&mut self, id: &str, shown: usize) {
        self.file.hints_shown.insert(id.to_owned(), shown);
    }

    /// Writes the file whole (it is a few lines): a crash mid-write loses one verdict at most.
    pub fn save(&self) -> Result<()> {
        let text = toml::to_string(&self.file).context("failed to write the progress as TOML")?;
        std::fs::write(&self.path, format!("{HEADER}{text}"))
            .with_context(|| format!("failed to write {}", self.path.display()))
    }
}

/// The file's first lines, for a learner who opens it.
const HEADER: &str = "\
# Your progress through the exercises: `cargo xtask list` shows it. Each exercise's state,
# then the hint tiers `cargo xtask hint` has shown, then each exercise's file as last
# graded (SHA-256), to notice later edits.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_file() {
        let dir = std::env::temp_dir().join(format!("ptm-progress-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut progress = Progress::load(&dir).unwrap();
        assert_eq!(progress.state("proc_stat"), State::NotStarted);
        progress.set("proc_stat", State::Passed);
        progress.set(
            "ancestry",
            State::of(&Verdict::Failed {
                reason: String::new(),
            }),
        );
        progress.set_hints_shown("ancestry", 2);
        progress.save().unwrap();
        let again = Progress::load(&dir).unwrap();
        assert_eq!(
            (again.state("proc_stat"), again.state("ancestry")),
            (State::Passed, State::Failing)
        );
        assert_eq!(
            (
                again.hints_shown("ancestry"),
                again.hints_shown("proc_stat")
            ),
            (2, 0)
        );
        let text = std::fs::read_to_string(dir.join(".progress.toml")).unwrap();
        assert!(text.starts_with(HEADER), "{text}");
        assert!(
            text.contains("ancestry = \"failing\"\nproc_stat = \"passed\"\n"),
            "{text}"
        );
        assert!(text.contains("\n[hints-shown]\nancestry = 2\n"), "{text}");
        assert!(
            !text.contains("[graded-files]"),
            "an empty table is left out: {text}"
        );
        // A graded file edited afterwards (or put back by `git checkout`) is noticed.
        let file = dir.join("proc_stat.rs");
        std::fs::write(&file, "fn answer() {}").unwrap();
        let mut progress = Progress::load(&dir).unwrap();
        progress.set_graded("proc_stat", State::Passed, &file);
        progress.save().unwrap();
        let graded = Progress::load(&dir).unwrap();
        assert!(!graded.changed_since_graded("proc_stat", &file));
        assert!(!graded.changed_since_graded("never_graded", &file));
        std::fs::write(&file, "todo!()").unwrap();
        assert!(graded.changed_since_graded("proc_stat", &file));
        std::fs::write(dir.join(".progress.toml"), "not = [toml").unwrap();
        assert!(
            Progress::load(&dir)
                .unwrap_err()
                .to_string()
                .contains("is damaged")
        );
        std::fs::write(dir.join(".progress.toml"), "proc_stat = \"almost\"").unwrap();
        assert!(
            Progress::load(&dir)
                .unwrap_err()
                .to_string()
                .contains("is damaged")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// What the hand-formatted writer before the `toml` crate wrote: quoted keys, a comment
    /// above each table.
    #[test]
    fn files_written_before_read_the_same() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(".progress.toml"),
            "# Your progress through the exercises: `cargo xtask list` shows it.\n\
             \"ancestry\" = \"not started\"\n\"proc_stat\" = \"passed\"\n\
             \n# Hint tiers shown by `cargo xtask hint`.\n[hints-shown]\n\"proc_stat\" = 3\n\
             \n# Each exercise's file as last graded (SHA-256), to notice later edits.\n\
             [graded-files]\n\"proc_stat\" = \"ab12\"\n",
        )
        .unwrap();
        let progress = Progress::load(dir.path()).unwrap();
        assert_eq!(progress.state("proc_stat"), State::Passed);
        assert_eq!(progress.state("ancestry"), State::NotStarted);
        assert_eq!(progress.hints_shown("proc_stat"), 3);
        assert_eq!(progress.file.graded_files["proc_stat"], "ab12");
    }
}
