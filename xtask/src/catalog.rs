//! The exercise catalogue: every chapter's `exercises/chNN/info.toml`, and where each
//! exercise's stub, solution, tests and snapshots live.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// Time limit for an exercise that sets none: a hang is stopped and explained within 10 s.
pub const DEFAULT_TIMEOUT_SECS: u64 = 8;

/// The workspace root: xtask lives one folder below it.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent folder")
        .to_path_buf()
}

/// One chapter's exercises, in the order a learner should do them.
#[derive(Debug, Clone)]
pub struct Chapter {
    /// The chapter number, as in `lesson-NN` and `cargo xtask grade NN`.
    pub number: u32,
    pub exercises: Vec<Exercise>,
}

impl Chapter {
    /// `ch01`: the folder name under exercises/, solutions/ and tests/.
    pub fn dir_name(&self) -> String {
        format!("ch{:02}", self.number)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InfoFile {
    exercise: Vec<Exercise>,
}

/// One exercise, as `info.toml` describes it (see the comment at the top of each file).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Stable name for commands and progress; never changes when the file is renamed.
    pub id: String,
    /// The learner's file, relative to the chapter's folder (`src/proc_stat.rs`).
    pub file: PathBuf,
    /// One line for `cargo xtask list`.
    pub title: String,
    /// Hints in tiers, shown one more each time `cargo xtask hint` is asked: a nudge first,
    /// the full recipe last. The maintainer check wants at least two.
    #[serde(default)]
    pub hints: Vec<String>,
    /// Wall-clock limit for the exercise's tests; [`DEFAULT_TIMEOUT_SECS`] when missing.
    #[serde(default)]
    pub timeout_secs: Option<u64>,
    /// Filled in from the folder the file was found in.
    #[serde(skip)]
    pub chapter: u32,
}

impl Exercise {
    /// The file's stem: also the name of its test module and the middle of its snapshots.
    pub fn stem(&self) -> String {
        self.file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// Every hint tier, nudge first (blank ones left out).
    pub fn hint_tiers(&self) -> Vec<&str> {
        self.hints
            .iter()
            .map(|h| h.trim())
            .filter(|h| !h.is_empty())
            .collect()
    }

    /// The libtest filter that selects exactly this exercise's tests.
    pub fn test_filter(&self) -> String {
        format!("grading::{}::", self.stem())
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS))
    }

    fn chapter_dir(&self) -> String {
        format!("ch{:02}", self.chapter)
    }

    /// The learner's copy.
    pub fn stub_path(&self, root: &Path) -> PathBuf {
        root.join("exercises")
            .join(self.chapter_dir())
            .join(&self.file)
    }

    pub fn solution_path(&self, root: &Path) -> PathBuf {
        root.join("solutions")
            .join(self.chapter_dir())
            .join(&self.file)
    }

    /// The grading tests, outside the learner's files.
    pub fn test_path(&self, root: &Path) -> PathBuf {
        root.join("tests")
            .join(self.chapter_dir())
            .join(format!("{}.rs", self.stem()))
    }

    /// Snapshot files this exercise owns: `tests/chNN/snapshots/chNN-<stem>-*.snap`.
    pub fn snapshot_paths(&self, root: &Path) -> Vec<PathBuf> {
        let dir = root
            .join("tests")
            .join(self.chapter_dir())
            .join("snapshots");
        let prefix = format!("{}-{}-", self.chapter_dir(), self.stem());
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                name.starts_with(&prefix) && name.ends_with(".snap")
            })
            .collect();
        found.sort();
        found
    }
}

/// Reads every `exercises/chNN/info.toml`, in chapter order.
pub fn load(root: &Path) -> Result<Vec<Chapter>> {
    let mut chapters = Vec::new();
    let dir = root.join("exercises");
    let entries =
        std::fs::read_dir(&dir).with_context(|| format!("failed to list {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(number) = name.strip_prefix("ch").and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        let info_path = path.join("info.toml");
        let text = std::fs::read_to_string(&info_path)
            .with_context(|| format!("failed to read {}", info_path.display()))?;
        let info: InfoFile = toml::from_str(&text)
            .with_context(|| format!("{} is not a valid exercise list", info_path.display()))?;
        let exercises = info
            .exercise
            .into_iter()
            .map(|e| Exercise {
                chapter: number,
                ..e
            })
            .collect();
        chapters.push(Chapter { number, exercises });
    }
    chapters.sort_by_key(|c| c.number);
    Ok(chapters)
}

/// The Cargo package holding chapter `number`'s stubs, or its solutions.
pub fn package(number: u32, solutions: bool) -> String {
    let kind = if solutions { "solutions" } else { "exercises" };
    format!("{kind}-{number:02}")
}

/// The exercise called `id`, or an error that says where the ids are listed.
pub fn find<'a>(chapters: &'a [Chapter], id: &str) -> Result<&'a Exercise> {
    chapters
        .iter()
        .flat_map(|c| &c.exercises)
        .find(|e| e.id == id)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "no exercise called `{id}`; {}`cargo xtask list` shows every exercise's id",
                did_you_mean(chapters, id)
            )
        })
}

/// `did you mean `proc_stat`? ` when an id is a slip away from `typed` (`proc-stat`,
/// `proc_sat`), else nothing. A slip is at most a third of the id's letters, and at
/// least 1, in edits (Levenshtein distance, with `-` read as `_`).
fn did_you_mean(chapters: &[Chapter], typed: &str) -> String {
    let typed = typed.to_lowercase().replace('-', "_");
    chapters
        .iter()
        .flat_map(|c| &c.exercises)
        .map(|e| (strsim::levenshtein(&typed, &e.id), &e.id))
        .filter(|(distance, id)| *distance <= (id.chars().count() / 3).max(1))
        .min()
        .map(|(_, id)| format!("did you mean `{id}`? "))
        .unwrap_or_default()
}

/// Picks what to grade: chapter numbers (`1`, `01`, `ch01`) and exercise ids; nothing
/// means all.
pub fn select(chapters: &[Chapter], targets: &[String]) -> Result<Vec<Exercise>> {
    if targets.is_empty() {
        return Ok(chapters.iter().flat_map(|c| c.exercises.clone()).collect());
    }
    let mut chosen: Vec<Exercise> = Vec::new();
    for target in targets {
        let number = target.strip_prefix("ch").unwrap_or(target);
        let found: Vec<Exercise> = match number.parse::<u32>() {
            Ok(number) => chapters
                .iter()
                .filter(|c| c.number == number)
                .flat_map(|c| c.exercises.clone())
                .collect(),
            Err(_) => chapters
                .iter()
                .flat_map(|c| &c.exercises)
                .filter(|e| &e.id == target)
                .cloned()
                .collect(),
        };
        if found.is_empty() {
            bail!(
                "no chapter or exercise called `{target}`; {}a chapter number with exercises ({}) \
                 or an exercise id (`cargo xtask list` shows them all)",
                match did_you_mean(chapters, target).as_str() {
                    "" => "give ".to_owned(),
                    suggestion => format!("{suggestion}Otherwise give "),
                },
                chapters
                    .iter()
                    .map(|c| format!("{:02}", c.number))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        for exercise in found {
            if !chosen.iter().any(|e| e.id == exercise.id) {
                chosen.push(exercise);
            }
        }
    }
    Ok(chosen)
}

/// The width of the widest exercise id, for lining up tables (`threads_or_processes`).
pub fn id_width(chapters: &[Chapter]) -> usize {
    chapters
        .iter()
        .flat_map(|c| &c.exercises)
        .map(|e| e.id.chars().count())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_loads_and_selects() {
        let chapters = load(&repo_root()).unwrap();
        assert_eq!(chapters[0].number, 1);
        let by_chapter = select(&chapters, &["01".into()]).unwrap();
        assert_eq!(by_chapter.len(), chapters[0].exercises.len());
        let by_id = select(&chapters, &["proc_stat".into(), "1".into()]).unwrap();
        assert_eq!(by_id.len(), by_chapter.len(), "no exercise is picked twice");
        let error = select(&chapters, &["nope".into()]).unwrap_err().to_string();
        assert!(
            error.contains("no chapter or exercise called `nope`; give"),
            "{error}"
        );
        assert_eq!(
            select(&chapters, &["ch01".into()]).unwrap().len(),
            by_chapter.len()
        );
        for slip in ["proc-stat", "proc_sat", "Proc_Stat", "procstat"] {
            let error = select(&chapters, &[slip.into()]).unwrap_err().to_string();
            assert!(error.contains("did you mean `proc_stat`?"), "{error}");
        }
        let error = find(&chapters, "ancestor").unwrap_err().to_string();
        assert!(error.contains("did you mean `ancestry`?"), "{error}");
    }

    #[test]
    fn an_unknown_key_such_as_the_old_single_hint_is_refused() {
        let entry = "[[exercise]]\nid = \"x\"\nfile = \"src/x.rs\"\ntitle = \"X\"\n";
        assert!(toml::from_str::<InfoFile>(entry).is_ok());
        let error = toml::from_str::<InfoFile>(&format!("{entry}hint = \"all of it\"\n"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("unknown field `hint`"), "{error}");
    }
}
