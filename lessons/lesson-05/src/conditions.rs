//! What this run's settings do to its figures: the build profile, and environment
//! variables that change what is measured. Printed at the top, so a reader comparing
//! numbers with the book (or with a friend) knows what differs.

use support::fmt;

/// Prints the conditions of this run, one line each, with what they do to the figures.
pub fn show() {
    let mut conditions = fmt::Conditions::build(
        "Measured in a debug build (unoptimised). Most of what is timed here is the kernel's\n\
         and the C library's work (clone, fork, memcpy, pipe copies), the same in any build;\n\
         only the lesson's own loop (step 6's receiver reading one byte per page) runs\n\
         faster with `cargo run --release -p lesson-05`.",
        "Measured in a release build (optimised).",
    );
    conditions.backtrace(
        "RUST_BACKTRACE is set. Printing a backtrace makes Rust read this program's debug\n\
         information into memory (35 MiB on the book's machine) and keep it: every later fork\n\
         would copy page tables for it (several times slower), and every forked child's RSS\n\
         would include it. So step 3 prints its panic without a backtrace.",
        "",
    );
    if let Some(size) = std::env::var_os("RUST_MIN_STACK") {
        conditions.line(format!(
            "RUST_MIN_STACK={} is set: new threads get that much stack instead of 2 MiB,\n\
             which changes step 5's address space per thread (VmSize).",
            size.to_string_lossy()
        ));
    }
    conditions.note();
}
