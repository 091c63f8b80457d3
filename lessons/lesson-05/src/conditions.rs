//! What this run's settings do to its figures: the build profile, and environment
//! variables that change what is measured. Printed at the top, so a reader comparing
//! numbers with the book (or with a friend) knows what differs.

use support::fmt;

/// True when `RUST_BACKTRACE` asks for backtraces (set, and not `0`): Rust's default
/// panic hook would then resolve one for step 3's panic.
pub fn backtrace_requested() -> bool {
    std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0")
}

/// Prints the conditions of this run, one line each, with what they do to the figures.
pub fn show() {
    let profile = if cfg!(debug_assertions) {
        "Measured in a debug build (unoptimised). Most of what is timed here is the kernel's\n\
         and the C library's work (clone, fork, memcpy, pipe copies), the same in any build;\n\
         only the lesson's own loop (step 6's receiver reading one byte per page) runs\n\
         faster with `cargo run --release -p lesson-05`."
    } else {
        "Measured in a release build (optimised)."
    };
    let mut lines = vec![profile.to_string()];
    if backtrace_requested() {
        lines.push(
            "RUST_BACKTRACE is set. Printing a backtrace makes Rust read this program's debug\n\
             information into memory (35 MiB on the book's machine) and keep it: every later fork\n\
             would copy page tables for it (several times slower), and every forked child's RSS\n\
             would include it. So step 3 prints its panic without a backtrace."
                .into(),
        );
    }
    if let Some(size) = std::env::var_os("RUST_MIN_STACK") {
        lines.push(format!(
            "RUST_MIN_STACK={} is set: new threads get that much stack instead of 2 MiB,\n\
             which changes step 5's address space per thread (VmSize).",
            size.to_string_lossy()
        ));
    }
    fmt::note(&lines.join("\n"));
}
