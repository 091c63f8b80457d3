//! The two kinds of check a lesson prints after a demonstration.
//!
//! - An **invariant** holds by construction on every machine: every task ran exactly once,
//!   the parallel answer equals the serial one, a full pipe blocks its writer, datagrams
//!   keep their boundaries. It prints `  → <claim>: yes`, and `NO` only when the lesson
//!   itself is wrong, so the lesson's tests assert that no invariant says `NO`.
//! - An **expectation** depends on timing and load: a speedup within Amdahl's bound, a
//!   spinning waiter burning more CPU than a sleeping one, the queue before a slow stage
//!   fuller than the one after. It prints the claim on a line of its own (`  ≈ <claim>`),
//!   then the figures it was judged on and whether this run showed it; where it did not,
//!   it names what was in force on this run that probably made it so (a busy machine, a
//!   debug build, one CPU). Tests never assert an expectation: a busy machine is not a bug.
//!
//! `CONTRIBUTING.md` (its conventions) says how to sort a new check.

use std::sync::Once;

/// Prints `  → {claim}: yes` (or `NO`) and returns `holds`.
pub fn invariant(claim: &str, holds: bool) -> bool {
    println!("  → {claim}: {}", yes_no(holds));
    holds
}

/// `"yes"` or `"NO"`, for an invariant printed inside a longer line of figures.
pub fn yes_no(holds: bool) -> &'static str {
    if holds { "yes" } else { "NO" }
}

/// Prints an expectation: the claim, then `figures` (what was measured, and the condition
/// it was held to) and the outcome of this run. When it did not hold, `if_not` says what
/// usually causes that, followed by the conditions of this run that can (see
/// [`conditions`]). Returns `held`.
pub fn expectation(claim: &str, figures: &str, held: bool, if_not: &str) -> bool {
    static LEGEND: Once = Once::new();
    LEGEND.call_once(|| println!("{LEGEND_TEXT}"));
    println!("  ≈ {claim}");
    if held {
        println!("      {figures}: as expected");
        return true;
    }
    let mut why = format!("{figures}: not on this run. {if_not}");
    let in_force = conditions();
    if !in_force.is_empty() {
        why.push_str(&format!(" In force here: {}.", in_force.join("; ")));
    }
    for line in wrap(&why, 92) {
        println!("      {line}");
    }
    false
}

/// The conditions of this run that bend timing-dependent figures: a debug build, a
/// machine busier than it has CPUs (the 1-minute load average of `/proc/loadavg`), a
/// single online CPU. Empty when none is in force.
pub fn conditions() -> Vec<String> {
    let mut found = Vec::new();
    if cfg!(debug_assertions) {
        found.push("a debug build (unoptimised code; try --release)".to_owned());
    }
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    if let Some(load) = load_average()
        && load >= cpus as f64
    {
        found.push(format!(
            "a busy machine (load average {load:.1} on {cpus} CPU(s))"
        ));
    }
    if cpus == 1 {
        found.push("one CPU available to this process".to_owned());
    }
    found
}

/// The 1-minute load average: runnable and uninterruptible tasks, averaged over the last
/// minute (proc(5), `/proc/loadavg`). It includes this lesson's own threads.
fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Breaks `text` into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().expect("never empty");
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_owned());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

const LEGEND_TEXT: &str = "  (→ an invariant: holds on every machine. \
≈ an expectation: depends on timing and load,\n   \
so one run on a busy machine or a debug build may miss it; the figures are printed either way.)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_within_the_width() {
        let lines = wrap("one two three four five six seven", 10);
        assert_eq!(lines, ["one two", "three four", "five six", "seven"]);
        assert!(lines.iter().all(|l| l.chars().count() <= 10));
    }

    #[test]
    fn a_debug_build_is_named_as_a_condition() {
        assert_eq!(
            conditions().iter().any(|c| c.starts_with("a debug build")),
            cfg!(debug_assertions)
        );
    }
}
