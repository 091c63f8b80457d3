//! What this run's settings and machine do to its figures, printed at the top.

use support::fmt;

use crate::python::Python;

/// Prints the build, the cores, the machine's load and the python3 found.
pub fn show(py: Option<&Python>) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut conditions = fmt::Conditions::build(
        "Debug build (unoptimised): the toy VM and the Rust loop run several times slower per\n\
         iteration than with `cargo run --release -p lesson-08`. Each runtime's loop is\n\
         calibrated to the same time on one thread, so the speedups compare either way.",
        "Release build (optimised).",
    );
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    conditions.line(format!(
        "{cores} cores (std::thread::available_parallelism). Load average (runnable threads,\n\
         machine-wide, over 1/5/15 min, /proc/loadavg): {}. Above {cores}, other programs share\n\
         the cores with this lesson and every speedup here comes out lower.",
        load.join(" ")
    ));
    conditions.line(match py {
        Some(py) => format!("python3 {}: {}.", py.version, py.build),
        None => "python3 was not found (or did not run): the CPython rows are left out.".into(),
    });
    conditions.backtrace(
        "RUST_BACKTRACE is set: no effect here (nothing in this lesson panics).",
        "",
    );
    conditions.note();
}
