//! `cargo xtask grade`: compile each chapter's exercises once, run each exercise's tests
//! in its own sandboxed process group, and report a verdict per exercise — for a person,
//! as JSON, or as JUnit XML for a class's CI.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::catalog::{self, Exercise};
use crate::progress::{Progress, State};
use crate::runner::{self, Build, Outcome, Verdict};

#[derive(Debug, clap::Args)]
pub struct GradeArgs {
    /// Chapter numbers (`01`) or exercise ids (`proc_stat`); none grades everything.
    pub targets: Vec<String>,
    /// Print one JSON document instead of the human report.
    #[arg(long)]
    pub json: bool,
    /// Also write the results as JUnit XML to this file.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Grade the reference solutions instead of your files (for maintainers).
    #[arg(long, hide = true)]
    pub solutions: bool,
}

/// One graded exercise.
#[derive(Debug, Clone)]
pub struct Graded {
    pub exercise: Exercise,
    pub outcome: Outcome,
}

pub fn run(args: &GradeArgs) -> Result<ExitCode> {
    let root = catalog::repo_root();
    let chapters = catalog::load(&root)?;
    let selected = catalog::select(&chapters, &args.targets)?;
    let quiet = args.json;
    warn_about_changed_tests(&root);
    let mut progress = Progress::load(&root)?;
    let results = grade(&root, &selected, args.solutions, |graded| {
        if !quiet {
            print_verdict(graded);
            if graded.outcome.verdict.passed() && !args.solutions {
                offer_solution(&graded.exercise);
            }
        }
        if !args.solutions {
            progress.set_graded(
                &graded.exercise.id,
                State::of(&graded.outcome.verdict),
                &graded.exercise.stub_path(&root),
            );
        }
    })?;
    if !args.solutions {
        progress.save()?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&to_json(&results))?);
    } else {
        print_summary(&results);
    }
    if let Some(path) = &args.junit {
        std::fs::write(path, to_junit(&results)?)
            .with_context(|| format!("failed to write {}", path.display()))?;
    }
    let all_passed = results.iter().all(|g| g.outcome.verdict.passed());
    Ok(if all_passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Grades `exercises` (stubs, or the solutions when `solutions`), calling `report` as
/// each verdict arrives.
pub fn grade(
    root: &Path,
    exercises: &[Exercise],
    solutions: bool,
    mut report: impl FnMut(&Graded),
) -> Result<Vec<Graded>> {
    // Each grading shows its own compile error again, even if an earlier one was the same.
    *LAST_COMPILE_ERROR.lock().unwrap_or_else(|e| e.into_inner()) = None;
    let mut results = Vec::new();
    let mut chapters: Vec<u32> = exercises.iter().map(|e| e.chapter).collect();
    chapters.dedup();
    for chapter in chapters {
        let package = catalog::package(chapter, solutions);
        let started = Instant::now();
        let build = runner::build_tests(root, &package, None)?;
        for exercise in exercises.iter().filter(|e| e.chapter == chapter) {
            let outcome = match &build {
                Build::Ready(binary) => runner::run_exercise(root, binary, exercise)?,
                Build::DoesNotCompile(message) => Outcome {
                    verdict: Verdict::DoesNotCompile {
                        message: message.clone(),
                    },
                    elapsed: started.elapsed(),
                    output: message.clone(),
                    left_behind: Vec::new(),
                },
            };
            let mut graded = Graded {
                exercise: exercise.clone(),
                outcome,
            };
            refuse_edited_tests(root, &mut graded)?;
            report(&graded);
            results.push(graded);
        }
    }
    Ok(results)
}

pub fn print_verdict(graded: &Graded) {
    let verdict = &graded.outcome.verdict;
    let width = id_width();
    let mark = match verdict {
        Verdict::Passed => "✓",
        Verdict::NotStarted => "·",
        _ => "✗",
    };
    println!(
        "{mark} {:02} {:<width$} {:<16} {:>6.2} s",
        graded.exercise.chapter,
        graded.exercise.id,
        verdict.label(),
        graded.outcome.elapsed.as_secs_f64()
    );
    // A compile error belongs to the chapter, not to one exercise: it is shown once.
    let compile_error_shown = matches!(verdict, Verdict::DoesNotCompile { .. }) && {
        let mut last = LAST_COMPILE_ERROR.lock().unwrap_or_else(|e| e.into_inner());
        let seen = last.as_deref() == Some(verdict.reason().as_str());
        *last = Some(verdict.reason());
        seen
    };
    if compile_error_shown {
        println!("      (the compile error above)");
    } else if !verdict.passed() && !matches!(verdict, Verdict::NotStarted) {
        for line in verdict.reason().lines().take(MAX_REASON_LINES) {
            println!("      {line}");
        }
        if !matches!(verdict, Verdict::DoesNotCompile { .. }) {
            println!(
                "      (file: exercises/ch{:02}/{})",
                graded.exercise.chapter,
                graded.exercise.file.display()
            );
        }
    }
    for leftover in &graded.outcome.left_behind {
        println!("      cleaned up after it: {leftover}");
    }
}

/// The widest exercise id in the catalogue, so every verdict line lines up.
fn id_width() -> usize {
    static WIDTH: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *WIDTH.get_or_init(|| {
        catalog::load(&catalog::repo_root())
            .map(|chapters| catalog::id_width(&chapters))
            .unwrap_or(0)
            .max(18)
    })
}

/// The compile error printed last, so the same one is not printed for every exercise.
static LAST_COMPILE_ERROR: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Says up front which grading files differ from `tests/CHECKSUMS`: every exercise of
/// their chapters will fail (see [`refuse_edited_tests`]).
pub fn warn_about_changed_tests(root: &Path) {
    match crate::checksums::changed(root, crate::checksums::ALL) {
        Ok(changed) if !changed.is_empty() => {
            eprintln!("{EDITED_TESTS}");
            for path in changed {
                eprintln!("  {path}");
            }
        }
        _ => {}
    }
}

/// A pass needs the chapter's grading tests and snapshots as listed in `tests/CHECKSUMS`,
/// checked after the run: a test edited beforehand, or a snapshot that the code under test
/// rewrote while it ran, makes the verdict *failed* with the files named.
fn refuse_edited_tests(root: &Path, graded: &mut Graded) -> Result<()> {
    let folder = format!("tests/ch{:02}/", graded.exercise.chapter);
    let edited = crate::checksums::changed(root, &folder)?;
    if !edited.is_empty() {
        graded.outcome.verdict = Verdict::Failed {
            reason: format!("{EDITED_TESTS}\n  {}", edited.join("\n  ")),
        };
    }
    Ok(())
}

const EDITED_TESTS: &str = "These grading files differ from the ones listed in tests/CHECKSUMS, so \
no exercise of their chapter can pass (put them back with `git checkout tests/`; a \
maintainer who changed them on purpose runs `cargo xtask verify --update-checksums`):";

/// Only after a pass: comparing before trying would spoil the exercise.
pub fn offer_solution(exercise: &Exercise) {
    println!(
        "      compare with the reference: solutions/ch{:02}/{}",
        exercise.chapter,
        exercise.file.display()
    );
}

fn print_summary(results: &[Graded]) {
    let count = |label: &str| {
        results
            .iter()
            .filter(|g| g.outcome.verdict.label() == label)
            .count()
    };
    let passed = count("passed");
    let not_started = count("not started");
    println!(
        "\n{} exercise{}: {passed} passed, {} failing, {not_started} not started",
        results.len(),
        if results.len() == 1 { "" } else { "s" },
        results.len() - passed - not_started
    );
    if passed < results.len() {
        println!("A hint for any of them: cargo xtask hint <id>");
    }
}

fn to_json(results: &[Graded]) -> serde_json::Value {
    let exercises: Vec<serde_json::Value> = results
        .iter()
        .map(|g| {
            serde_json::json!({
                "id": g.exercise.id,
                "chapter": g.exercise.chapter,
                "file": format!("exercises/ch{:02}/{}", g.exercise.chapter, g.exercise.file.display()),
                "verdict": g.outcome.verdict.label(),
                "reason": g.outcome.verdict.reason(),
                "seconds": round_ms(g.outcome.elapsed),
                "output": g.outcome.output,
                "left_behind": g.outcome.left_behind,
            })
        })
        .collect();
    let passed = results
        .iter()
        .filter(|g| g.outcome.verdict.passed())
        .count();
    serde_json::json!({ "passed": passed, "total": results.len(), "exercises": exercises })
}

fn round_ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0).round() / 1000.0
}

/// JUnit XML: one test suite per chapter, one test case per exercise; a case that did not
/// pass is a `<failure>` whose message is the verdict and whose text is the reason.
fn to_junit(results: &[Graded]) -> Result<String> {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mut report = Report::new("exercises");
    let mut chapters: Vec<u32> = results.iter().map(|g| g.exercise.chapter).collect();
    chapters.dedup();
    for chapter in chapters {
        let mut suite = TestSuite::new(format!("chapter {chapter:02}"));
        let mut suite_time = Duration::ZERO;
        for graded in results.iter().filter(|g| g.exercise.chapter == chapter) {
            let verdict = &graded.outcome.verdict;
            let status = if verdict.passed() {
                TestCaseStatus::success()
            } else {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status
                    .set_message(verdict.label())
                    .set_description(verdict.reason());
                status
            };
            let mut case = TestCase::new(graded.exercise.id.as_str(), status);
            case.set_classname(format!("ch{chapter:02}"))
                .set_time(graded.outcome.elapsed);
            suite.add_test_case(case);
            suite_time += graded.outcome.elapsed;
        }
        suite.set_time(suite_time);
        report.add_test_suite(suite);
    }
    report.to_string().context("failed to write the JUnit XML")
}

/// A long snapshot diff is cut here; `--json` and `--junit` keep all of it.
const MAX_REASON_LINES: usize = 40;

#[cfg(test)]
mod tests {
    use super::*;

    fn graded(id: &str, verdict: Verdict) -> Graded {
        let exercise = Exercise {
            id: id.into(),
            file: "src/x.rs".into(),
            title: String::new(),
            hints: Vec::new(),
            timeout_secs: None,
            chapter: 1,
        };
        Graded {
            exercise,
            outcome: Outcome {
                verdict,
                elapsed: Duration::from_millis(1500),
                output: String::new(),
                left_behind: Vec::new(),
            },
        }
    }

    #[test]
    fn junit_parses_back_with_a_suite_per_chapter_and_failures_with_reasons() {
        use quick_junit::{NonSuccessKind, Report, TestCaseStatus};
        let mut in_chapter_3 = graded("later", Verdict::NotStarted);
        in_chapter_3.exercise.chapter = 3;
        let reason = "left < right & \"so\"\n\u{1b}[31mred\u{1b}[0m";
        let xml = to_junit(&[
            graded("ok", Verdict::Passed),
            graded(
                "bad",
                Verdict::Failed {
                    reason: reason.into(),
                },
            ),
            in_chapter_3,
        ])
        .unwrap();
        let report = Report::deserialize_from_str(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        assert_eq!((report.tests, report.failures), (3, 2), "{xml}");
        let suites: Vec<_> = report.test_suites.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(suites, ["chapter 01", "chapter 03"]);

        let first = &report.test_suites[0];
        assert_eq!((first.tests, first.failures), (2, 1));
        assert_eq!(first.time, Some(Duration::from_secs(3)));
        let ok = &first.test_cases[0];
        assert_eq!(ok.name.as_str(), "ok");
        assert_eq!(ok.classname.as_ref().map(|c| c.as_str()), Some("ch01"));
        assert_eq!(ok.time, Some(Duration::from_millis(1500)));
        assert!(matches!(ok.status, TestCaseStatus::Success { .. }));
        let TestCaseStatus::NonSuccess {
            kind,
            message,
            description,
            ..
        } = &first.test_cases[1].status
        else {
            panic!("`bad` should be a failure: {xml}")
        };
        assert_eq!(*kind, NonSuccessKind::Failure);
        assert_eq!(message.as_ref().map(|m| m.as_str()), Some("failed"));
        // The reason survives whole, except terminal colour codes: XML 1.0 cannot hold ESC.
        assert_eq!(
            description.as_ref().map(|d| d.as_str()),
            Some("left < right & \"so\"\nred")
        );
        let later = &report.test_suites[1].test_cases[0];
        assert!(
            matches!(&later.status, TestCaseStatus::NonSuccess { message: Some(m), .. } if m.as_str() == "not started"),
            "{xml}"
        );
    }

    #[test]
    fn json_counts_and_labels() {
        let json = to_json(&[
            graded("ok", Verdict::Passed),
            graded("todo", Verdict::NotStarted),
        ]);
        assert_eq!(json["passed"], 1);
        assert_eq!(json["exercises"][1]["verdict"], "not started");
        assert_eq!(json["exercises"][0]["seconds"], 1.5);
    }
}
