//! `cargo xtask new <chapter> <id>`: scaffold an exercise, so that adding one is this
//! command plus the writing. It creates every file the contracts ask for (CONTRIBUTING.md,
//! "The exercises") and registers them:
//!
//! - `solutions/chNN/src/<id>.rs`, a function with one solution region;
//! - `exercises/chNN/src/<id>.rs`, the stub derived from it (as `reset` derives stubs);
//! - `pub mod <id>;` in both crates' `lib.rs`;
//! - `tests/chNN/<id>.rs`, one sealed grading test with a snapshot (a placeholder
//!   `.snap` until it is recorded), and `mod <id>;` in `tests/chNN/mod.rs`;
//! - an `[[exercise]]` entry in `exercises/chNN/info.toml`;
//! - the folder `tests/chNN/wrong/<id>/` for its wrong attempts.
//!
//! Every placeholder says `TODO(new)`, and `cargo xtask verify` fails while one is left,
//! as it does until the exercise has its snapshot and two wrong attempts. Nothing existing
//! is ever overwritten: a file already there stops the command before it writes anything.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::catalog;

/// What every placeholder says; verify refuses an exercise that still has one.
pub const PLACEHOLDER: &str = "TODO(new)";

pub fn run(chapter: &str, id: &str, title: Option<&str>) -> Result<ExitCode> {
    let root = catalog::repo_root();
    let (number, created) = create(&root, chapter, id, title)?;
    for path in &created {
        println!("created {}", shown(&root, path));
    }
    println!(
        "registered `{id}` in exercises/ch{number:02}/info.toml, both lib.rs and \
         tests/ch{number:02}/mod.rs\n\nNext:\n  1. write the solution and the tests, replacing \
         every {PLACEHOLDER}; the stub is the solution with its regions emptied (`cargo \
         xtask reset {id}` rebuilds it)\n  2. record the snapshot: INSTA_UPDATE=always cargo \
         test -p solutions-{number:02} grading::{id} (the first run writes it and fails against \
         the placeholder compiled into the test; run it again)\n  3. write at least two wrong attempts \
         in tests/ch{number:02}/wrong/{id}/ (CONTRIBUTING.md, \"Wrong attempts\")\n  4. commit, \
         then cargo xtask verify --update-checksums (until then `grade` fails chapter \
         {number:02}: its tests differ from tests/CHECKSUMS)"
    );
    Ok(ExitCode::SUCCESS)
}

/// Checks the arguments and scaffolds the exercise under `root`; returns the chapter's
/// number and the files and folder created.
fn create(
    root: &Path,
    chapter: &str,
    id: &str,
    title: Option<&str>,
) -> Result<(u32, Vec<PathBuf>)> {
    let number = chapter_number(root, chapter)?;
    check_id(root, id)?;
    let title = title.map_or_else(
        || format!("{PLACEHOLDER}: one line for `list`"),
        str::to_owned,
    );
    Ok((number, scaffold(root, number, id, &title)?))
}

/// `03` or `3` → 3, for a chapter that already has exercises.
fn chapter_number(root: &Path, chapter: &str) -> Result<u32> {
    let number: u32 = chapter
        .parse()
        .map_err(|_| anyhow::anyhow!("`{chapter}` is not a chapter number; give one like `03`"))?;
    if !root
        .join(format!("exercises/ch{number:02}/info.toml"))
        .exists()
    {
        let chapters = catalog::load(root)?;
        let known: Vec<String> = chapters
            .iter()
            .map(|c| format!("{:02}", c.number))
            .collect();
        bail!(
            "chapter {number:02} has no exercises/ch{number:02}/info.toml; chapters with \
             exercises: {}. A new chapter starts with its five parts (CONTRIBUTING.md, \"A \
             chapter is five things\")",
            known.join(", ")
        );
    }
    Ok(number)
}

/// An id names a Rust module and file, and is unique across the book.
fn check_id(root: &Path, id: &str) -> Result<()> {
    let well_formed = id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !id.ends_with('_')
        && !RUST_KEYWORDS.contains(&id);
    if !well_formed {
        bail!(
            "`{id}` cannot be an exercise id: use lower-case words joined by `_`, starting \
             with a letter (it names a Rust module), like `pipe_reader`"
        );
    }
    let chapters = catalog::load(root)?;
    if let Some(existing) = chapters
        .iter()
        .flat_map(|c| &c.exercises)
        .find(|e| e.id == id)
    {
        bail!(
            "the id `{id}` is taken by chapter {:02}'s exercise; ids are unique across the book",
            existing.chapter
        );
    }
    Ok(())
}

/// Writes the new files (refusing to replace any) and registers the exercise. Returns the
/// files created.
fn scaffold(root: &Path, number: u32, id: &str, title: &str) -> Result<Vec<PathBuf>> {
    let chapter = format!("ch{number:02}");
    let solution_text = solution(id, title);
    let files = [
        (
            root.join(format!("solutions/{chapter}/src/{id}.rs")),
            solution_text.clone(),
        ),
        (
            root.join(format!("exercises/{chapter}/src/{id}.rs")),
            crate::regions::stub_from_solution(&solution_text),
        ),
        (
            root.join(format!("tests/{chapter}/{id}.rs")),
            test(&chapter, id),
        ),
        // The grading macro compiles the snapshot into the tests (`include_str!`), so one
        // must exist before the first build; insta replaces it when it is recorded.
        (
            root.join(format!(
                "tests/{chapter}/snapshots/{chapter}-{id}-answer.snap"
            )),
            format!(
                "---\nsource: tests/{chapter}/{id}.rs\n---\n{PLACEHOLDER}: record it with \
                 INSTA_UPDATE=always\n"
            ),
        ),
    ];
    let wrong = crate::wrong::folder_of(root, number, id);
    for (path, _) in &files {
        if path.exists() {
            bail!("{} already exists; nothing was written", shown(root, path));
        }
    }
    let registrations = [
        (
            root.join(format!("solutions/{chapter}/src/lib.rs")),
            format!("pub mod {id};"),
        ),
        (
            root.join(format!("exercises/{chapter}/src/lib.rs")),
            format!("pub mod {id};"),
        ),
        (
            root.join(format!("tests/{chapter}/mod.rs")),
            format!("mod {id};"),
        ),
    ];
    // Read everything first, so that a missing file stops the command before any write.
    let mut updated = Vec::new();
    for (path, line) in &registrations {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("failed to read {}", shown(root, path)))?;
        updated.push((path.clone(), after_last_module(&text, line)));
    }
    let info = root.join(format!("exercises/{chapter}/info.toml"));
    let info_text = std::fs::read_to_string(&info)
        .with_context(|| format!("failed to read {}", shown(root, &info)))?;
    updated.push((
        info,
        format!("{}\n{}", info_text.trim_end(), entry(id, title)),
    ));

    let mut created = Vec::new();
    for (path, text) in files {
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)
                .with_context(|| format!("failed to create {}", shown(root, folder)))?;
        }
        std::fs::write(&path, text)
            .with_context(|| format!("failed to write {}", shown(root, &path)))?;
        created.push(path);
    }
    for (path, text) in updated {
        std::fs::write(&path, text)
            .with_context(|| format!("failed to write {}", shown(root, &path)))?;
    }
    std::fs::create_dir_all(&wrong)
        .with_context(|| format!("failed to create {}", shown(root, &wrong)))?;
    created.push(wrong);
    Ok(created)
}

/// `text` with the declaration `line` (`pub mod x;` or `mod x;`) added after the last one
/// of its kind (or at the end), so the exercises' modules stay together.
fn after_last_module(text: &str, line: &str) -> String {
    let kind = if line.starts_with("pub ") {
        "pub mod "
    } else {
        "mod "
    };
    let mut lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .rposition(|l| l.starts_with(kind) && l.ends_with(';'))
        .map_or(lines.len(), |i| i + 1);
    lines.insert(at, line);
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn solution(id: &str, title: &str) -> String {
    format!(
        "//! Exercise `{id}`: {title}.\n\
         //!\n\
         //! {PLACEHOLDER}: what this exercise teaches, in words for a reader who knows basic \
         Rust but\n\
         //! not operating systems, and what the learner writes.\n\
         //!\n\
         {MARKERS_PARAGRAPH}\n\
         \n\
         /// {PLACEHOLDER}: what the learner's function must return, exactly.\n\
         pub fn {id}() -> u64 {{\n    \
             // ANCHOR: solution\n    \
             42\n    \
             // ANCHOR_END: solution\n\
         }}\n"
    )
}

/// The paragraph every stub's header ends with (verify checks it is there).
const MARKERS_PARAGRAPH: &str = "\
//! Your code goes between the `// ANCHOR: solution` and `// ANCHOR_END: solution` lines
//! below, in place of `todo!()`. To Rust they are ordinary comments; they mark the part of
//! the file that is yours (the reference solution in `solutions/` differs from this file
//! only there), so leave them where they are.";

fn test(chapter: &str, id: &str) -> String {
    format!(
        "use crate::{id}::{id};\n\
         \n\
         /// {PLACEHOLDER}: what this test proves about the learner's code.\n\
         #[test]\n\
         fn answers() {{\n    \
             let _graded = support::sealed::graded();\n    \
             support::assert_graded_snapshot!(\"{chapter}-{id}-answer\", format!(\"{{}}\\n\", {id}()));\n\
         }}\n"
    )
}

fn entry(id: &str, title: &str) -> String {
    format!(
        "\n[[exercise]]\n\
         id = \"{id}\"\n\
         file = \"src/{id}.rs\"\n\
         title = \"{title}\"\n\
         hints = [\n    \
             \"\"\"\n{PLACEHOLDER}: a nudge: the idea, no code.\"\"\",\n    \
             \"\"\"\n{PLACEHOLDER}: the full recipe.\"\"\",\n\
         ]\n"
    )
}

fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Words that cannot name a module.
const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type",
    "unsafe", "use", "where", "while", "yield",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// A book with one chapter of one exercise, in a temporary folder of its own.
    fn tiny_book(name: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!("ptm-new-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (path, text) in [
            (
                "exercises/ch03/info.toml",
                "[[exercise]]\nid = \"fork_tree\"\nfile = \"src/fork_tree.rs\"\ntitle = \"t\"\nhints = [\"a\", \"b\"]\n",
            ),
            (
                "exercises/ch03/src/lib.rs",
                "//! Doc.\n\npub mod fork_tree;\n\n#[cfg(test)]\nmod grading;\n",
            ),
            ("solutions/ch03/src/lib.rs", "pub mod fork_tree;\n"),
            ("tests/ch03/mod.rs", "//! Doc.\n\nmod fork_tree;\n"),
        ] {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        root
    }

    #[test]
    fn scaffolds_and_registers_every_part() {
        let root = tiny_book("scaffolds");
        let (number, created) = create(&root, "3", "pipe_reader", Some("Read a pipe")).unwrap();
        assert_eq!(number, 3);
        assert_eq!(created.len(), 5, "{created:?}");
        let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
        let solution = read("solutions/ch03/src/pipe_reader.rs");
        let stub = read("exercises/ch03/src/pipe_reader.rs");
        assert_eq!(stub, crate::regions::stub_from_solution(&solution));
        assert!(stub.contains("Your code goes between") && stub.contains("todo!("));
        assert_eq!(
            read("exercises/ch03/src/lib.rs"),
            "//! Doc.\n\npub mod fork_tree;\npub mod pipe_reader;\n\n#[cfg(test)]\nmod grading;\n"
        );
        assert!(read("tests/ch03/mod.rs").ends_with("mod fork_tree;\nmod pipe_reader;\n"));
        assert!(read("tests/ch03/pipe_reader.rs").contains("\"ch03-pipe_reader-answer\""));
        let chapters = catalog::load(&root).unwrap();
        let added = catalog::find(&chapters, "pipe_reader").unwrap();
        assert_eq!(
            (added.stem(), added.title.as_str()),
            ("pipe_reader".into(), "Read a pipe")
        );
        assert!(root.join("tests/ch03/wrong/pipe_reader").is_dir());
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn refuses_bad_input_and_changes_nothing() {
        let root = tiny_book("refuses");
        let before = std::fs::read_to_string(root.join("exercises/ch03/info.toml")).unwrap();
        for (chapter, id, says) in [
            ("3", "fork_tree", "taken"),
            ("3", "Pipe-Reader", "lower-case"),
            ("3", "type", "lower-case"),
            ("7", "pipe_reader", "chapters with exercises: 03"),
            ("three", "pipe_reader", "not a chapter number"),
        ] {
            let error = create(&root, chapter, id, None).unwrap_err().to_string();
            assert!(error.contains(says), "{chapter} {id}: {error}");
        }
        std::fs::write(root.join("tests/ch03/pipe_reader.rs"), "mine").unwrap();
        let error = create(&root, "3", "pipe_reader", None)
            .unwrap_err()
            .to_string();
        assert!(error.contains("already exists"), "{error}");
        assert!(!root.join("solutions/ch03/src/pipe_reader.rs").exists());
        let after = std::fs::read_to_string(root.join("exercises/ch03/info.toml")).unwrap();
        assert_eq!(before, after);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
