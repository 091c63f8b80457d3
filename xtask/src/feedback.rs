//! A failing test's output, retold for a learner: a snapshot mismatch becomes "expected /
//! yours" beside the example it belongs to, with clean paths and what to do next — not
//! insta's maintainer-facing report ("-old snapshot +new results", `cargo insta test`).

/// Rewrites one failing test's section of libtest output (its first line is the test's
/// name). Sections without a snapshot mismatch keep their text, minus the noise lines.
pub fn for_learner(section: &str) -> String {
    let section = clean_paths(section);
    match SnapshotDiff::parse(&section) {
        Some(diff) => diff.explain(section.lines().next().unwrap_or_default()),
        None => section
            .lines()
            .filter(|line| !is_noise(line))
            .collect::<Vec<_>>()
            .join("\n"),
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

/// Lines that speak to a maintainer or a tool, not to the learner.
fn is_noise(line: &str) -> bool {
    let line = line.trim();
    line.starts_with("note: run with `RUST_BACKTRACE=1`")
        || line.starts_with("Stopped on the first failure")
        || line.contains("/.cargo/registry/")
        || line.starts_with("snapshot assertion for ")
}

/// What insta printed about one mismatching snapshot.
#[derive(Debug, Default, PartialEq, Eq)]
struct SnapshotDiff {
    /// The expected snapshot's file, relative to the book's folder.
    file: String,
    /// The test line that took the snapshot.
    source: String,
    /// Each place that differs: the example it belongs to, then expected and yours.
    changes: Vec<Change>,
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Change {
    example: Option<String>,
    expected: Vec<String>,
    yours: Vec<String>,
}

impl SnapshotDiff {
    fn parse(section: &str) -> Option<Self> {
        let mut diff = SnapshotDiff::default();
        let mut last_context: Option<String> = None;
        let mut current: Option<Change> = None;
        for line in section.lines() {
            if let Some(file) = line.trim().strip_prefix("Snapshot file: ") {
                diff.file = file.to_owned();
            } else if let Some(source) = line.trim().strip_prefix("Source: ") {
                diff.source = source.to_owned();
            }
            let Some((_, body)) = line.split_once('│') else {
                continue;
            };
            let (kind, text) = match body.chars().next() {
                Some(c @ ('-' | '+')) => (c, body[1..].to_owned()),
                _ => (' ', body.strip_prefix(' ').unwrap_or(body).to_owned()),
            };
            if kind == ' ' {
                diff.changes.extend(current.take());
                last_context = Some(text);
                continue;
            }
            let change = current.get_or_insert_with(|| Change {
                example: last_context.clone(),
                ..Change::default()
            });
            if kind == '-' {
                change.expected.push(text);
            } else {
                change.yours.push(text);
            }
        }
        diff.changes.extend(current);
        (!diff.file.is_empty() && !diff.changes.is_empty()).then_some(diff)
    }

    fn explain(&self, test: &str) -> String {
        let mut out = format!("{test}\nYour output differs from what was expected");
        if !self.source.is_empty() {
            out += &format!(" (the test is at {})", self.source);
        }
        out += ":\n";
        for change in &self.changes {
            if let Some(example) = change.example.as_deref().filter(|e| !e.trim().is_empty()) {
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
        out += &format!(
            "The whole expected output is in {}. Change your code until yours matches, then \
             grade again.",
            self.file
        );
        out
    }
}

/// The lines without the indentation they all share, so "expected" and "yours" line up.
fn dedent(lines: &[String]) -> Vec<&str> {
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

    const INSTA_FAILURE: &str = "grading::proc_stat::parses_every_fixture
━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ Snapshot Summary ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━
Snapshot file: solutions/ch01/src/../../../tests/ch01/snapshots/ch01-proc_stat-fixtures.snap
Snapshot: ch01-proc_stat-fixtures
Source: tests/ch01/proc_stat.rs:44
────────────────────────────────────────────────────────────────────────────────
-old snapshot
+new results
────────────┬───────────────────────────────────────────────────────────────────
    4     4 │   Ok(StatLine { pid: 981 })
    5     5 │ a name with spaces and parentheses:
    6       │-  Ok(StatLine { pid: 77, comm: \"my (weird) prog\" })
          6 │+  Err(BadField { field: \"state\", text: \"prog)\" })
    7     7 │ an empty name:
────────────┴───────────────────────────────────────────────────────────────────
Stopped on the first failure. Run `cargo insta test` to run all snapshots.

thread 'grading::proc_stat::parses_every_fixture' (10541) panicked at /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/insta-1.49.0/src/runtime.rs:734:13:
snapshot assertion for 'ch01-proc_stat-fixtures' failed in line 44
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace";

    #[test]
    fn a_snapshot_mismatch_reads_as_expected_and_yours() {
        let told = for_learner(INSTA_FAILURE);
        assert!(told.starts_with("grading::proc_stat::parses_every_fixture\n"));
        assert!(told.contains("after the line `a name with spaces and parentheses:`"));
        assert!(told.contains("expected  Ok(StatLine { pid: 77"), "{told}");
        assert!(told.contains("yours     Err(BadField"), "{told}");
        assert!(told.contains("tests/ch01/snapshots/ch01-proc_stat-fixtures.snap"));
        for insta_words in ["old snapshot", "cargo insta", "../", "registry"] {
            assert!(!told.contains(insta_words), "{insta_words:?} in {told}");
        }
    }

    #[test]
    fn other_failures_keep_their_words_without_the_noise() {
        let assertion = "grading::a::b\nthread 'grading::a::b' panicked at tests/ch01/a.rs:3:5:\n\
                         pid is this test process's PID\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace";
        let told = for_learner(assertion);
        assert!(told.contains("pid is this test process's PID"));
        assert!(!told.contains("RUST_BACKTRACE"));
    }
}
