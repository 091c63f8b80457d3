//! The static contracts between book, lessons, exercises, solutions and tests
//! (CONTRIBUTING.md), each checked by one function that returns its problems as lines.

use std::collections::BTreeSet;
use std::path::Path;

use crate::catalog::{Chapter, Exercise};
use crate::regions::{self, TODO, stub_from_solution};

/// A chapter page listed in SUMMARY.md: `- [Title](chNN-slug.md)`; drafts have no file.
#[derive(Debug)]
pub struct Page {
    pub number: u32,
    pub file: String,
}

/// The written chapter pages listed in `book/SUMMARY.md`.
pub fn written_pages(root: &Path) -> std::io::Result<Vec<Page>> {
    let summary = std::fs::read_to_string(root.join("book/SUMMARY.md"))?;
    Ok(summary
        .lines()
        .filter_map(|line| {
            let file = line.split_once("](")?.1.strip_suffix(')')?;
            let number = file.strip_prefix("ch")?.get(..2)?.parse().ok()?;
            Some(Page {
                number,
                file: file.to_owned(),
            })
        })
        .collect())
}

/// Numbers of the folders named `<prefix>NN` under `folder`.
fn numbered_folders(folder: &Path, prefix: &str) -> BTreeSet<u32> {
    std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.strip_prefix(prefix)?.parse().ok())
        .collect()
}

/// The profile settings of every chapter's exercises and solutions crate (the root
/// `Cargo.toml` says why).
const LEAN_TEST_BINARY: &str = "strip = \"debuginfo\"\ncodegen-units = 16\n";

/// Each chapter's exercises and solutions crates leave debug info out of their test
/// binaries and build in 16 pieces: a chapter added without that grades slower.
pub fn chapter_crates_link_lean(root: &Path, chapters: &[Chapter]) -> Vec<String> {
    let manifest = match std::fs::read_to_string(root.join("Cargo.toml")) {
        Ok(text) => text,
        Err(error) => return vec![format!("Cargo.toml: {error}")],
    };
    let manifest: toml::Table = match toml::from_str(&manifest) {
        Ok(table) => table,
        Err(error) => return vec![format!("Cargo.toml: {error}")],
    };
    let expected: toml::Table = toml::from_str(LEAN_TEST_BINARY).expect("a valid table");
    let settings = |package: &str| {
        manifest
            .get("profile")?
            .get("dev")?
            .get("package")?
            .get(package)?
            .as_table()
            .cloned()
    };
    chapters
        .iter()
        .flat_map(|c| [false, true].map(|solutions| crate::catalog::package(c.number, solutions)))
        .filter(|package| settings(package).as_ref() != Some(&expected))
        .map(|package| {
            format!(
                "Cargo.toml: `[profile.dev.package.{package}]` should say exactly: {}",
                LEAN_TEST_BINARY.trim().replace('\n', ", ")
            )
        })
        .collect()
}

/// Chapter NN (for NN ≥ 1) has exactly one `lesson-NN` crate and vice versa, and its page
/// tells the reader how to run it.
pub fn lessons_match_chapters(root: &Path, pages: &[Page]) -> Vec<String> {
    let mut problems = Vec::new();
    let lessons = numbered_folders(&root.join("lessons"), "lesson-");
    let chapters: BTreeSet<u32> = pages.iter().map(|p| p.number).filter(|n| *n >= 1).collect();
    for missing in chapters.difference(&lessons) {
        problems.push(format!(
            "chapter {missing:02} is written but lessons/lesson-{missing:02} does not exist"
        ));
    }
    for orphan in lessons.difference(&chapters) {
        problems.push(format!(
            "lessons/lesson-{orphan:02} has no written chapter {orphan:02} in book/SUMMARY.md"
        ));
    }
    for page in pages.iter().filter(|p| p.number >= 1) {
        let text = std::fs::read_to_string(root.join("book").join(&page.file)).unwrap_or_default();
        let command = format!("cargo run -p lesson-{:02}", page.number);
        if !text.contains(&command) {
            problems.push(format!("book/{} never says `{command}`", page.file));
        }
    }
    problems
}

/// Every chapter with exercises has a written page that tells how to grade them, a
/// solutions crate with the same files, and a tests folder.
pub fn chapters_are_complete(root: &Path, pages: &[Page], chapters: &[Chapter]) -> Vec<String> {
    let mut problems = Vec::new();
    for chapter in chapters {
        let dir = chapter.dir_name();
        match pages.iter().find(|p| p.number == chapter.number) {
            None => problems.push(format!(
                "exercises/{dir} exists but chapter {:02} is not written",
                chapter.number
            )),
            Some(page) => {
                let text =
                    std::fs::read_to_string(root.join("book").join(&page.file)).unwrap_or_default();
                let command = format!("cargo xtask grade {:02}", chapter.number);
                if !text.contains(&command) {
                    problems.push(format!("book/{} never says `{command}`", page.file));
                }
            }
        }
        let listing = |kind: &str| -> BTreeSet<String> {
            std::fs::read_dir(root.join(kind).join(&dir).join("src"))
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| e.file_name().to_str().map(str::to_owned))
                .collect()
        };
        let (stubs, solutions) = (listing("exercises"), listing("solutions"));
        if stubs != solutions {
            problems.push(format!(
                "exercises/{dir}/src and solutions/{dir}/src hold different files: {:?} vs {:?}",
                stubs.symmetric_difference(&solutions).collect::<Vec<_>>(),
                solutions.symmetric_difference(&stubs).collect::<Vec<_>>()
            ));
        }
        problems.extend(orphan_tests(root, chapter));
    }
    problems
}

/// A test file no exercise claims would grade nothing.
fn orphan_tests(root: &Path, chapter: &Chapter) -> Vec<String> {
    let dir = root.join("tests").join(chapter.dir_name());
    let stems: BTreeSet<String> = chapter.exercises.iter().map(Exercise::stem).collect();
    std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".rs")
                .map(str::to_owned)
        })
        .filter(|stem| stem != "mod" && !stems.contains(stem))
        .map(|stem| {
            format!(
                "tests/{}/{stem}.rs grades no exercise in info.toml",
                chapter.dir_name()
            )
        })
        .collect()
}

/// Stub, solution, test, snapshot and hint exist for every exercise; ids are unique; the
/// stub is the solution with its solution regions replaced by `todo!()`.
pub fn exercises_are_complete(root: &Path, chapters: &[Chapter]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut ids = BTreeSet::new();
    for exercise in chapters.iter().flat_map(|c| &c.exercises) {
        let name = format!(
            "exercise `{}` (chapter {:02})",
            exercise.id, exercise.chapter
        );
        if !ids.insert(exercise.id.clone()) {
            problems.push(format!("{name}: the id is used twice"));
        }
        problems.extend(hint_problem(exercise).map(|p| format!("{name}: {p}")));
        // One key: the id names the file, its test module, its snapshots and its wrong
        // attempts' folder, so a maintainer never has to map one name to another.
        if exercise.stem() != exercise.id {
            problems.push(format!(
                "{name}: its file must be src/{}.rs (file, test module, snapshots and wrong \
                 attempts are all named by the id)",
                exercise.id
            ));
        }
        let test = exercise.test_path(root);
        let declared = std::fs::read_to_string(test.with_file_name("mod.rs")).is_ok_and(|m| {
            m.lines()
                .any(|l| l.trim() == format!("mod {};", exercise.stem()))
        });
        if !test.exists() || !declared {
            problems.push(format!(
                "{name}: no test module {} declared in its mod.rs",
                relative(root, &test)
            ));
        }
        if exercise.snapshot_paths(root).is_empty() {
            problems.push(format!(
                "{name}: no snapshot tests/ch{:02}/snapshots/ch{:02}-{}-*.snap",
                exercise.chapter,
                exercise.chapter,
                exercise.stem()
            ));
        }
        let (stub, solution) = (exercise.stub_path(root), exercise.solution_path(root));
        match (
            std::fs::read_to_string(&stub),
            std::fs::read_to_string(&solution),
        ) {
            (Ok(stub_text), Ok(solution_text))
                if [&stub_text, &solution_text]
                    .into_iter()
                    .chain(std::fs::read_to_string(&test).as_ref())
                    .chain(
                        exercise
                            .snapshot_paths(root)
                            .iter()
                            .filter_map(|p| std::fs::read_to_string(p).ok())
                            .collect::<Vec<_>>()
                            .iter(),
                    )
                    .chain(&exercise.hints)
                    .chain(std::iter::once(&exercise.title))
                    .any(|text| text.contains(crate::new::PLACEHOLDER)) =>
            {
                problems.push(format!(
                    "{name}: still has a `{}` placeholder from `cargo xtask new`",
                    crate::new::PLACEHOLDER
                ));
            }
            (Ok(stub_text), Ok(solution_text)) => {
                let problem = stub_matches_solution(&stub_text, &solution_text).err().or_else(|| {
                    (stub_from_solution(&solution_text) != stub_text)
                        .then(|| format!("each stub region must be exactly `{TODO}`, so `cargo xtask reset` restores it"))
                }).or_else(|| {
                    (!stub_text.contains(MARKERS_EXPLAINED)).then(|| {
                        format!(
                            "the stub's `//!` header must tell the learner what the ANCHOR lines \
                             are: end it with the paragraph that begins \"{MARKERS_EXPLAINED}\" \
                             (copy it from exercises/ch01/src/proc_stat.rs)"
                        )
                    })
                });
                problems.extend(problem.map(|e| format!("{name}: {e}")));
            }
            (Err(_), _) => problems.push(format!("{name}: no stub {}", relative(root, &stub))),
            (_, Err(_)) => {
                problems.push(format!("{name}: no solution {}", relative(root, &solution)))
            }
        }
    }
    problems
}

/// The start of the paragraph, at the end of every stub's header, that says what the
/// `// ANCHOR: solution` lines are and that the learner's code goes between them.
const MARKERS_EXPLAINED: &str = "Your code goes between";

/// Hints come in at least two tiers, a nudge first and the full recipe last.
fn hint_problem(exercise: &Exercise) -> Option<String> {
    let tiers = exercise.hint_tiers().len();
    (tiers < 2).then(|| {
        format!("has {tiers} hint tier(s); give it at least two: `hints = [nudge, …, recipe]`")
    })
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The two files must be identical once the body of every `ANCHOR: solution…` region is
/// set aside, and each of the stub's regions must be an unfinished `todo!()`.
pub fn stub_matches_solution(stub: &str, solution: &str) -> Result<(), String> {
    let (stub_frame, stub_regions) = regions::split(stub);
    let (solution_frame, solution_regions) = regions::split(solution);
    if stub_regions.is_empty() {
        return Err("the stub has no `// ANCHOR: solution` region for the learner to fill".into());
    }
    if stub_regions.len() != solution_regions.len() {
        return Err("stub and solution have different numbers of solution regions".into());
    }
    if let Some((line, (a, b))) = stub_frame
        .iter()
        .zip(&solution_frame)
        .enumerate()
        .find(|(_, (a, b))| a != b)
    {
        return Err(format!(
            "stub and solution differ outside the solution regions, at frame line {}: `{}` vs `{}`",
            line + 1,
            a.trim(),
            b.trim()
        ));
    }
    if stub_frame.len() != solution_frame.len() {
        return Err("stub and solution differ in length outside the solution regions".into());
    }
    if let Some(region) = stub_regions
        .iter()
        .find(|r| !r.body.trim_start().starts_with("todo!("))
    {
        return Err(format!(
            "a stub region is not a `todo!()`: `{}`",
            region.body.trim()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOLUTION: &str = "/// Doc.\npub fn f() -> u8 {\n    // ANCHOR: solution\n    1 + 1\n    // ANCHOR_END: solution\n}\n";

    #[test]
    fn a_chapter_crate_without_the_lean_profile_is_named() {
        let dir = std::env::temp_dir().join(format!("ptm-lean-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let lean = format!("[profile.dev.package.exercises-03]\n{LEAN_TEST_BINARY}");
        std::fs::write(dir.join("Cargo.toml"), lean).unwrap();
        let chapter = Chapter {
            number: 3,
            exercises: Vec::new(),
        };
        let problems = chapter_crates_link_lean(&dir, &[chapter]);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("solutions-03"), "{problems:?}");
    }

    #[test]
    fn every_chapter_of_the_book_has_the_lean_profile() {
        let root = crate::catalog::repo_root();
        let chapters = crate::catalog::load(&root).unwrap();
        assert_eq!(
            chapter_crates_link_lean(&root, &chapters),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_faithful_stub_matches() {
        let stub = SOLUTION.replace("    1 + 1\n", "    todo!(\"write this\")\n");
        assert_eq!(stub_matches_solution(&stub, SOLUTION), Ok(()));
    }

    #[test]
    fn a_changed_signature_or_a_filled_stub_is_caught() {
        let stub = SOLUTION
            .replace("-> u8", "-> u16")
            .replace("    1 + 1\n", "    todo!()\n");
        assert!(
            stub_matches_solution(&stub, SOLUTION)
                .unwrap_err()
                .contains("differ outside")
        );
        assert!(
            stub_matches_solution(SOLUTION, SOLUTION)
                .unwrap_err()
                .contains("not a `todo!()`")
        );
        assert!(
            stub_matches_solution("fn f() {}", SOLUTION)
                .unwrap_err()
                .contains("no `// ANCHOR: solution`")
        );
    }

    #[test]
    fn stubs_are_made_from_solutions() {
        let stub = stub_from_solution(SOLUTION);
        assert_eq!(stub_matches_solution(&stub, SOLUTION), Ok(()));
        assert!(stub.contains("    todo!(\"write this"), "{stub}");
    }

    #[test]
    fn hints_need_two_tiers() {
        let mut exercise = crate::catalog::Exercise {
            id: "x".into(),
            file: "src/x.rs".into(),
            title: String::new(),
            hints: vec!["nudge".into(), "recipe".into()],
            timeout_secs: None,
            chapter: 1,
        };
        assert_eq!(hint_problem(&exercise), None);
        exercise.hints.pop();
        assert!(hint_problem(&exercise).unwrap().contains("has 1 hint tier"));
    }

    #[test]
    fn the_shipped_summary_lists_chapter_one() {
        let pages = written_pages(&crate::catalog::repo_root()).unwrap();
        assert!(
            pages
                .iter()
                .any(|p| p.number == 1 && p.file == "ch01-programs-and-processes.md")
        );
    }
}
