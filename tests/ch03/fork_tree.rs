use std::collections::HashMap;

use nix::errno::Errno;
use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, Pid, getpid, getppid};

use crate::fork_tree::{Line, generate, predict, render};

const SEEDS: std::ops::RangeInclusive<u64> = 1..=6;

#[test]
fn predicts_generated_programs() {
    let _graded = support::sealed::graded();
    let mut report = String::new();
    for seed in SEEDS {
        let program = generate(seed);
        let names = predict(&program);
        report += &format!(
            "seed {seed}:\n{}→ {} processes: {}\n\n",
            render(&program),
            names.len(),
            names.join(" ")
        );
    }
    support::assert_graded_snapshot!("ch03-fork_tree-seeds", report);
}

/// How many fresh programs the live check runs.
const FRESH: usize = 8;

/// `FRESH` seeds from `base` on, skipping those whose program the snapshot shows: the
/// live check must not be passable by a table copied from it.
fn fresh_seeds(base: u64) -> Vec<u64> {
    let shown: Vec<Vec<Line>> = SEEDS.map(generate).collect();
    (0..)
        .map(|k| base.wrapping_add(k))
        .filter(|&seed| !shown.contains(&generate(seed)))
        .take(FRESH)
        .collect()
}

/// The first seed: `PTM_SEED` when set (to replay a failed run), else the clock.
fn base_seed() -> u64 {
    support::seeded::fresh()
}

#[test]
fn predictions_match_a_real_run() {
    let _graded = support::sealed::graded();
    if support::crash::is_rerun() {
        let base = base_seed();
        super::report("BASE", base);
        for (index, seed) in fresh_seeds(base).into_iter().enumerate() {
            let (names, consistent) = run_for_real(&generate(seed));
            super::report(&format!("NAMES{index}"), names.join(" "));
            super::report(&format!("CONSISTENT{index}"), consistent);
        }
        return;
    }
    let run = super::isolated("grading::fork_tree::predictions_match_a_real_run");
    let base: u64 = super::reported(&run, "BASE").parse().expect("a seed");
    for (index, seed) in fresh_seeds(base).into_iter().enumerate() {
        let program = generate(seed);
        assert_eq!(
            super::reported(&run, &format!("CONSISTENT{index}")),
            "true",
            "seed {seed}: every process's PPID is its parent's PID"
        );
        let real: Vec<&str> = super::reported(&run, &format!("NAMES{index}"))
            .split(' ')
            .collect();
        assert_eq!(
            predict(&program),
            real,
            "seed {seed} (a fresh seed, not one the snapshot shows): your prediction (left) \
             against the real run (right) of\n{}(to run these same seeds again: \
             PTM_SEED={base} cargo xtask grade fork_tree)",
            render(&program)
        );
    }
}

/// One process's report: its name, then its PID and its parent's PID.
const RECORD: usize = 64;
const NAME: usize = 48;

/// Runs `program` with real forks. Every process reports its name, PID and PPID through a
/// pipe, waits for its own children, and exits; the first process collects the reports.
/// Children use only async-signal-safe calls (fork, write, waitpid, _exit): no allocation.
fn run_for_real(program: &[Line]) -> (Vec<String>, bool) {
    let (read_end, write_end) = nix::unistd::pipe().expect("a pipe");
    let root = getpid();
    let mut name = [0u8; NAME];
    name[0] = b'a';
    let mut len = 1;
    let mut made = 0u8;
    // Returns true in the new child, which takes its name and starts with no children.
    let fork = |name: &mut [u8; NAME], len: &mut usize, made: &mut u8| -> bool {
        *made += 1;
        // SAFETY: the child only runs this interpreter: fork, write, waitpid and _exit.
        match unsafe { nix::unistd::fork() } {
            Ok(ForkResult::Child) => {
                name[*len] = b'.';
                name[*len + 1] = b'0' + *made;
                *len += 2;
                *made = 0;
                true
            }
            Ok(ForkResult::Parent { .. }) => false,
            Err(_) => leave(getpid() != root, 99),
        }
    };
    let report = |name: &[u8; NAME]| {
        let mut record = [0u8; RECORD];
        record[..NAME].copy_from_slice(name);
        record[NAME..NAME + 4].copy_from_slice(&getpid().as_raw().to_le_bytes());
        record[NAME + 4..NAME + 8].copy_from_slice(&getppid().as_raw().to_le_bytes());
        // One write of 64 bytes (< PIPE_BUF) is atomic: reports never interleave.
        let _ = nix::unistd::write(&write_end, &record);
    };
    for line in program {
        match line {
            Line::Fork => {
                fork(&mut name, &mut len, &mut made);
            }
            Line::ForkChildExits => {
                if fork(&mut name, &mut len, &mut made) {
                    report(&name);
                    leave(true, 0);
                }
            }
            Line::ForkTwiceInParent => {
                if !fork(&mut name, &mut len, &mut made) {
                    fork(&mut name, &mut len, &mut made);
                }
            }
        }
    }
    // Reap every child of this process; ECHILD means none is left.
    while let Ok(_) | Err(Errno::EINTR) = waitpid(None::<Pid>, None) {}
    report(&name);
    if getpid() != root {
        leave(true, 0);
    }
    drop(write_end);
    collect(read_end)
}

/// Leaves a forked process with `_exit`; in the first process (the test), panics instead.
fn leave(in_child: bool, code: i32) -> ! {
    if in_child {
        // SAFETY: `_exit` ends the forked copy without running the test's destructors.
        unsafe { libc::_exit(code) }
    }
    panic!("fork failed in the first process");
}

/// Reads every report; returns the sorted names and whether each PPID is its parent's PID.
fn collect(read_end: std::os::fd::OwnedFd) -> (Vec<String>, bool) {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::from(read_end)
        .read_to_end(&mut bytes)
        .expect("read the reports");
    let records: Vec<(String, i32, i32)> = bytes
        .chunks(RECORD)
        .map(|r| {
            let name = String::from_utf8_lossy(&r[..NAME])
                .trim_end_matches('\0')
                .to_owned();
            let number = |at: usize| i32::from_le_bytes(r[at..at + 4].try_into().unwrap());
            (name, number(NAME), number(NAME + 4))
        })
        .collect();
    let pid_of: HashMap<&str, i32> = records
        .iter()
        .map(|(n, pid, _)| (n.as_str(), *pid))
        .collect();
    let consistent = records
        .iter()
        .all(|(name, _, ppid)| match name.rsplit_once('.') {
            Some((parent, _)) => pid_of.get(parent) == Some(ppid),
            None => true,
        });
    let mut names: Vec<String> = records.into_iter().map(|(n, _, _)| n).collect();
    names.sort();
    (names, consistent)
}
