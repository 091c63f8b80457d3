//! Snapshot settings shared by every test: the same redactions everywhere.
//!
//! A snapshot may hold only what is the same on every machine and every run. These
//! filters replace what is not (PIDs, addresses, durations, sizes) with a placeholder, so
//! the snapshot still shows *that* a value was printed and where.

use insta::Settings;

/// Redaction filters, in the order they are applied: (regex, replacement).
pub const FILTERS: &[(&str, &str)] = &[
    // Addresses first, so their digits are not mistaken for other numbers.
    (r"0x[0-9a-fA-F]{4,}", "[ADDR]"),
    // Durations as printed by `support::fmt::duration`.
    (r"\b\d+(\.\d+)? ?(ns|µs|us|ms|s)\b", "[TIME]"),
    // Sizes as printed by `support::fmt::bytes`.
    (r"\b\d+(\.\d+)? (B|KiB|MiB|GiB|TiB)\b", "[SIZE]"),
    // Process and thread ids after their label.
    (r"\b(PID|PPID|TID|pid|ppid|tid)([ :=]+)\d+", "$1$2[PID]"),
];

/// Settings for every snapshot in the book: snapshot files are named by the test's chosen
/// name alone, so the exercise and solution crates share one snapshot file. No redaction:
/// use this for values that are deterministic by construction (fixtures, final counts).
pub fn settings() -> Settings {
    let mut settings = Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

/// [`settings`] plus the [`FILTERS`]: for output that shows live PIDs, addresses, times
/// and sizes, such as a lesson's own output.
pub fn redacting() -> Settings {
    let mut settings = settings();
    for (pattern, replacement) in FILTERS {
        settings.add_filter(pattern, *replacement);
    }
    settings
}

/// The chapter title and step headings of a lesson's output (as printed by
/// [`crate::fmt::chapter`] and [`crate::fmt::step`]), one per line: the part of a lesson's
/// story that is the same on every machine.
pub fn headings(stdout: &str) -> String {
    stdout
        .lines()
        .filter(|line| line.starts_with("Chapter") || line.starts_with("── "))
        .map(|line| line.trim_end_matches(['─', ' ']))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The lines of a lesson's output that are the same on every run: step headings, every
/// invariant with its answer (`  → …: yes`), and the claim of every expectation
/// (`  ≈ …`) without its figures, which vary (see [`crate::checks`]).
pub fn checks_skeleton(stdout: &str) -> String {
    stdout
        .lines()
        .filter(|l| l.starts_with("── ") || l.starts_with("  → ") || l.starts_with("  ≈ "))
        .map(|l| format!("{}\n", l.trim_end_matches('─').trim_end()))
        .collect()
}

/// What a lesson printed in a run that [`lesson_output`] checked.
#[derive(Debug)]
pub struct LessonOutput {
    pub stdout: String,
    pub stderr: String,
}

/// Checks what every lesson's run must show, whatever it teaches (CONTRIBUTING.md,
/// "Conventions"): the lesson exited with status 0, printed UTF-8 on stdout, fits every
/// line of it in 100 columns (counted in `char`s: the book's code blocks show no more), and
/// no invariant said `NO` ([`assert_invariants_hold`]). Returns what it printed, for the
/// lesson's own checks and snapshot (stderr decoded leniently: it is only ever searched).
pub fn lesson_output(output: std::process::Output) -> LessonOutput {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let stdout = String::from_utf8(output.stdout)
        .unwrap_or_else(|e| panic!("the lesson's output is not UTF-8 ({e}):\n{stderr}"));
    assert!(
        output.status.success(),
        "the lesson did not exit with status 0 ({}):\n{stdout}\n{stderr}",
        output.status
    );
    let too_wide: Vec<&str> = stdout.lines().filter(|l| l.chars().count() > 100).collect();
    assert!(
        too_wide.is_empty(),
        "lines wider than 100 columns: {too_wide:#?}\nin:\n{stdout}"
    );
    assert_invariants_hold(&stdout);
    LessonOutput { stdout, stderr }
}

/// Panics, naming the line, when one of the lesson's invariants printed `NO`. Expectations
/// are not checked: whether they held depends on the machine (see [`crate::checks`]).
pub fn assert_invariants_hold(stdout: &str) {
    let failed: Vec<&str> = stdout.lines().filter(|l| l.contains(": NO")).collect();
    assert!(
        failed.is_empty(),
        "an invariant (a check that holds on every machine) said NO: {failed:#?}\nin:\n{stdout}"
    );
}

/// Grades `value` against the snapshot `name` (a string literal), in a way no environment
/// variable or file written at run time can turn into a pass.
///
/// insta's own assertion reads `INSTA_FORCE_PASS`, `INSTA_UPDATE` and
/// `INSTA_WORKSPACE_ROOT` at run time, so code under test that sets one could make a wrong
/// answer pass or overwrite the snapshot. This macro runs insta's assertion (for its diff,
/// and so maintainers can still write snapshots with `INSTA_UPDATE=always`), then compares
/// `value` with the snapshot as it was *compiled into the test binary* (`include_str!` of
/// `snapshots/<name>.snap` beside the test file), and fails unless they match.
#[macro_export]
macro_rules! assert_graded_snapshot {
    ($name:literal, $value:expr $(,)?) => {{
        let value: ::std::string::String = ::std::string::ToString::to_string(&$value);
        $crate::testing::settings().bind(|| ::insta::assert_snapshot!($name, value.as_str()));
        $crate::testing::assert_matches_compiled_snapshot(
            $name,
            include_str!(concat!("snapshots/", $name, ".snap")),
            &value,
        );
    }};
}

/// The check behind [`assert_graded_snapshot!`]: `file` is the whole `.snap` file (insta's
/// header, then the contents), compared as insta compares a file snapshot (line endings
/// normalised, trailing white space at the end ignored).
pub fn assert_matches_compiled_snapshot(name: &str, file: &str, value: &str) {
    let expected = snapshot_contents(file);
    let normalise = |text: &str| text.replace("\r\n", "\n").trim_end().to_owned();
    assert!(
        normalise(expected) == normalise(value),
        "expected (the snapshot {name}, as compiled into the tests):\n{expected}\n\
         yours:\n{value}\n(if insta reported a pass above, an INSTA_* variable was set while \
         the tests ran: the verdict ignores it)"
    );
}

/// The contents of a `.snap` file: what follows insta's `---` … `---` header.
fn snapshot_contents(file: &str) -> &str {
    let Some(after_first) = file.strip_prefix("---\n") else {
        return file;
    };
    match after_first.find("\n---\n") {
        Some(end) => &after_first[end + "\n---\n".len()..],
        None => file,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contents_follow_the_header() {
        let file = "---\nsource: tests/ch01/x.rs\nexpression: report\n---\nline 1\nline 2\n";
        assert_eq!(snapshot_contents(file), "line 1\nline 2\n");
        assert_matches_compiled_snapshot("x", file, "line 1\nline 2");
    }

    #[test]
    #[should_panic(expected = "as compiled into the tests")]
    fn a_different_value_fails_whatever_the_environment_says() {
        let file = "---\nsource: tests/ch01/x.rs\n---\nright\n";
        assert_matches_compiled_snapshot("x", file, "wrong");
    }
}
