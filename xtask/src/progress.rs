//! The learner's progress: the last verdict of each exercise, kept by exercise id in
//! `.progress.toml` (git-ignored), so it survives restarts and file renames.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

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
}

impl Progress {
    /// Reads `.progress.toml`; a missing file is a fresh start, a broken one is an error
    /// that says how to recover.
    pub fn load(root: &Path) -> Result<Self> {
        let path = root.join(".progress.toml");
        let states = match std::fs::read_to_string(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(e).with_context(|| format!("failed to read {}", path.display())),
            Ok(text) => {
                let raw: BTreeMap<String, String> = toml::from_str(&text).with_context(|| {
                    format!(
                        "{} is damaged; delete it and run `cargo xtask grade` to rebuild it",
                        path.display()
                    )
                })?;
                raw.into_iter()
                    .filter_map(|(id, state)| Some((id, State::parse(&state)?)))
                    .collect()
            }
        };
        Ok(Self { path, states })
    }

    pub fn state(&self, id: &str) -> State {
        self.states.get(id).copied().unwrap_or(State::NotStarted)
    }

    pub fn set(&mut self, id: &str, state: State) {
        self.states.insert(id.to_owned(), state);
    }

    /// Writes the file whole (it is a few lines): a crash mid-write loses one verdict at most.
    pub fn save(&self) -> Result<()> {
        let mut text =
            String::from("# Your progress through the exercises: `cargo xtask list` shows it.\n");
        for (id, state) in &self.states {
            text += &format!("{id:?} = {:?}\n", state.as_str());
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
        progress.save().unwrap();
        let again = Progress::load(&dir).unwrap();
        assert_eq!(
            (again.state("proc_stat"), again.state("ancestry")),
            (State::Passed, State::Failing)
        );
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
