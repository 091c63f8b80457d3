//! Step 13: what fork costs as the parent grows, with posix_spawn and Command beside it.

use std::ffi::CStr;
use std::process::Command;

use nix::spawn::{PosixSpawnAttr, PosixSpawnFileActions, posix_spawn};
use nix::unistd::{ForkResult, execv};
use support::child::Child;
use support::fmt;
use support::stats::{Summary, measure};
use support::table::Table;

const TRUE: &CStr = c"/bin/true";

// ANCHOR: fork_only
/// fork, and the child exits at once: the cost of copying the process itself.
fn fork_and_exit() {
    // SAFETY: the lesson is single-threaded (checked before measuring); the child calls
    // only _exit.
    match unsafe { nix::unistd::fork() } {
        Ok(ForkResult::Child) => unsafe_exit(0),
        Ok(ForkResult::Parent { child }) => {
            let _ = Child::adopt(child).wait();
        }
        Err(e) => panic!("fork failed: {e}"),
    }
}
// ANCHOR_END: fork_only

/// fork, then exec /bin/true in the child: the classic way to start a program.
fn fork_and_exec() {
    // SAFETY: as above; the child calls only execv and _exit.
    match unsafe { nix::unistd::fork() } {
        Ok(ForkResult::Child) => {
            let _ = execv(TRUE, &[c"true"]);
            unsafe_exit(127)
        }
        Ok(ForkResult::Parent { child }) => {
            let _ = Child::adopt(child).wait();
        }
        Err(e) => panic!("fork failed: {e}"),
    }
}

/// posix_spawn /bin/true: a new process that runs a new program, with no copy of ours.
fn spawn_true() {
    let attr = PosixSpawnAttr::init().expect("posix_spawnattr_init");
    let actions = PosixSpawnFileActions::init().expect("posix_spawn_file_actions_init");
    let no_env: [&CStr; 0] = [];
    let pid = posix_spawn(TRUE, &actions, &attr, &[c"true"], &no_env).expect("posix_spawn");
    let _ = Child::adopt(pid).wait();
}

fn command_true() {
    // Command::status(), with the child listed for the Ctrl-C handler while it runs.
    let _ = support::child::status(&mut Command::new("/bin/true"));
}

fn unsafe_exit(code: i32) -> ! {
    // SAFETY: _exit ends the child without running the parent's copy of anything.
    unsafe { libc::_exit(code) }
}

/// The size of this process's page tables (`VmPTE` in /proc/self/status).
fn page_tables() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmPTE:"))
                .map(|v| v.trim().to_owned())
        })
        .unwrap_or_else(|| "?".into())
}

/// `MemAvailable` from /proc/meminfo, in bytes: what can be used without swapping.
fn available_memory() -> Option<u64> {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("MemAvailable:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
                .map(|kib| kib * 1024)
        })
}

fn middle_half(s: &Summary) -> String {
    format!("{}–{}", fmt::duration(s.q1), fmt::duration(s.q3))
}

// ANCHOR: cost
pub fn show_fork_cost(sizes: &[(usize, usize)]) -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("13. What fork costs as the parent grows");
    let threads = support::threads::count();
    if threads != 1 {
        return Err(format!("cannot measure fork from {threads} threads").into());
    }
    let methods = [
        "fork + exit",
        "fork + exec true",
        "posix_spawn true",
        "Command true",
    ];
    let mut medians = Table::new(
        ["parent holds", "page tables", "runs"]
            .into_iter()
            .chain(methods),
    );
    let mut spreads = Table::new(["parent holds"].into_iter().chain(methods));
    let available = available_memory();
    for &(bytes, runs) in sizes {
        // Never push the reader's machine into swapping or the OOM killer.
        if available.is_some_and(|free| (bytes as u64) > free / 2) {
            fmt::note(&format!(
                "skipped {}: more than half of the memory available now ({})",
                fmt::bytes(bytes as u64),
                fmt::bytes(available.unwrap_or(0))
            ));
            continue;
        }
        // Written once, so every page is really in RAM and in the page tables.
        let buffer = vec![1u8; bytes];
        let row = [
            measure(1, runs, fork_and_exit),
            measure(1, runs, fork_and_exec),
            measure(1, runs, spawn_true),
            measure(1, runs, command_true),
        ];
        let mut cells = vec![fmt::bytes(bytes as u64), page_tables(), runs.to_string()];
        cells.extend(row.iter().map(|s| fmt::duration(s.median)));
        medians.row(cells);
        let mut cells = vec![fmt::bytes(bytes as u64)];
        cells.extend(row.iter().map(middle_half));
        spreads.row(cells);
        drop(std::hint::black_box(buffer));
    }
    println!("  median time, from the call until waitpid returned:");
    print!("{medians}");
    println!("  spread: the middle half of the runs (first to third quartile):");
    print!("{spreads}");
    fmt::note(
        "Wall-clock time of each run, after one warm-up run. fork copies the page table\n\
         entries of the parent's anonymous memory (they grow with it), not the pages;\n\
         posix_spawn and Command (which uses posix_spawn where it can) copy none of them,\n\
         so their cost stays flat. Baumann et al., \"A fork() in the road\" (HotOS 2019),\n\
         make the same point; lmbench (2003) timed fork+exit at 243–297 µs and fork+exec\n\
         at 1.2 ms on a 790 MHz machine.",
    );
    crate::conditions::describe()
}
// ANCHOR_END: cost
