//! Wrong attempts: plausible mistakes kept as grading data beside a chapter's tests, in
//! `tests/chNN/wrong/<id>/<mistake_slug>.rs`. Each holds, after its first line
//! `//! Wrong attempt: <mistake>.`, only the solution regions the mistake changes (see
//! [`crate::regions`]); spliced into the reference solution, they make a whole file.
//!
//! `cargo xtask verify` puts that file in the learner's place, grades it exactly as a
//! learner's file is graded, puts the stub back, and requires a verdict that rejects it: a
//! test a plausible mistake passes is a test that cannot tell it from a solution.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::catalog::{Chapter, Exercise};
use crate::grade;
use crate::runner::Verdict;

/// What an attempt's first line must start with.
pub const FIRST_LINE: &str = "//! Wrong attempt: ";

/// Each exercise needs at least this many.
pub const MIN_ATTEMPTS: usize = 2;

/// One wrong attempt at one exercise.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub exercise: Exercise,
    pub path: PathBuf,
    /// `<id>/<slug>` without `.rs`, for messages.
    pub name: String,
    /// The mistake, from the first line; `None` when the first line is not the contract's.
    pub mistake: Option<String>,
}

/// Where a chapter's attempts are kept: `tests/chNN/wrong/`.
fn chapter_folder(root: &Path, chapter: u32) -> PathBuf {
    root.join("tests")
        .join(format!("ch{chapter:02}"))
        .join("wrong")
}

/// The folder holding `exercise`'s attempts.
pub fn folder(root: &Path, exercise: &Exercise) -> PathBuf {
    folder_of(root, exercise.chapter, &exercise.id)
}

/// The folder holding the attempts at exercise `id` of chapter `chapter`.
pub fn folder_of(root: &Path, chapter: u32, id: &str) -> PathBuf {
    chapter_folder(root, chapter).join(id)
}

/// An attempt's file name without `.rs`: lower-case words joined by `_`.
fn is_slug(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('_')
        && !name.ends_with('_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The whole file graded for `attempt`: the solution with the attempt's regions spliced in.
pub fn graded_text(root: &Path, attempt: &Attempt) -> Result<String> {
    let solution_path = attempt.exercise.solution_path(root);
    let solution = std::fs::read_to_string(&solution_path)
        .with_context(|| format!("failed to read {}", solution_path.display()))?;
    let text = std::fs::read_to_string(&attempt.path)
        .with_context(|| format!("failed to read {}", attempt.path.display()))?;
    crate::regions::splice(&solution, &text)
        .map_err(|why| anyhow::anyhow!("{}: {why}", relative(root, &attempt.path)))
}

/// `exercise`'s attempts, by file name.
pub fn attempts(root: &Path, exercise: &Exercise) -> Vec<Attempt> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(folder(root, exercise))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let slug = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            Attempt {
                exercise: exercise.clone(),
                name: format!("{}/{slug}", exercise.id),
                mistake: mistake(&text),
                path,
            }
        })
        .collect()
}

/// The mistake named on the first line, without the trailing full stop.
fn mistake(text: &str) -> Option<String> {
    let named = text.lines().next()?.strip_prefix(FIRST_LINE)?.trim();
    let named = named.strip_suffix('.').unwrap_or(named).trim();
    (!named.is_empty()).then(|| named.to_owned())
}

/// The contract: at least [`MIN_ATTEMPTS`] per exercise, each named as a slug, naming its
/// mistake on its first line and holding only regions of the solution that it changes;
/// and no folder of attempts for an exercise that does not exist.
pub fn contract(root: &Path, chapters: &[Chapter], exercises: &[Exercise]) -> Vec<String> {
    let mut problems = Vec::new();
    for exercise in exercises {
        let found = attempts(root, exercise);
        if found.len() < MIN_ATTEMPTS {
            problems.push(format!(
                "exercise `{}`: {} wrong attempt(s) in {}, at least {MIN_ATTEMPTS} needed",
                exercise.id,
                found.len(),
                relative(root, &folder(root, exercise))
            ));
        }
        for attempt in &found {
            let file = relative(root, &attempt.path);
            if attempt.mistake.is_none() {
                problems.push(format!(
                    "{file}: the first line must be `{FIRST_LINE}<the mistake>.`"
                ));
            }
            let slug = attempt.name.rsplit('/').next().unwrap_or_default();
            if !is_slug(slug) {
                problems.push(format!(
                    "{file}: name it in lower-case words joined by `_` (like `split_on_whitespace.rs`)"
                ));
            }
            if let Err(error) = graded_text(root, attempt) {
                problems.push(format!("{error:#}"));
            }
        }
    }
    // Folders that match no exercise (a renamed id, a typo) would silently prove nothing.
    for chapter in chapters {
        for dir in read_dirs(&chapter_folder(root, chapter.number)) {
            let id = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !chapter.exercises.iter().any(|e| e.id == id) {
                problems.push(format!(
                    "{} belongs to no exercise (no id `{id}` in exercises/{}/info.toml)",
                    relative(root, &dir),
                    chapter.dir_name()
                ));
            }
        }
    }
    problems
}

fn read_dirs(folder: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// One attempt, graded.
#[derive(Debug)]
pub struct Tried {
    pub attempt: Attempt,
    pub verdict: Verdict,
    pub elapsed: Duration,
}

impl Tried {
    /// Failed, timed out, stuck, crashed, fork bomb or too much memory: the tests caught the
    /// mistake. A pass is a
    /// hole in the tests; a compile error or a `todo!()` proves nothing.
    pub fn rejected(&self) -> bool {
        matches!(
            self.verdict,
            Verdict::Failed { .. }
                | Verdict::TimedOut { .. }
                | Verdict::Stuck { .. }
                | Verdict::Crashed { .. }
                | Verdict::ForkBomb { .. }
                | Verdict::TooMuchMemory { .. }
        )
    }

    /// The line verify prints for it.
    pub fn line(&self) -> String {
        let mistake = self.attempt.mistake.as_deref().unwrap_or("(unnamed)");
        let (mark, what) = if self.rejected() {
            ("✓", "rejected")
        } else {
            ("✗", "NOT rejected")
        };
        format!(
            "{mark} {what} — {} — {mistake} [ch{:02}/{}, {:.1} s]",
            self.verdict.label(),
            self.attempt.exercise.chapter,
            self.attempt.name,
            self.elapsed.as_secs_f64()
        )
    }

    /// Why it counts as a problem, or `None` when it was rejected.
    pub fn problem(&self) -> Option<String> {
        if self.rejected() {
            return None;
        }
        let why = match &self.verdict {
            Verdict::Passed => {
                "passes: the tests cannot tell this mistake from a solution".to_owned()
            }
            Verdict::NotStarted => "stops at a `todo!()`, so it proves nothing".to_owned(),
            Verdict::DoesNotCompile { message } => format!(
                "does not compile, so it proves nothing (keep the stub's items and signatures):\n{}",
                message.lines().take(12).collect::<Vec<_>>().join("\n")
            ),
            other => format!("{}: {}", other.label(), other.reason()),
        };
        Some(format!(
            "ch{:02}/{}: {why}",
            self.attempt.exercise.chapter, self.attempt.name
        ))
    }
}

/// Grades every attempt at `exercises`, one at a time in the learner's place, calling
/// `report` as each verdict arrives. The stubs must be the committed ones (verify checks
/// that first); each is put back after its attempts, even on an error, a panic, Ctrl-C or
/// SIGTERM.
pub fn try_all(
    root: &Path,
    exercises: &[Exercise],
    mut report: impl FnMut(&Tried),
) -> Result<Vec<Tried>> {
    restore_on_signals();
    let mut tried = Vec::new();
    for exercise in exercises {
        let found = attempts(root, exercise);
        if found.is_empty() {
            continue;
        }
        // An attempt at one exercise may call another of its chapter (region_sizes uses
        // classify): those are graded as a learner who solved them correctly would have
        // them, so only this attempt's own mistake can make it fail.
        let siblings = exercises_of_chapter(root, exercise)?;
        let mut files: Vec<PathBuf> = siblings.iter().map(|e| e.stub_path(root)).collect();
        let stub = exercise.stub_path(root);
        files.retain(|f| *f != stub);
        files.push(stub.clone());
        let _restore = Swap::new(&files)?;
        for sibling in siblings.iter().filter(|e| e.id != exercise.id) {
            let solved = std::fs::read(sibling.solution_path(root)).with_context(|| {
                format!("failed to read {}", sibling.solution_path(root).display())
            })?;
            put(&sibling.stub_path(root), &solved)?;
        }
        for attempt in found {
            let text = graded_text(root, &attempt)?;
            put(&stub, text.as_bytes())?;
            let start = Instant::now();
            let graded = grade::grade(root, std::slice::from_ref(exercise), false, |_| {})?;
            let verdict = graded
                .into_iter()
                .next()
                .map(|g| g.outcome.verdict)
                .context("grading returned no verdict")?;
            let one = Tried {
                attempt,
                verdict,
                elapsed: start.elapsed(),
            };
            report(&one);
            tried.push(one);
        }
    }
    Ok(tried)
}

/// The stubs currently swapped out (their paths and committed texts), for the signal
/// thread.
static SWAPPED: Mutex<Vec<(PathBuf, Vec<u8>)>> = Mutex::new(Vec::new());

/// The signal that asked us to stop, or 0.
static CAUGHT: AtomicI32 = AtomicI32::new(0);

/// Writes `text` over a learner's file, unless a signal has asked us to stop: then the
/// signal thread is putting the stubs back and ending the process.
fn put(stub: &Path, text: &[u8]) -> Result<()> {
    let _held = SWAPPED.lock().unwrap_or_else(|e| e.into_inner());
    if CAUGHT.load(Ordering::SeqCst) != 0 {
        anyhow::bail!("interrupted");
    }
    std::fs::write(stub, text).with_context(|| format!("failed to write {}", stub.display()))
}

/// Keeps the committed stubs and puts them back when dropped.
struct Swap;

impl Swap {
    fn new(paths: &[PathBuf]) -> Result<Self> {
        let mut kept = Vec::new();
        for path in paths {
            let original = std::fs::read(path)
                .with_context(|| format!("failed to read {}", path.display()))?;
            kept.push((path.clone(), original));
        }
        *SWAPPED.lock().unwrap_or_else(|e| e.into_inner()) = kept;
        Ok(Self)
    }
}

impl Drop for Swap {
    fn drop(&mut self) {
        let mut swapped = SWAPPED.lock().unwrap_or_else(|e| e.into_inner());
        for (path, original) in swapped.drain(..) {
            put_back(&path, &original);
        }
    }
}

/// Every exercise of `exercise`'s chapter, itself included.
fn exercises_of_chapter(root: &Path, exercise: &Exercise) -> Result<Vec<Exercise>> {
    let chapters = crate::catalog::load(root)?;
    Ok(chapters
        .into_iter()
        .filter(|c| c.number == exercise.chapter)
        .flat_map(|c| c.exercises)
        .collect())
}

fn put_back(path: &Path, original: &[u8]) {
    if let Err(error) = std::fs::write(path, original) {
        eprintln!(
            "error: could not put the stub {} back ({error}); run `git checkout exercises/` to restore it",
            path.display()
        );
    }
}

/// Ctrl-C or SIGTERM in the middle of an attempt must not leave the attempt where the
/// stub belongs. The handler only records the signal (all a signal handler may safely
/// do); a thread notices, puts the stub back, ends what the grading started, and exits.
fn restore_on_signals() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};
        let action = SigAction::new(
            SigHandler::Handler(record_signal),
            SaFlags::SA_RESTART,
            SigSet::empty(),
        );
        for signal in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
            // SAFETY: the handler only stores into an atomic, which is async-signal-safe.
            let _ = unsafe { sigaction(signal, &action) };
        }
        std::thread::spawn(|| {
            loop {
                let signal = CAUGHT.load(Ordering::SeqCst);
                if signal != 0 {
                    let mut swapped = SWAPPED.lock().unwrap_or_else(|e| e.into_inner());
                    for (path, original) in swapped.drain(..) {
                        put_back(&path, &original);
                        eprintln!("\nstopped; {} is the stub again", path.display());
                    }
                    crate::processes::kill_tree();
                    crate::processes::sweep_descendants();
                    std::process::exit(128 + signal);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
    });
}

extern "C" fn record_signal(signal: libc::c_int) {
    CAUGHT.store(signal, Ordering::SeqCst);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mistake_is_read_from_the_first_line() {
        assert_eq!(
            mistake("//! Wrong attempt: splits on whitespace.\n//!\nfn f() {}").as_deref(),
            Some("splits on whitespace")
        );
        assert_eq!(mistake("//! Exercise `x`.\n"), None);
        assert_eq!(mistake("//! Wrong attempt: .\n"), None);
    }

    #[test]
    fn attempt_names_are_lower_case_words_joined_by_underscores() {
        assert!(is_slug("split_on_whitespace") && is_slug("off_by_1"));
        for bad in ["split-on-whitespace", "Split", "_x", "x_", ""] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn every_shipped_attempt_splices_into_its_solution() {
        let root = crate::catalog::repo_root();
        let chapters = crate::catalog::load(&root).unwrap();
        let exercises: Vec<Exercise> = chapters.iter().flat_map(|c| c.exercises.clone()).collect();
        assert_eq!(contract(&root, &chapters, &exercises), Vec::<String>::new());
    }

    #[test]
    fn the_shipped_attempts_name_their_mistakes() {
        let root = crate::catalog::repo_root();
        let chapters = crate::catalog::load(&root).unwrap();
        let proc_stat = crate::catalog::find(&chapters, "proc_stat").unwrap();
        let found = attempts(&root, proc_stat);
        assert!(found.len() >= MIN_ATTEMPTS, "{found:?}");
        assert!(found.iter().all(|a| a.mistake.is_some()), "{found:?}");
    }
}
