//! Numbers and headings printed the same way in every lesson.

use std::time::Duration;

/// A byte count in binary units: `512 B`, `4.0 KiB`, `1.5 MiB`, `2.00 GiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = UNITS[0];
    for next in &UNITS[1..] {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = next;
    }
    if value < 10.0 {
        format!("{value:.2} {unit}")
    } else {
        format!("{value:.1} {unit}")
    }
}

/// A duration with a unit a reader can compare at a glance: `850 ns`, `12.3 µs`, `4.56 ms`, `1.20 s`.
pub fn duration(d: Duration) -> String {
    let ns = d.as_nanos() as f64;
    if ns < 1_000.0 {
        format!("{ns:.0} ns")
    } else if ns < 1_000_000.0 {
        format!("{:.1} µs", ns / 1_000.0)
    } else if ns < 1_000_000_000.0 {
        format!("{:.2} ms", ns / 1_000_000.0)
    } else {
        format!("{:.2} s", ns / 1_000_000_000.0)
    }
}

/// An address as the kernel prints it in `/proc/<pid>/maps`: lower-case hex, `0x` prefix.
pub fn address(addr: u64) -> String {
    format!("{addr:#014x}")
}

/// Lets the lesson end quietly when its reader stops reading, as in
/// `cargo run -p lesson-01 | head`. Rust ignores SIGPIPE, so writing to a closed pipe
/// is an error and `println!` panics with a backtrace; with the default action restored
/// the process just ends, as every Unix tool does. Only for lessons that use no pipes of
/// their own: a writer to a pipe whose reader has gone would then die instead of
/// seeing an error.
pub fn end_quietly_when_output_closes() {
    // SAFETY: signal(2) only changes this process's action for SIGPIPE; SIG_DFL is a
    // valid disposition and no handler of ours is involved.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Prints a chapter title; lessons call it once at the top of `main`.
pub fn chapter(number: u32, title: &str) {
    let line = format!("Chapter {number:02} · {title}");
    println!("{line}\n{}", "═".repeat(line.chars().count()));
}

/// Prints a step heading. Headings match the headings of the chapter's page, so a reader
/// can find in the book what the lesson is showing.
pub fn step(title: &str) {
    *CURRENT_STEP.lock().unwrap_or_else(|e| e.into_inner()) = title.to_owned();
    println!(
        "\n── {title} {}",
        "─".repeat(60usize.saturating_sub(title.chars().count()))
    );
}

/// The title of the step last begun with [`step`], for naming it when something fails.
static CURRENT_STEP: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

/// What a lesson prints, once, when a step fails: which step it was in and the error,
/// with each cause in the chain said once (`failed to start a thread: Resource
/// temporarily unavailable (os error 11)`, not the OS's words twice).
pub fn stopped(lesson: &str, error: &str) -> String {
    let step = CURRENT_STEP
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let mut causes: Vec<&str> = Vec::new();
    for cause in error.split(": ") {
        if !causes.iter().any(|seen| seen.contains(cause)) {
            causes.retain(|seen| !cause.contains(seen));
            causes.push(cause);
        }
    }
    let what = causes.join(": ");
    if step.is_empty() {
        format!("{lesson} stopped before its first step: {what}")
    } else {
        format!("{lesson} stopped in step \"{step}\": {what}")
    }
}

/// Prints an indented explanatory note under a step.
pub fn note(text: &str) {
    for line in text.lines() {
        println!("  │ {line}");
    }
}

/// True when `RUST_BACKTRACE` asks for backtraces: set, and not `0` (std's own rule). A
/// panic then makes std read this program's debug information, to name each frame.
pub fn backtrace_requested() -> bool {
    std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0")
}

/// What the conditions of a run do to its figures, said once at the top of a lesson that
/// measures (CONTRIBUTING.md: "Lessons that measure say what the setting does to the
/// figures"). Each lesson words the lines for its own figures; this picks the line for
/// the build in force and for `RUST_BACKTRACE`, in the order they are added.
#[derive(Debug)]
pub struct Conditions {
    lines: Vec<String>,
}

impl Conditions {
    /// Starts with `debug` in a debug (unoptimised) build, `release` in an optimised one.
    pub fn build(debug: &str, release: &str) -> Self {
        let line = if cfg!(debug_assertions) {
            debug
        } else {
            release
        };
        Self {
            lines: vec![line.to_owned()],
        }
    }

    /// Adds `set` when [`backtrace_requested`], `unset` otherwise; an empty one adds nothing.
    pub fn backtrace(&mut self, set: &str, unset: &str) -> &mut Self {
        let line = if backtrace_requested() { set } else { unset };
        if !line.is_empty() {
            self.lines.push(line.to_owned());
        }
        self
    }

    /// Adds a line of the lesson's own: the load, the CPUs, a setting only it reads.
    pub fn line(&mut self, text: impl Into<String>) -> &mut Self {
        self.lines.push(text.into());
        self
    }

    /// Every line, each text broken at its newlines.
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.lines.iter().flat_map(|text| text.lines())
    }

    /// Prints them as one [`note`] under the current step.
    pub fn note(&self) {
        note(&self.lines().collect::<Vec<_>>().join("\n"));
    }
}

/// Makes panics print only their thread, location and message — never a backtrace, even
/// with `RUST_BACKTRACE` set. Resolving a backtrace makes std read the program's debug
/// information into memory and keep it (tens of MiB), which would skew every memory and
/// fork measurement taken afterwards.
pub fn panics_without_backtrace() {
    std::panic::set_hook(Box::new(|info| {
        let thread = std::thread::current();
        let name = thread.name().unwrap_or("<unnamed>");
        let at = info.location().map(|l| l.to_string()).unwrap_or_default();
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("a panic payload that is not a string");
        let step = CURRENT_STEP.lock().map(|s| s.clone()).unwrap_or_default();
        let during = if step.is_empty() {
            String::new()
        } else {
            format!(" (in step \"{step}\")")
        };
        eprintln!("thread '{name}' panicked at {at}{during}:\n{message}");
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_names_its_step_and_each_cause_once() {
        assert_eq!(
            stopped("lesson-99", "boom"),
            "lesson-99 stopped before its first step: boom"
        );
        step("3. A thread pool");
        assert_eq!(
            stopped(
                "lesson-99",
                "failed to start a worker: failed to spawn thread: Resource temporarily \
                 unavailable (os error 11): Resource temporarily unavailable (os error 11)"
            ),
            "lesson-99 stopped in step \"3. A thread pool\": failed to start a worker: failed \
             to spawn thread: Resource temporarily unavailable (os error 11)"
        );
    }

    #[test]
    fn conditions_name_the_build_in_force_first() {
        let mut conditions = Conditions::build("debug\nsecond line", "release");
        conditions.line("load 0.5").backtrace("", "");
        let expected: &[&str] = if cfg!(debug_assertions) {
            &["debug", "second line", "load 0.5"]
        } else {
            &["release", "load 0.5"]
        };
        assert_eq!(conditions.lines().collect::<Vec<_>>(), expected);
    }

    #[test]
    fn bytes_pick_a_readable_unit() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(4096), "4.00 KiB");
        assert_eq!(bytes(1536 * 1024), "1.50 MiB");
        assert_eq!(bytes(300 * 1024 * 1024), "300.0 MiB");
    }

    #[test]
    fn durations_pick_a_readable_unit() {
        assert_eq!(duration(Duration::from_nanos(850)), "850 ns");
        assert_eq!(duration(Duration::from_nanos(12_345)), "12.3 µs");
        assert_eq!(duration(Duration::from_micros(4_560)), "4.56 ms");
        assert_eq!(duration(Duration::from_millis(1_200)), "1.20 s");
    }
}
