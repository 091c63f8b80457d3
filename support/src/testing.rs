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

/// Panics, naming the line, when one of the lesson's invariants printed `NO`. Expectations
/// are not checked: whether they held depends on the machine (see [`crate::checks`]).
pub fn assert_invariants_hold(stdout: &str) {
    let failed: Vec<&str> = stdout.lines().filter(|l| l.contains(": NO")).collect();
    assert!(
        failed.is_empty(),
        "an invariant (a check that holds on every machine) said NO: {failed:#?}\nin:\n{stdout}"
    );
}
