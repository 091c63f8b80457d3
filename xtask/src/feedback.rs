//! A failing test's output, retold for a learner: a snapshot mismatch becomes "expected /
//! yours" beside the example it belongs to, with clean paths and what to do next — not
//! insta's maintainer-facing report ("-old snapshot +new results", `cargo insta test`).
//!
//! A mismatch is read from data, never from the report insta prints, whose layout any
//! insta release may change: the grader has insta store what a test produced beside the
//! snapshot it missed (`<name>.snap.new`, see [`StoredMismatches`]), and this module
//! compares that with the `.snap` line by line, with `similar` (the diff library insta
//! itself uses). When the code under test made insta pass (an `INSTA_*` variable set from
//! inside), the test still fails in `support::assert_graded_snapshot!`, whose message
//! holds both outputs whole; they are compared the same way.

use std::path::{Path, PathBuf};
use std::process::Command;

use similar::{Algorithm, DiffTag};

/// What insta adds to a snapshot's file name for the value a test produced instead
/// (`INSTA_UPDATE=new`). Such a file is never grading data: insta compares with the `.snap`.
const STORED_SUFFIX: &str = ".snap.new";

/// Rewrites one failing test's section of libtest output (its first line is the test's
/// name; a panic report from the sealed channel also does). A snapshot mismatch becomes
/// "expected / yours"; any other failure keeps its text, minus the noise lines.
pub fn for_learner(section: &str) -> String {
    for_learner_in(section, &crate::catalog::repo_root())
}

/// [`for_learner`], for the book whose folder is `root`.
fn for_learner_in(section: &str, root: &Path) -> String {
    let section = clean_paths(section);
    let mismatch = Mismatch::compiled(&section, root).or_else(|| Mismatch::stored(&section, root));
    match mismatch {
        Some(mismatch) => mismatch.explain(&test_name(&section)),
        None => section
            .lines()
            .filter(|line| !is_noise(line))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// Whether `path` is a value insta stored for a mismatching snapshot (not grading data).
pub fn is_stored_mismatch(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.ends_with(STORED_SUFFIX))
}

/// The book's files (not `target/` or hidden folders) whose name `wanted` accepts. Snapshots
/// sit beside the tests that take them: `tests/chNN/snapshots/`, and the grader's own
/// fixtures in `xtask/grader-fixtures/`. About 750 entries, which `find` walks in 3 ms.
fn files_named(root: &Path, wanted: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let skipped = |entry: &walkdir::DirEntry| {
        let name = entry.file_name().to_string_lossy();
        entry.depth() > 0
            && entry.file_type().is_dir()
            && (name == "target" || name.starts_with('.'))
    };
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|entry| !skipped(entry))
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .filter(|entry| entry.file_name().to_str().is_some_and(&wanted))
        .map(walkdir::DirEntry::into_path)
        .collect()
}

/// The snapshot mismatches of one grading run, as files insta stores for [`for_learner`].
/// Asks insta to store them ([`StoredMismatches::ask_insta`]), and removes every stored
/// mismatch in the book when made (a stray one left by an interrupted run, which could
/// otherwise be read as this run's) and when dropped, after the verdict: none lingers.
/// Two graders running at once in the same folder would remove each other's.
#[derive(Debug)]
pub struct StoredMismatches {
    root: PathBuf,
}

impl StoredMismatches {
    /// For the book whose folder is `root`.
    pub fn new(root: PathBuf) -> Self {
        let stored = Self { root };
        stored.remove_all();
        stored
    }

    /// A test that misses its snapshot then leaves `<name>.snap.new` beside it. insta
    /// writes nothing with `INSTA_UPDATE=no`, and `INSTA_PENDING_DIR` cannot hold these
    /// snapshots: their paths run through `src/../../../tests/`, which insta refuses.
    pub fn ask_insta(&self, command: &mut Command) {
        command.env("INSTA_UPDATE", "new");
    }

    fn remove_all(&self) {
        for path in files_named(&self.root, |name| name.ends_with(STORED_SUFFIX)) {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Drop for StoredMismatches {
    fn drop(&mut self) {
        self.remove_all();
    }
}

/// `solutions/ch01/src/../../../tests/ch01/x.snap` → `tests/ch01/x.snap`.
fn clean_paths(text: &str) -> String {
    let mut cleaned = text.to_owned();
    for crate_dir in ["exercises", "solutions"] {
        while let Some(start) = cleaned.find(&format!("{crate_dir}/ch")) {
            let Some(dots) = cleaned[start..].find("/src/../../../") else {
                break;
            };
            let end = start + dots + "/src/../../../".len();
            cleaned.replace_range(start..end, "");
        }
    }
    cleaned
}

/// Lines that speak to a maintainer or a tool, not to the learner. Only a failure that is
/// not a stored mismatch is shown with its own words, so these lines merely tidy it.
fn is_noise(line: &str) -> bool {
    let line = line.trim();
    line.starts_with("note: run with `RUST_BACKTRACE=1`")
        || line.starts_with("Stopped on the first failure")
        || line.contains("/.cargo/registry/")
        || line.starts_with("snapshot assertion for ")
        || line.starts_with("To update snapshots")
        || line.starts_with("stored new snapshot")
}

/// The failing test: the section's first line, which is the test's name in libtest's
/// report and `thread '<name>' panicked at …` in a panic report.
fn test_name(section: &str) -> String {
    let first = section.lines().next().unwrap_or_default();
    first
        .strip_prefix("thread '")
        .and_then(|rest| rest.split_once('\''))
        .map_or(first, |(name, _)| name)
        .to_owned()
}

/// A snapshot the test missed: what was expected and what it produced.
#[derive(Debug)]
struct Mismatch {
    /// The expected snapshot's file, relative to the book's folder, when it was found.
    file: Option<String>,
    /// Where the test took the snapshot (`tests/ch01/proc_stat.rs:44`), when known.
    source: Option<String>,
    expected: String,
    yours: String,
}

impl Mismatch {
    /// What insta stored for the snapshot `section` names (the longest such name, so that
    /// `ch01-x-ab` wins over `ch01-x-a`), with its `.snap`.
    fn stored(section: &str, root: &Path) -> Option<Self> {
        let (stored, _) = files_named(root, |name| name.ends_with(STORED_SUFFIX))
            .into_iter()
            .filter_map(|path| {
                let name = path.file_name()?.to_str()?.strip_suffix(STORED_SUFFIX)?;
                let name = name.to_owned();
                section.contains(&name).then_some((path, name))
            })
            .max_by_key(|(_, name)| name.len())?;
        let expected_file = stored.with_extension("");
        let yours = std::fs::read_to_string(&stored).ok()?;
        let expected = std::fs::read_to_string(&expected_file).ok()?;
        let yours = SnapFile::parse(&yours);
        let source = yours.header("source").map(|source| {
            let source = clean_paths(&source);
            match yours.header("assertion_line") {
                Some(line) => format!("{source}:{line}"),
                None => source,
            }
        });
        Some(Self {
            file: relative(root, &expected_file),
            source,
            expected: SnapFile::parse(&expected).contents.to_owned(),
            yours: yours.contents.to_owned(),
        })
    }

    /// What `support::testing::assert_matches_compiled_snapshot` said: it fails a test
    /// whose insta check the code under test made pass, with both outputs whole.
    fn compiled(section: &str, root: &Path) -> Option<Self> {
        let rest = section.split_once(COMPILED_EXPECTED)?.1;
        let (name, rest) = rest.split_once(COMPILED_AFTER_NAME)?;
        let (expected, rest) = rest.split_once(COMPILED_YOURS)?;
        let yours = rest
            .split_once(COMPILED_AFTER_YOURS)
            .map_or(rest, |(yours, _)| yours);
        let snapshot = format!("{name}.snap");
        let file = files_named(root, |found| found == snapshot)
            .into_iter()
            .next();
        let source = file
            .as_ref()
            .and_then(|file| std::fs::read_to_string(file).ok())
            .and_then(|text| SnapFile::parse(&text).header("source"))
            .map(|source| clean_paths(&source));
        Some(Self {
            file: file.and_then(|file| relative(root, &file)),
            source,
            expected: expected.trim_end().to_owned(),
            yours: yours.trim_end().to_owned(),
        })
    }

    fn explain(&self, test: &str) -> String {
        let mut out = format!("{test}\nYour output differs from what was expected");
        if let Some(source) = &self.source {
            out += &format!(" (the test is at {source})");
        }
        out += ":\n";
        for change in changes(&self.expected, &self.yours) {
            if let Some(example) = change.after {
                out += &format!("  after the line `{}`\n", example.trim());
            }
            for (label, lines) in [("expected", &change.expected), ("yours", &change.yours)] {
                let shown = if lines.is_empty() {
                    "(nothing)".to_owned()
                } else {
                    dedent(lines).join("\n              ")
                };
                out += &format!("    {label:<9} {shown}\n");
            }
        }
        if let Some(file) = &self.file {
            out += &format!("The whole expected output is in {file}. ");
        }
        out + "Change your code until yours matches, then grade again."
    }
}

/// `path` relative to the book's folder, as the learner would type it.
fn relative(root: &Path, path: &Path) -> Option<String> {
    Some(path.strip_prefix(root).ok()?.display().to_string())
}

/// The parts of `support::testing::assert_matches_compiled_snapshot`'s message, in order:
/// `expected (the snapshot <name>, as compiled into the tests):\n<expected>\nyours:\n`
/// `<yours>\n(if insta …`. Its test fails the real check, so a change there shows here.
const COMPILED_EXPECTED: &str = "expected (the snapshot ";
const COMPILED_AFTER_NAME: &str = ", as compiled into the tests):\n";
const COMPILED_YOURS: &str = "\nyours:\n";
const COMPILED_AFTER_YOURS: &str = "\n(if insta reported a pass above";

/// A snapshot file as insta writes it: a header of `key: value` lines between two `---`
/// lines, then the contents.
///
/// Read here rather than with `insta::Snapshot::from_file`, which would put insta (9.8 s
/// to build alone, 5.5 s of CPU, on this 2-core machine while busy) into the build of
/// xtask itself, which every `cargo xtask` command waits for, for the two header fields
/// and the contents read below. The layout is insta's committed file format, which insta
/// keeps reading across releases.
struct SnapFile<'a> {
    header: &'a str,
    contents: &'a str,
}

impl<'a> SnapFile<'a> {
    fn parse(text: &'a str) -> Self {
        let split = text
            .strip_prefix("---\n")
            .and_then(|rest| rest.split_once("\n---\n"));
        let (header, contents) = split.unwrap_or(("", text));
        Self {
            header,
            contents: contents.trim_end(),
        }
    }

    /// A header field's value (`source`, `assertion_line`), quotes removed.
    fn header(&self, key: &str) -> Option<String> {
        self.header.lines().find_map(|line| {
            let value = line.strip_prefix(key)?.strip_prefix(':')?.trim();
            Some(value.trim_matches('"').to_owned())
        })
    }
}

/// One place where the outputs differ: the expected output's last non-blank line before
/// it (the example it belongs to, in the book's fixtures), then expected and yours.
#[derive(Debug, Default, PartialEq, Eq)]
struct Change<'a> {
    after: Option<&'a str>,
    expected: Vec<&'a str>,
    yours: Vec<&'a str>,
}

/// The places where `yours` differs from `expected`, line by line, in order.
fn changes<'a>(expected: &'a str, yours: &'a str) -> Vec<Change<'a>> {
    let expected: Vec<&str> = expected.lines().collect();
    let yours: Vec<&str> = yours.lines().collect();
    let mut changes = Vec::new();
    let mut current: Option<Change> = None;
    for op in similar::capture_diff_slices(Algorithm::Myers, &expected, &yours) {
        let (tag, old, new) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            changes.extend(current.take());
            continue;
        }
        let change = current.get_or_insert_with(|| Change {
            after: expected[..old.start]
                .iter()
                .rev()
                .find(|line| !line.trim().is_empty())
                .copied(),
            ..Change::default()
        });
        change.expected.extend(&expected[old]);
        change.yours.extend(&yours[new]);
    }
    changes.extend(current);
    changes
}

/// The lines without the indentation they all share, so "expected" and "yours" line up.
fn dedent<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `.snap` of chapter 01's `proc_stat` fixtures, shortened.
    const EXPECTED: &str = "---
source: solutions/ch01/src/../../../tests/ch01/proc_stat.rs
---
a busy server with 12 threads:
  Ok(StatLine { pid: 981 })
a name with spaces and parentheses:
  Ok(StatLine { pid: 77, comm: \"my (weird) prog\" })
an empty name:
  Ok(StatLine { pid: 5, comm: \"\" })
";

    /// What insta 1.49 stores for a stub that splits the line at the first `)`.
    const STORED: &str = "---
source: exercises/ch01/src/../../../tests/ch01/proc_stat.rs
assertion_line: 44
---
a busy server with 12 threads:
  Ok(StatLine { pid: 981 })
a name with spaces and parentheses:
  Err(BadField { field: \"state\", text: \"prog)\" })
an empty name:
  Ok(StatLine { pid: 5, comm: \"\" })
";

    const NAME: &str = "ch01-proc_stat-fixtures";

    /// A book's folder holding the snapshot in `tests/ch01/snapshots/` and, when `stored`
    /// is given, a mismatch stored beside it.
    fn book(stored: Option<&str>) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let snapshots = dir.path().join("tests/ch01/snapshots");
        std::fs::create_dir_all(&snapshots).unwrap();
        std::fs::write(snapshots.join(format!("{NAME}.snap")), EXPECTED).unwrap();
        if let Some(stored) = stored {
            std::fs::write(snapshots.join(format!("{NAME}.snap.new")), stored).unwrap();
        }
        dir
    }

    /// libtest's section for the failing test: whatever insta printed around the name.
    fn failed_section() -> String {
        format!(
            "grading::proc_stat::parses_every_fixture\nsomething insta printed\n\
             snapshot assertion for '{NAME}' failed in line 44"
        )
    }

    const TOLD: &str = "grading::proc_stat::parses_every_fixture\n\
        Your output differs from what was expected (the test is at \
        tests/ch01/proc_stat.rs:44):\n  \
        after the line `a name with spaces and parentheses:`\n    \
        expected  Ok(StatLine { pid: 77, comm: \"my (weird) prog\" })\n    \
        yours     Err(BadField { field: \"state\", text: \"prog)\" })\n\
        The whole expected output is in tests/ch01/snapshots/ch01-proc_stat-fixtures.snap. \
        Change your code until yours matches, then grade again.";

    #[test]
    fn a_stored_mismatch_reads_as_expected_and_yours() {
        let book = book(Some(STORED));
        assert_eq!(for_learner_in(&failed_section(), book.path()), TOLD);
    }

    #[test]
    fn a_mismatch_insta_was_made_to_pass_reads_the_same() {
        let book = book(None);
        let yours = SnapFile::parse(STORED).contents;
        let message = std::panic::catch_unwind(|| {
            support::testing::assert_matches_compiled_snapshot(NAME, EXPECTED, yours)
        })
        .unwrap_err();
        let message = message.downcast_ref::<String>().unwrap();
        let section = format!(
            "grading::proc_stat::parses_every_fixture\ninsta's report of a pass\n\
             thread 'grading::proc_stat::parses_every_fixture' panicked at \
             support/src/testing.rs:102:5:\n{message}"
        );
        let told = for_learner_in(&section, book.path());
        // The `.snap` names its test's file, not the line.
        assert_eq!(told, TOLD.replace("proc_stat.rs:44", "proc_stat.rs"));
    }

    #[test]
    fn lines_yours_lacks_show_as_nothing() {
        let (header, _) = STORED.split_at(STORED.find("a busy").unwrap());
        let contents = SnapFile::parse(EXPECTED).contents;
        let contents = &contents[..contents.find("an empty name").unwrap()];
        let book = book(Some(&format!("{header}{contents}")));
        let told = for_learner_in(&failed_section(), book.path());
        assert!(
            told.contains(
                "  after the line `Ok(StatLine { pid: 77, comm: \"my (weird) prog\" })`\n    \
                 expected  an empty name:\n                \
                 Ok(StatLine { pid: 5, comm: \"\" })\n    yours     (nothing)\n"
            ),
            "{told}"
        );
    }

    #[test]
    fn a_panic_report_names_its_test() {
        let book = book(Some(STORED));
        let panic = format!(
            "thread 'grading::proc_stat::parses_every_fixture' (10541) panicked at \
             /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/insta-1.49.0/src/\
             runtime.rs:734:13:\nsnapshot assertion for '{NAME}' failed in line 44"
        );
        assert_eq!(for_learner_in(&panic, book.path()), TOLD);
    }

    #[test]
    fn a_section_that_names_no_mismatch_keeps_its_words_without_the_noise() {
        // A mismatch stored for another snapshot is not this test's.
        let book = book(Some(STORED));
        let assertion = "grading::a::b\nthread 'grading::a::b' panicked at \
                         solutions/ch01/src/../../../tests/ch01/a.rs:3:5:\n\
                         pid is this test process's PID\n\
                         note: run with `RUST_BACKTRACE=1` environment variable to display a \
                         backtrace";
        assert_eq!(
            for_learner_in(assertion, book.path()),
            "grading::a::b\nthread 'grading::a::b' panicked at tests/ch01/a.rs:3:5:\n\
             pid is this test process's PID"
        );
        // Named, but insta stored nothing (the code under test set INSTA_UPDATE=no): its
        // own report stays.
        let book = self::book(None);
        assert_eq!(
            for_learner_in(&failed_section(), book.path()),
            "grading::proc_stat::parses_every_fixture\nsomething insta printed"
        );
    }

    #[test]
    fn the_longest_snapshot_name_in_the_section_wins() {
        let book = book(Some(STORED));
        let snapshots = book.path().join("tests/ch01/snapshots");
        std::fs::write(snapshots.join("ch01-proc_stat.snap"), "---\n---\nother\n").unwrap();
        std::fs::write(
            snapshots.join("ch01-proc_stat.snap.new"),
            "---\n---\nmine\n",
        )
        .unwrap();
        assert_eq!(for_learner_in(&failed_section(), book.path()), TOLD);
    }

    #[test]
    fn stored_mismatches_go_before_and_after_a_run_and_nothing_else_does() {
        let book = book(None);
        let snapshots = book.path().join("tests/ch01/snapshots");
        let stray = snapshots.join("ch01-other-x.snap.new");
        std::fs::write(&stray, "---\n---\nfrom an interrupted run\n").unwrap();
        let stored = StoredMismatches::new(book.path().to_owned());
        assert!(!stray.exists());
        let mut command = Command::new("true");
        stored.ask_insta(&mut command);
        let update = command.get_envs().find(|(key, _)| *key == "INSTA_UPDATE");
        assert_eq!(
            update,
            Some(("INSTA_UPDATE".as_ref(), Some("new".as_ref())))
        );
        let runs = snapshots.join(format!("{NAME}.snap.new"));
        std::fs::write(&runs, STORED).unwrap();
        drop(stored);
        assert!(!runs.exists());
        assert!(snapshots.join(format!("{NAME}.snap")).exists());
    }

    #[test]
    fn changes_group_lines_and_name_the_line_before() {
        let found = changes(
            "a:\n  1\n\nb:\n  2\n  3\n",
            "a:\n  1\n\nb:\n  2\n  4\n  5\n",
        );
        assert_eq!(
            found,
            [Change {
                after: Some("  2"),
                expected: vec!["  3"],
                yours: vec!["  4", "  5"],
            }]
        );
        let found = changes("a:\n\n  1\n", "a:\n\n  2\n");
        assert_eq!(found[0].after, Some("a:"), "a blank line is skipped");
        assert_eq!(
            changes("x\n", "x"),
            [],
            "a missing final newline is no change"
        );
    }
}
