//! `tests/CHECKSUMS`: the SHA-256 of every grading test and snapshot, in the form
//! `sha256sum -c tests/CHECKSUMS` checks (run from the repository's root).
//!
//! The grader fails every exercise of a chapter whose grading files differ from the list,
//! before and after each run: an edited test, a snapshot accepted by hand, or one that the
//! code under test rewrote while it ran (`INSTA_UPDATE=always` set from inside) would
//! otherwise make a verdict that is not the teacher's. A learner who edits the tests *and*
//! this list is caught by the teacher, who checks against the course's own copy.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

const FILE: &str = "tests/CHECKSUMS";

/// Every grading file: what [`write()`] lists and a teacher checks.
pub const ALL: &str = "tests/";

/// `(fingerprint, path relative to the root)` of every file under `folder` (relative to
/// the root, ending in `/`: [`ALL`], or one chapter's `tests/chNN/`), sorted. A value insta
/// stored for a mismatching snapshot is not grading data: nothing compares with it, and
/// one left by an interrupted run must not fail the chapter's next pass.
fn compute(root: &Path, folder: &str) -> Result<Vec<(String, String)>> {
    let mut entries = Vec::new();
    for path in files_under(&root.join(folder)) {
        if crate::feedback::is_stored_mismatch(&path) {
            continue;
        }
        let relative = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        if relative == FILE {
            continue;
        }
        let bytes = std::fs::read(&path).with_context(|| format!("failed to read {relative}"))?;
        entries.push((sha256_hex(&bytes), relative));
    }
    entries.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(entries)
}

/// Writes the current fingerprints (maintainers, after changing a test or snapshot).
pub fn write(root: &Path) -> Result<()> {
    let text: String = compute(root, ALL)?
        .iter()
        .map(|(sum, path)| format!("{sum}  {path}\n"))
        .collect();
    std::fs::write(root.join(FILE), text).with_context(|| format!("failed to write {FILE}"))
}

/// The files under `folder` (see [`compute`]) whose fingerprint differs from the committed
/// list, or that are new or gone. Only that folder is read: the grader asks about one
/// chapter after each exercise.
pub fn changed(root: &Path, folder: &str) -> Result<Vec<String>> {
    let committed = std::fs::read_to_string(root.join(FILE)).unwrap_or_default();
    let expected: Vec<(String, String)> = committed
        .lines()
        .filter_map(|line| {
            line.split_once("  ")
                .map(|(sum, path)| (sum.to_owned(), path.to_owned()))
        })
        .filter(|(_, path)| path.starts_with(folder))
        .collect();
    let actual = compute(root, folder)?;
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

/// Every file under `folder`, following links as `sha256sum` would.
fn files_under(folder: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(folder)
        .follow_links(true)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| !entry.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect()
}

/// The SHA-256 of `bytes`, as 64 lowercase hex digits (what `sha256sum` prints).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_the_reference_values() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn an_edited_test_is_noticed() {
        let dir = std::env::temp_dir().join(format!("ptm-sums-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("tests/ch01")).unwrap();
        std::fs::write(dir.join("tests/ch01/a.rs"), "one").unwrap();
        write(&dir).unwrap();
        assert!(changed(&dir, ALL).unwrap().is_empty());
        std::fs::write(dir.join("tests/ch01/a.rs"), "two").unwrap();
        std::fs::write(dir.join("tests/ch01/b.rs"), "new").unwrap();
        assert_eq!(
            changed(&dir, ALL).unwrap(),
            ["tests/ch01/a.rs", "tests/ch01/b.rs"]
        );
        assert_eq!(
            changed(&dir, "tests/ch01/").unwrap(),
            ["tests/ch01/a.rs", "tests/ch01/b.rs"]
        );
        assert!(changed(&dir, "tests/ch02/").unwrap().is_empty());
        std::fs::write(dir.join("tests/ch01/a.snap.new"), "stored by insta").unwrap();
        assert_eq!(
            changed(&dir, ALL).unwrap(),
            ["tests/ch01/a.rs", "tests/ch01/b.rs"],
            "a stored snapshot mismatch is not a grading file"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
