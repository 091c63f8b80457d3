//! What else shapes the measured figures: the build profile, and `RUST_BACKTRACE`, whose
//! first backtrace makes the process much bigger — and so every later fork dearer.

use std::io::Write;

use support::fmt;

use crate::report::fork_reporting;

/// `RssAnon` of this process from /proc/self/status, in bytes: its anonymous memory in RAM.
pub fn rss(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kib| kib * 1024)
}

// ANCHOR: backtrace
/// In a child: anonymous memory before and after one panic whose backtrace is printed
/// (to /dev/null), as `RUST_BACKTRACE=1` makes every panic do.
fn memory_around_a_backtrace() -> String {
    let before = rss("RssAnon:");
    if let Ok(null) = std::fs::File::options().write(true).open("/dev/null") {
        let _ = nix::unistd::dup2_stderr(null); // the panic message goes nowhere
    }
    // SAFETY: this forked child has one thread, so nothing reads the environment at the
    // same time.
    unsafe { std::env::set_var("RUST_BACKTRACE", "1") };
    let _ = std::panic::catch_unwind(|| panic!("a panic, to print its backtrace"));
    format!("{before} {}", rss("RssAnon:"))
}
// ANCHOR_END: backtrace

/// Says how this run was built and set up, and what that does to the fork figures.
pub fn describe() -> Result<(), Box<dyn std::error::Error>> {
    let build = if cfg!(debug_assertions) {
        "a debug build (`cargo run`; `cargo run --release` builds an optimised one)"
    } else {
        "a release build"
    };
    let backtrace = std::env::var("RUST_BACKTRACE").unwrap_or_default();
    let _ = std::io::stdout().flush();
    let report = fork_reporting(memory_around_a_backtrace)?.finish()?;
    let (before, after) = report
        .split_once(' ')
        .ok_or("no report from the backtrace child")?;
    let (before, after): (u64, u64) = (before.parse()?, after.parse()?);
    let setting = if backtrace.is_empty() || backtrace == "0" {
        "RUST_BACKTRACE is not set".to_owned()
    } else {
        format!("RUST_BACKTRACE={backtrace} is set")
    };
    fmt::note(&format!(
        "This is {build}.\n\
         {setting}. A child that printed one panic's backtrace grew\n\
         from {} to {} of anonymous memory: std reads the program's debug info\n\
         to name each frame, and keeps it. RUST_BACKTRACE=1 turns that on for every\n\
         panic; every later fork of such a process copies page tables for all of it.\n\
         No panic reached the lesson's own process: its anonymous memory is {} now.",
        fmt::bytes(before),
        fmt::bytes(after),
        fmt::bytes(rss("RssAnon:")),
    ));
    Ok(())
}
