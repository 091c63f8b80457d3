//! Wrong attempts: plausible mistakes kept as maintainer test data in
//! `xtask/wrong/chNN/<stem>/<mistake-slug>.rs`, each a complete replacement for
//! `exercises/chNN/src/<stem>.rs` whose first line is `//! Wrong attempt: <mistake>.`
//!
//! `cargo xtask verify` puts each in the learner's place, grades it exactly as a learner's
//! file is graded, puts the stub back, and requires a verdict that rejects it: a test a
//! plausible mistake passes is a test that cannot tell it from a solution.

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
    /// `<stem>/<slug>` without `.rs`, for messages.
    pub name: String,
    /// The mistake, from the first line; `None` when the first line is not the contract's.
    pub mistake: Option<String>,
}

/// The folder holding `exercise`'s attempts.
pub fn folder(root: &Path, exercise: &Exercise) -> PathBuf {
    root.join("xtask/wrong")
        .join(format!("ch{:02}", exercise.chapter))
        .join(exercise.stem())
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
                name: format!("{}/{slug}", exercise.stem()),
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

/// The contract: at least [`MIN_ATTEMPTS`] per exercise, each naming its mistake on its
/// first line, and no folder of attempts for an exercise that does not exist.
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
        for attempt in found.iter().filter(|a| a.mistake.is_none()) {
            problems.push(format!(
                "{}: the first line must be `{FIRST_LINE}<the mistake>.`",
                relative(root, &attempt.path)
            ));
        }
    }
    // Folders that match no exercise (a renamed file, a typo) would silently prove nothing.
    for chapter_dir in read_dirs(&root.join("xtask/wrong")) {
        let chapter_name = chapter_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let chapter = chapters.iter().find(|c| c.dir_name() == chapter_name);
        for stem_dir in read_dirs(&chapter_dir) {
            let stem = stem_dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let known = chapter.is_some_and(|c| c.exercises.iter().any(|e| e.stem() == stem));
            if !known {
                problems.push(format!(
                    "{} belongs to no exercise (no {chapter_name}/src/{stem}.rs in info.toml)",
                    relative(root, &stem_dir)
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
            let text = std::fs::read(&attempt.path)
                .with_context(|| format!("failed to read {}", attempt.path.display()))?;
            put(&stub, &text)?;
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
    fn the_shipped_attempts_name_their_mistakes() {
        let root = crate::catalog::repo_root();
        let chapters = crate::catalog::load(&root).unwrap();
        let proc_stat = crate::catalog::find(&chapters, "proc_stat").unwrap();
        let found = attempts(&root, proc_stat);
        assert!(found.len() >= MIN_ATTEMPTS, "{found:?}");
        assert!(found.iter().all(|a| a.mistake.is_some()), "{found:?}");
    }
}
