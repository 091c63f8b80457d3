//! The real CPython, run beside the toy VM when `python3` is on the machine.
//!
//! The script is `python/workloads.py` (the book shows it); it is built into the lesson
//! and passed to `python3 -c`, so the lesson finds it wherever the binary is run from.

use std::os::unix::process::CommandExt;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

const SCRIPT: &str = include_str!("../python/workloads.py");

/// A `python3` that runs, with its version and build.
#[derive(Debug, Clone)]
pub struct Python {
    pub version: String,
    pub build: String,
}

/// Asks `python3` for its version and whether it has a GIL; `None` when there is none.
pub fn find() -> Option<Python> {
    let out = run(&["info"]).ok()?;
    Some(Python {
        version: field(&out, "version")?.to_owned(),
        build: out.split_once("build=")?.1.trim().to_owned(),
    })
}

/// Iterations of the script's loop that one Python thread runs in about `target`.
pub fn calibrate(target: Duration) -> Result<u64> {
    let out = run(&["calibrate", &target.as_secs_f64().to_string()])?;
    parse(&out, "iterations")
}

/// Runs one workload and returns the time the script measured for it.
pub fn timed(args: &[&str]) -> Result<Duration> {
    let out = run(args)?;
    Ok(Duration::from_secs_f64(parse(&out, "seconds")?))
}

/// What x ended at, and what it should have been, when `threads` CPython threads each add
/// 1 to it `times` times: by `x += 1` (`how` = "plain") or with a call between the read
/// and the write ("call"), with the given switch interval.
pub fn race(how: &str, threads: u32, times: u64, interval: Duration) -> Result<(u64, u64)> {
    let out = run(&[
        "race",
        how,
        &threads.to_string(),
        &times.to_string(),
        &interval.as_secs_f64().to_string(),
    ])?;
    Ok((parse(&out, "x")?, parse(&out, "expected")?))
}

// ANCHOR: run_python
/// Runs the script with `args` and returns what it printed. `python3` leads a process
/// group of its own, so the Ctrl-C handler's kill of that group takes its
/// `multiprocessing` workers too.
fn run(args: &[&str]) -> Result<String> {
    let mut command = Command::new("python3");
    command.arg("-c").arg(SCRIPT).args(args).process_group(0);
    let output = support::child::output(&mut command).context("could not start python3")?;
    if !output.status.success() {
        bail!(
            "python3 {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
// ANCHOR_END: run_python

fn field<'a>(out: &'a str, key: &str) -> Option<&'a str> {
    out.split_whitespace()
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
}

fn parse<T: std::str::FromStr>(out: &str, key: &str) -> Result<T> {
    field(out, key)
        .and_then(|v| v.parse().ok())
        .with_context(|| format!("python3 printed no {key}=: {out:?}"))
}
