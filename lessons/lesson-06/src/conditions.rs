//! What this run's settings do to its figures, printed at the top.

use support::fmt;

pub fn show() {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load = load.split_whitespace().next().unwrap_or("?");
    fmt::Conditions::build(
        "Debug build (unoptimised). The switches, pipes and futex calls are the kernel's work and\n\
         cost the same in any build; the loops that touch a working set (step 3) and spin on the\n\
         clock (step 4) run slower: `cargo run --release -p lesson-06` for tighter figures.",
        "Release build (optimised).",
    )
    .backtrace(
        "RUST_BACKTRACE is set; nothing here panics, so it changes no figure.",
        "RUST_BACKTRACE is not set (it would change no figure here: nothing panics).",
    )
    .line(format!(
        "Load average (1 min) {load} on {} CPUs: other tasks share the cores and\n\
         widen the spread.",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    ))
    .note();
}
