//! The learner's progress: the last verdict of each exercise, and how many of its hint
//! tiers were shown, kept by exercise id in `.progress.toml` (git-ignored), so it survives
//! restarts and file renames.
//!
//! The file is `"<id>" = "<state>"` lines, then a `[hints-shown]` table of
//! `"<id>" = <tiers shown>` and a `[graded-files]` table of `"<id>" = "<SHA-256 of the
//! exercise's file when it was last graded>"`, so that `list` can tell a file changed since
//! (by an edit, or by `git checkout exercises/`). Files written before either table still
//! read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::checksums::sha256_hex;
use crate::runner::Verdict;

/// Where an exercise stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    NotStarted,
    Failing,
    Passed,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not started",
            Self::Failing => "failing",
            Self::Passed => "passed",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [Self::NotStarted, Self::Failing, Self::Passed]
            .into_iter()
            .find(|s| s.as_str() == text)
    }

    pub fn of(verdict: &Verdict) -> Self {
        match verdict {
            Verdict::Passed => Self::Passed,
            Verdict::NotStarted => Self::NotStarted,
            _ => Self::Failing,
        }
    }

    pub fn label(self) -> &'static str {
        self.as_str()
    }
}

/// Every exercise's last known state; exercises never graded are not started.
#[derive(Debug)]
pub struct Progress {
    path: PathBuf,
    states: BTreeMap<String, State>,
    hints_shown: BTreeMap<String, usize>,
    graded_files: BTreeMap<String, String>,
}

/// The table of hint tiers shown; a dash keeps it apart from any exercise id.
const HINTS_SHOWN: &str = "hints-shown";
/// The table of each exercise's file as last graded (its SHA-256).
const GRADED_FILES: &str = "graded-files";

impl Progress {
    /// Reads `.progress.toml`; a missing file is a fresh start, a broken one is an error
    /// that says how to recover.
    pub fn load(root: &Path) -> Result<Self> {
        let path = root.join(".progress.toml");
        let mut progress = Self {
            states: BTreeMap::new(),
            hints_shown: BTreeMap::new(),
            graded_files: BTreeMap::new(),
            path,
        };
        let text = match std::fs::read_to_string(&progress.path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(progress),
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("failed to read {}", progress.path.display()));
            }
            Ok(text) => text,
        };
        let raw: toml::Table = toml::from_str(&text).with_context(|| {
            format!(
                "{} is damaged; delete it and run `cargo xtask grade` to rebuild it",
                progress.path.display()
            )
        })?;
        for (id, value) in raw {
            match value {
                toml::Value::String(state) => {
                    progress
                        .states
                        .extend(State::parse(&state).map(|s| (id, s)));
                }
                toml::Value::Table(shown) if id == HINTS_SHOWN => {
                    progress.hints_shown = shown
                        .into_iter()
                        .filter_map(|(id, n)| Some((id, usize::try_from(n.as_integer()?).ok()?)))
                        .collect();
                }
                toml::Value::Table(files) if id == GRADED_FILES => {
                    progress.graded_files = files
                        .into_iter()
                        .filter_map(|(id, hash)| Some((id, hash.as_str()?.to_owned())))
                        .collect();
                }
                _ => {}
            }
        }
        Ok(progress)
    }

    pub fn state(&self, id: &str) -> State {
        self.states.get(id).copied().unwrap_or(State::NotStarted)
    }

    pub fn set(&mut self, id: &str, state: State) {
        self.states.insert(id.to_owned(), state);
    }

    /// Records `state` as the verdict on `file`'s present contents (the exercise's file).
    pub fn set_graded(&mut self, id: &str, state: State, file: &Path) {
        self.set(id, state);
        match std::fs::read(file) {
            Ok(bytes) => self.graded_files.insert(id.to_owned(), sha256_hex(&bytes)),
            Err(_) => self.graded_files.remove(id),
        };
    }

    /// Whether `file` differs from what was graded last (false when it was never graded
    /// or its contents were not recorded): its state may no longer hold.
    pub fn changed_since_graded(&self, id: &str, file: &Path) -> bool {
        self.graded_files.get(id).is_some_and(|graded| {
            std::fs::read(file).map_or(true, |bytes| sha256_hex(&bytes) != *graded)
        })
    }

    /// How many of `id`'s hint tiers the learner has seen.
    pub fn hints_shown(&self, id: &str) -> usize {
        self.hints_shown.get(id).copied().unwrap_or(0)
    }

    pub fn set_hints_shown(&mut self, id: &str, shown: usize) {
        self.hints_shown.insert(id.to_owned(), shown);
    }

    /// Writes the file whole (it is a few lines): a crash mid-write loses one verdict at most.
    pub fn save(&self) -> Result<()> {
        let mut text =
            String::from("# Your progress through the exercises: `cargo xtask list` shows it.\n");
        for (id, state) in &self.states {
            text += &format!("{id:?} = {:?}\n", state.as_str());
        }
        if !self.hints_shown.is_empty() {
            text += &format!("\n# Hint tiers shown by `cargo xtask hint`.\n[{HINTS_SHOWN}]\n");
            for (id, shown) in &self.hints_shown {
                text += &format!("{id:?} = {shown}\n");
            }
        }
        if !self.graded_files.is_empty() {
            text += &format!(
                "\n# Each exercise's file as last graded (SHA-256), to notice later edits.\n\
                 [{GRADED_FILES}]\n"
            );
            for (id, hash) in &self.graded_files {
                text += &format!("{id:?} = {hash:?}\n");
            }
        }
        std::fs::write(&self.path, text)
            .with_context(|| format!("failed to write {}", self.path.display()))
    }
}

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
        // A file from before hint tiers: states only.
        std::fs::write(
            dir.join(".progress.toml"),
            "# Your progress\n\"proc_stat\" = \"failing\"\n",
        )
        .unwrap();
        let old = Progress::load(&dir).unwrap();
        assert_eq!(
            (old.state("proc_stat"), old.hints_shown("proc_stat")),
            (State::Failing, 0)
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
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
