//! The per-run namespace an exercise's tests run in: a private temporary folder and a
//! unique name prefix for IPC objects, both removed afterwards whatever the tests did.
//!
//! FIFOs and socket files land in the private folder (the tests see it as `TMPDIR`, which
//! `std::env::temp_dir` and `tempfile` honour). POSIX shared memory and message queues
//! have names, not paths: exercises name them with `support::names::unique`, which reads
//! the prefix from `PTM_RUN_PREFIX`, so anything left under `/dev/shm` or `/dev/mqueue`
//! with that prefix can be found and removed.
//!
//! A test that misses its snapshot leaves what it produced beside the snapshot, for the
//! learner's feedback (`crate::feedback::StoredMismatches`); that file goes when the
//! sandbox does, after the verdict.

use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::{Context, Result};

use crate::feedback::StoredMismatches;

static RUNS: AtomicU32 = AtomicU32::new(0);

/// Where `/dev/shm` and `/dev/mqueue` objects with our prefix would be.
const NAMED_OBJECT_FOLDERS: &[&str] = &["/dev/shm", "/dev/mqueue"];

/// One exercise run's private folder and name prefix.
#[derive(Debug)]
pub struct Sandbox {
    pub prefix: String,
    pub temp_dir: PathBuf,
    /// Goes with the sandbox at the end of the run, after the verdict: the feedback reads
    /// these files first.
    mismatches: StoredMismatches,
}

impl Sandbox {
    /// Creates the private folder (mode 0700) and picks a prefix no other run uses.
    pub fn new() -> Result<Self> {
        let run = RUNS.fetch_add(1, Ordering::Relaxed);
        let prefix = format!("ptm-{}-{run}-", std::process::id());
        let temp_dir = std::env::temp_dir().join(format!("{prefix}tmp"));
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&temp_dir)
            .with_context(|| format!("failed to create {}", temp_dir.display()))?;
        let mismatches = StoredMismatches::new(crate::catalog::repo_root());
        Ok(Self {
            prefix,
            temp_dir,
            mismatches,
        })
    }

    /// Points the tests at this sandbox, and has insta store a mismatching value beside its
    /// snapshot (`INSTA_UPDATE=new`) for the feedback to read.
    pub fn apply(&self, command: &mut Command) {
        command
            .env("TMPDIR", &self.temp_dir)
            .env("PTM_RUN_PREFIX", &self.prefix);
        self.mismatches.ask_insta(command);
    }

    /// Removes everything the run left behind; returns what there was, for the verdict.
    pub fn clean(&self) -> Vec<String> {
        let mut left = Vec::new();
        for folder in NAMED_OBJECT_FOLDERS {
            for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with(&self.prefix) && std::fs::remove_file(entry.path()).is_ok() {
                    left.push(format!("{folder}/{name}"));
                }
            }
        }
        left.extend(
            files_under(&self.temp_dir)
                .into_iter()
                .map(|p| describe(&p)),
        );
        let _ = std::fs::remove_dir_all(&self.temp_dir);
        left
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.temp_dir);
    }
}

fn files_under(folder: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(folder)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| !entry.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect()
}

/// "a FIFO", "a socket" or "a file", with its name.
fn describe(path: &Path) -> String {
    use std::os::unix::fs::FileTypeExt;
    let kind = match std::fs::symlink_metadata(path).map(|m| m.file_type()) {
        Ok(t) if t.is_fifo() => "FIFO",
        Ok(t) if t.is_socket() => "socket",
        _ => "file",
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{kind} {name} in the temporary folder")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_are_listed_and_removed() {
        let sandbox = Sandbox::new().unwrap();
        let shm = PathBuf::from(format!("/dev/shm/{}segment", sandbox.prefix));
        std::fs::write(&shm, b"x").unwrap();
        std::fs::write(sandbox.temp_dir.join("notes"), b"x").unwrap();
        nix::unistd::mkfifo(
            &sandbox.temp_dir.join("pipe"),
            nix::sys::stat::Mode::S_IRWXU,
        )
        .unwrap();
        let mut left = sandbox.clean();
        left.sort();
        assert_eq!(left.len(), 3, "{left:?}");
        assert!(left[0].starts_with("/dev/shm/ptm-"), "{left:?}");
        assert!(
            left.iter()
                .any(|l| l == "FIFO pipe in the temporary folder"),
            "{left:?}"
        );
        assert!(!shm.exists() && !sandbox.temp_dir.exists());
    }
}
