//! `tests/CHECKSUMS`: a fingerprint of every grading test and snapshot, so the grader can
//! warn a learner whose tests differ from the committed ones (an accidental edit, or a
//! snapshot accepted by hand) — their verdicts would not be their teacher's.
//!
//! FNV-1a is enough for that: this catches accidents, not forgery (a teacher grades with
//! a fresh copy of `tests/` anyway), and it costs no dependency.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

const FILE: &str = "tests/CHECKSUMS";

/// `(fingerprint, path relative to the root)` of every file under `tests/`, sorted.
pub fn compute(root: &Path) -> Result<Vec<(String, String)>> {
    let mut entries = Vec::new();
    for path in files_under(&root.join("tests")) {
        let relative = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        if relative == FILE {
            continue;
        }
        let bytes = std::fs::read(&path).with_context(|| format!("failed to read {relative}"))?;
        entries.push((format!("{:016x}", fnv1a(&bytes)), relative));
    }
    entries.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(entries)
}

/// Writes the current fingerprints (maintainers, after changing a test or snapshot).
pub fn write(root: &Path) -> Result<()> {
    let text: String = compute(root)?
        .iter()
        .map(|(sum, path)| format!("{sum}  {path}\n"))
        .collect();
    std::fs::write(root.join(FILE), text).with_context(|| format!("failed to write {FILE}"))
}

/// The files whose fingerprint differs from the committed list (or that are new or gone).
pub fn changed(root: &Path) -> Result<Vec<String>> {
    let committed = std::fs::read_to_string(root.join(FILE)).unwrap_or_default();
    let expected: Vec<(String, String)> = committed
        .lines()
        .filter_map(|line| {
            line.split_once("  ")
                .map(|(sum, path)| (sum.to_owned(), path.to_owned()))
        })
        .collect();
    let actual = compute(root)?;
    let mut differ: Vec<String> = actual
        .iter()
        .filter(|entry| !expected.contains(entry))
        .map(|(_, path)| path.clone())
        .collect();
    differ.extend(
        expected
            .iter()
            .filter(|(_, path)| !actual.iter().any(|(_, p)| p == path))
            .map(|(_, path)| format!("{path} (missing)")),
    );
    Ok(differ)
}

fn files_under(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// 64-bit FNV-1a.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_reference_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn an_edited_test_is_noticed() {
        let dir = std::env::temp_dir().join(format!("ptm-sums-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("tests/ch01")).unwrap();
        std::fs::write(dir.join("tests/ch01/a.rs"), "one").unwrap();
        write(&dir).unwrap();
        assert!(changed(&dir).unwrap().is_empty());
        std::fs::write(dir.join("tests/ch01/a.rs"), "two").unwrap();
        std::fs::write(dir.join("tests/ch01/b.rs"), "new").unwrap();
        assert_eq!(
            changed(&dir).unwrap(),
            ["tests/ch01/a.rs", "tests/ch01/b.rs"]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
