//! `cargo xtask reset <id>`: put an exercise's stub back — after saving the learner's
//! file, so nothing they wrote is ever lost.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};

use crate::catalog::{self, Exercise};
use crate::progress::{Progress, State};
use crate::regions;

pub fn run(id: &str) -> Result<ExitCode> {
    let root = catalog::repo_root();
    let chapters = catalog::load(&root)?;
    let exercise = catalog::find(&chapters, id)?;
    let stub = fresh_stub(&root, exercise)?;
    let path = exercise.stub_path(&root);
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current == stub {
        println!(
            "{} is already the original stub; nothing to do.",
            shown(&root, &path)
        );
        return Ok(ExitCode::SUCCESS);
    }
    if !current.is_empty() {
        let backup = back_up(&root, exercise, &current)?;
        println!("Your version is saved in {}", shown(&root, &backup));
    }
    std::fs::write(&path, stub).with_context(|| format!("failed to write {}", path.display()))?;
    let mut progress = Progress::load(&root)?;
    progress.set_graded(&exercise.id, State::NotStarted, &path);
    progress.save()?;
    println!("{} is the original stub again.", shown(&root, &path));
    Ok(ExitCode::SUCCESS)
}

/// The stub as shipped: the solution with each solution region replaced by `todo!()`,
/// exactly the relation `cargo xtask verify` enforces between the two files.
fn fresh_stub(root: &Path, exercise: &Exercise) -> Result<String> {
    let solution_path = exercise.solution_path(root);
    let solution = std::fs::read_to_string(&solution_path)
        .with_context(|| format!("failed to read the reference {}", solution_path.display()))?;
    Ok(regions::stub_from_solution(&solution))
}

/// Saves `text` as `.backups/<id>-<seconds since 1970>.rs` and returns that path.
fn back_up(root: &Path, exercise: &Exercise, text: &str) -> Result<PathBuf> {
    let folder = root.join(".backups");
    std::fs::create_dir_all(&folder)
        .with_context(|| format!("failed to create {}", folder.display()))?;
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut path = folder.join(format!("{}-{seconds}.rs", exercise.id));
    let mut n = 1;
    while path.exists() {
        path = folder.join(format!("{}-{seconds}-{n}.rs", exercise.id));
        n += 1;
    }
    std::fs::write(&path, text)
        .with_context(|| format!("failed to write the backup {}", path.display()))?;
    Ok(path)
}

fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}
