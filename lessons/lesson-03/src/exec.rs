//! Steps 7–8: exec replaces a process's program; several children run different code at
//! the same time.

use std::ffi::CString;
use std::hint::black_box;
use std::time::Instant;

use nix::unistd::{execv, getpid};
use support::child::describe;
use support::fmt;
use support::table::Table;

use crate::report::fork_reporting;

// ANCHOR: exec
pub fn show_exec() -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("7. exec: a new program in the same process");
    let child = support::child::fork(|| {
        println!("  child {}: about to exec /bin/sh", getpid());
        let program = c"/bin/sh";
        let script = CString::new(
            "echo \"  child $$: now running /bin/sh — same PID, new program (parent $PPID)\"",
        )
        .expect("no NUL inside");
        // exec only returns on failure: the code below runs only if /bin/sh is missing.
        let error = execv(program, &[c"sh", c"-c", script.as_c_str()]).unwrap_err();
        println!("  exec failed: {error}");
        127
    })?;
    println!("  parent: {}", describe(&child.wait()?));

    // The everyday form: std::process::Command forks (or spawns), execs, and waits.
    let output = std::process::Command::new("echo")
        .args(["  Command ran", "echo", "and captured its output"])
        .output()?;
    print!("{}", String::from_utf8_lossy(&output.stdout));
    let status = std::process::Command::new("sh")
        .args(["-c", "exit 3"])
        .status()?;
    println!("  Command::new(\"sh\").args([\"-c\", \"exit 3\"]).status() → {status}");
    fmt::note(
        "exec keeps the process (PID, parent, open files) and replaces its program: code,\n\
         data, heap and stack are thrown away and loaded fresh from the new file.",
    );
    Ok(())
}
// ANCHOR_END: exec

/// A job for one child: takes the amount of work, returns a result to report.
type Target = fn(u64) -> u64;

/// Three different jobs, as the seed's `multiprocessing` demo gives each process its own
/// `target` function.
fn count_primes(limit: u64) -> u64 {
    (2..limit)
        .filter(|n| (2..).take_while(|d| d * d <= *n).all(|d| n % d != 0))
        .count() as u64
}

fn sum_of_squares(limit: u64) -> u64 {
    (0..limit * 10)
        .map(|i| black_box(i) * i)
        .fold(0u64, u64::wrapping_add)
}

fn nap(limit: u64) -> u64 {
    std::thread::sleep(std::time::Duration::from_micros(limit / 10));
    0
}

// ANCHOR: targets
pub fn show_different_programs_at_once(work: u64) -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("8. Different programs at the same time");
    let start = Instant::now();
    let targets: [(&str, Target); 3] = [
        ("count_primes", |work| count_primes(work / 10)),
        ("sum_of_squares", sum_of_squares),
        ("nap (sleeps)", nap),
    ];
    let mut running = Vec::new();
    for (name, target) in targets {
        running.push((
            name,
            fork_reporting(move || {
                // Instant is the system-wide monotonic clock: comparable across processes.
                let began = start.elapsed();
                let result = target(work);
                let ended = start.elapsed();
                format!(
                    "{} {} {} {result}",
                    getpid(),
                    began.as_micros(),
                    ended.as_micros()
                )
            })?,
        ));
    }
    let mut table = Table::new(["target", "PID", "started", "finished", "result"])
        .right(2)
        .right(3);
    let mut spans = Vec::new();
    for (name, reporter) in running {
        let text = reporter.finish()?;
        let fields: Vec<u64> = text.split(' ').filter_map(|f| f.parse().ok()).collect();
        let [pid, began, ended, result] = fields[..] else {
            return Err(format!("bad report from {name}: {text:?}").into());
        };
        spans.push((began, ended));
        let at = |us: u64| fmt::duration(std::time::Duration::from_micros(us));
        table.row([
            name.to_owned(),
            pid.to_string(),
            at(began),
            at(ended),
            result.to_string(),
        ]);
    }
    print!("{table}");
    let latest_start = spans.iter().map(|s| s.0).max().unwrap_or(0);
    let earliest_end = spans.iter().map(|s| s.1).min().unwrap_or(0);
    fmt::note(&format!(
        "Times since the parent started forking. All three were running at once: {}\n\
         (the last started before the first finished). With more runnable processes than\n\
         cores ({}), the kernel takes turns; with enough cores they truly run in parallel.",
        latest_start < earliest_end,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    ));
    Ok(())
}
// ANCHOR_END: targets
