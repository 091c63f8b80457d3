//! `cargo xtask watch`: grade the current exercise every time one of its files is saved,
//! move on when it passes, and answer a few keys (each followed by Enter).

use std::collections::VecDeque;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result};
use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{EventKind, RecursiveMode, Watcher};

use crate::catalog::{self, Exercise};
use crate::grade;
use crate::progress::{Progress, State};

/// What the loop waits for.
#[derive(Debug)]
enum Event {
    /// A file under `exercises/` changed; `written` when this is the last step of a save
    /// (closed after writing, or renamed onto its name), not one in the middle.
    Saved { path: PathBuf, written: bool },
    /// A line typed by the learner.
    Key(String),
    /// Standard input closed (Ctrl-D, or no terminal).
    InputClosed,
}

pub fn run(start: Option<&str>, manual: bool) -> Result<ExitCode> {
    let root = catalog::repo_root();
    let chapters = catalog::load(&root)?;
    // Checked before anything starts, so a typo is an error (exit 2), not a watch elsewhere.
    let asked: Option<Vec<Exercise>> = start
        .map(|target| catalog::select(&chapters, &[target.to_owned()]))
        .transpose()?;
    let exercises: Vec<Exercise> = chapters.into_iter().flat_map(|c| c.exercises).collect();
    let mut progress = Progress::load(&root)?;
    grade::warn_about_changed_tests(&root);
    let (events, inbox) = channel();
    spawn_key_reader(events.clone());
    // Keep the watcher alive for the whole loop: dropping it stops the events.
    let _watcher = if manual {
        None
    } else {
        Some(watch_files(&root.join("exercises"), events)?)
    };

    let first = match &asked {
        Some(asked) => Some(starting_point(&exercises, &progress, asked)),
        None => next_unfinished(&exercises, &progress, 0),
    };
    let Some(mut current) = first else {
        println!("{ALL_DONE}");
        return Ok(ExitCode::SUCCESS);
    };
    // Saves older than the last grading are already in it: one save makes several file
    // events, and those that arrive after the grading began must not start another.
    let mut graded_at = SystemTime::now();
    grade_and_advance(&root, &exercises, &mut current, &mut progress, manual)?;
    let mut held_back = VecDeque::new();
    loop {
        let next = match held_back.pop_front() {
            Some(event) => Ok(event),
            None => inbox.recv(),
        };
        match next {
            Ok(Event::Saved { path, written }) => {
                if !belongs_to(&root, &exercises[current], &path) || saved_before(&path, graded_at)
                {
                    continue;
                }
                if !written {
                    wait_for_the_last_write(&inbox, &mut held_back);
                }
                graded_at = SystemTime::now();
                if grade_and_advance(&root, &exercises, &mut current, &mut progress, manual)? {
                    return Ok(ExitCode::SUCCESS);
                }
            }
            Ok(Event::Key(key)) => match key.as_str() {
                "q" => return Ok(ExitCode::SUCCESS),
                "h" => {
                    let text = crate::hint::next_tier(&exercises[current], &mut progress, "h");
                    println!("\n{text}\n");
                    progress.save()?;
                }
                "l" => {
                    crate::list::run()?;
                }
                "n" => {
                    current = (current + 1) % exercises.len();
                    introduce(&exercises[current], manual);
                }
                "" | "r" => {
                    graded_at = SystemTime::now();
                    if grade_and_advance(&root, &exercises, &mut current, &mut progress, manual)? {
                        return Ok(ExitCode::SUCCESS);
                    }
                }
                other => println!("`{other}` is not a key here. {}", keys(manual)),
            },
            Ok(Event::InputClosed) if manual => return Ok(ExitCode::SUCCESS),
            Ok(Event::InputClosed) => {}
            Err(_) => return Ok(ExitCode::SUCCESS),
        }
    }
}

/// Grades the current exercise; on a pass, moves to the next unfinished one. Returns
/// true when every exercise has passed.
fn grade_and_advance(
    root: &Path,
    exercises: &[Exercise],
    current: &mut usize,
    progress: &mut Progress,
    manual: bool,
) -> Result<bool> {
    let exercise = &exercises[*current];
    println!(
        "\n── grading {} ({}) ──",
        exercise.id,
        shown(root, &exercise.stub_path(root))
    );
    let results = grade::grade(
        root,
        std::slice::from_ref(exercise),
        false,
        grade::print_verdict,
    )?;
    let passed = results.iter().all(|g| g.outcome.verdict.passed());
    for graded in &results {
        progress.set_graded(
            &graded.exercise.id,
            State::of(&graded.outcome.verdict),
            &graded.exercise.stub_path(root),
        );
    }
    progress.save()?;
    if !passed {
        println!("{}", keys(manual));
        return Ok(false);
    }
    grade::offer_solution(exercise);
    match next_unfinished(exercises, progress, *current + 1) {
        None => {
            println!("\n{ALL_DONE}");
            Ok(true)
        }
        Some(next) => {
            *current = next;
            introduce(&exercises[next], manual);
            Ok(false)
        }
    }
}

/// Where a watch asked for `asked` (one exercise, or a chapter's) begins: the first of them
/// not yet passed, else the first of them (a learner may want to redo a chapter).
fn starting_point(exercises: &[Exercise], progress: &Progress, asked: &[Exercise]) -> usize {
    let position = |wanted: &Exercise| exercises.iter().position(|e| e.id == wanted.id);
    asked
        .iter()
        .find(|e| progress.state(&e.id) != State::Passed)
        .or(asked.first())
        .and_then(position)
        .unwrap_or(0)
}

/// The first exercise from `start` on (wrapping round) that has not passed.
fn next_unfinished(exercises: &[Exercise], progress: &Progress, start: usize) -> Option<usize> {
    (0..exercises.len())
        .map(|offset| (start + offset) % exercises.len().max(1))
        .find(|&i| progress.state(&exercises[i].id) != State::Passed)
}

fn introduce(exercise: &Exercise, manual: bool) {
    println!(
        "\nNext: {} — {}\n  edit exercises/ch{:02}/{}\n  {}",
        exercise.id,
        exercise.title,
        exercise.chapter,
        exercise.file.display(),
        keys(manual)
    );
}

fn keys(manual: bool) -> &'static str {
    if manual { KEYS_MANUAL } else { KEYS_WATCHING }
}

/// Editors write a file in steps (truncate, write, close; or write a copy and rename it
/// over the file). The last step is a close after writing or a rename; a save seen in the
/// middle is graded when that comes, or after 50 ms if it never does. Keys typed meanwhile
/// are kept for afterwards.
fn wait_for_the_last_write(inbox: &Receiver<Event>, held_back: &mut VecDeque<Event>) {
    let deadline = Instant::now() + Duration::from_millis(50);
    loop {
        match inbox.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(Event::Saved { written: true, .. }) => return,
            Ok(Event::Saved { .. }) => {}
            Ok(other) => held_back.push_back(other),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Whether `path` was last written before `moment` (a file that cannot be read counts as
/// new: grading it shows what is wrong).
fn saved_before(path: &Path, moment: SystemTime) -> bool {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .is_ok_and(|modified| modified < moment)
}

/// A change matters if it is in the current exercise's chapter (its file, or a module
/// it uses).
fn belongs_to(root: &Path, exercise: &Exercise, path: &Path) -> bool {
    let chapter = root
        .join("exercises")
        .join(format!("ch{:02}", exercise.chapter));
    path.starts_with(chapter) && path.extension().is_some_and(|e| e == "rs")
}

fn spawn_key_reader(events: Sender<Event>) {
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if events.send(Event::Key(line.trim().to_lowercase())).is_err() {
                return;
            }
        }
        let _ = events.send(Event::InputClosed);
    });
}

fn watch_files(folder: &Path, events: Sender<Event>) -> Result<notify::RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
        let Ok(event) = result else { return };
        let written = matches!(
            event.kind,
            EventKind::Access(AccessKind::Close(AccessMode::Write))
                | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
        );
        if written || matches!(event.kind, EventKind::Modify(_) | EventKind::Create(_)) {
            for path in event.paths {
                let _ = events.send(Event::Saved {
                    path: path.clone(),
                    written,
                });
            }
        }
    })
    .context(NO_WATCHER)?;
    watcher
        .watch(folder, RecursiveMode::Recursive)
        .context(NO_WATCHER)?;
    Ok(watcher)
}

fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

const KEYS_WATCHING: &str = "Save the file to grade it again. Keys, then Enter: h hint · l list · n next · r re-grade · q quit";
const KEYS_MANUAL: &str =
    "Press Enter to grade again. Keys, then Enter: h hint · l list · n next · q quit";
const ALL_DONE: &str = "Every exercise passes. Well done! `cargo xtask list` shows them all.";
const NO_WATCHER: &str = "cannot watch exercises/ for changes (too many inotify watches, or a network file system?); \
     try `cargo xtask watch --manual`, which grades when you press Enter";

#[cfg(test)]
mod tests {
    use super::*;

    fn exercise(id: &str, chapter: u32) -> Exercise {
        Exercise {
            id: id.into(),
            file: format!("src/{id}.rs").into(),
            title: String::new(),
            hints: Vec::new(),
            timeout_secs: None,
            chapter,
        }
    }

    #[test]
    fn a_save_already_graded_does_not_start_another_grading() {
        let dir = std::env::temp_dir().join(format!("ptm-watch-saved-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("proc_stat.rs");
        std::fs::write(&file, "// first save").unwrap();
        std::thread::sleep(Duration::from_millis(20));
        let grading_began = SystemTime::now();
        assert!(
            saved_before(&file, grading_began),
            "its events came before the grading"
        );
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&file, "// saved while grading").unwrap();
        assert!(
            !saved_before(&file, grading_began),
            "a newer save is graded again"
        );
        std::fs::remove_file(&file).unwrap();
        assert!(
            !saved_before(&file, grading_began),
            "a missing file is graded (to say so)"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn moves_on_to_the_next_unfinished_exercise() {
        let dir = std::env::temp_dir().join(format!("ptm-watch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut progress = Progress::load(&dir).unwrap();
        let all = [exercise("a", 1), exercise("b", 1), exercise("c", 2)];
        assert_eq!(next_unfinished(&all, &progress, 0), Some(0));
        progress.set("b", State::Passed);
        assert_eq!(
            next_unfinished(&all, &progress, 1),
            Some(2),
            "skips what passed"
        );
        progress.set("c", State::Passed);
        assert_eq!(next_unfinished(&all, &progress, 1), Some(0), "wraps round");
        progress.set("a", State::Passed);
        assert_eq!(next_unfinished(&all, &progress, 0), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn starts_where_asked() {
        let dir = std::env::temp_dir().join(format!("ptm-watch-start-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut progress = Progress::load(&dir).unwrap();
        let all = [exercise("a", 1), exercise("b", 2), exercise("c", 2)];
        let chapter_2 = [all[1].clone(), all[2].clone()];
        assert_eq!(starting_point(&all, &progress, &chapter_2), 1);
        progress.set("b", State::Passed);
        assert_eq!(
            starting_point(&all, &progress, &chapter_2),
            2,
            "the chapter's first exercise not yet passed"
        );
        progress.set("c", State::Passed);
        assert_eq!(
            starting_point(&all, &progress, &chapter_2),
            1,
            "a chapter all passed starts at its beginning"
        );
        assert_eq!(
            starting_point(&all, &progress, &all[2..]),
            2,
            "an exercise by id"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_the_current_chapter_triggers_grading() {
        let root = Path::new("/book");
        let current = exercise("a", 1);
        assert!(belongs_to(
            root,
            &current,
            Path::new("/book/exercises/ch01/src/a.rs")
        ));
        assert!(!belongs_to(
            root,
            &current,
            Path::new("/book/exercises/ch02/src/a.rs")
        ));
        assert!(!belongs_to(
            root,
            &current,
            Path::new("/book/exercises/ch01/src/a.rs.swp")
        ));
    }
}
