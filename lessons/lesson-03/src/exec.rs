//! Step 7: exec replaces a process's program (this lesson is one such process); step 11:
//! several children run different code at the same time.

use std::error::Error;
use std::ffi::CString;
use std::hint::black_box;
use std::process::{Command, ExitStatus, Output};
use std::time::{Duration, Instant};

use nix::sys::wait::WaitStatus;
use nix::time::{ClockId, clock_gettime};
use nix::unistd::{execv, getpid, getppid};
use support::child::describe;
use support::fmt;
use support::table::Table;

use crate::report::{Reporting, fork_reporting};

/// When `main` began, and when the kernel says this process began, both on the boot-time
/// clock (the one `/proc/<pid>/stat` counts its start time on).
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    main_began: Duration,
    process_began: Option<Duration>,
}

impl Origin {
    /// Notes the time; call it first thing in `main`.
    pub fn now() -> Self {
        let main_began = clock_gettime(ClockId::CLOCK_BOOTTIME)
            .map(Duration::from)
            .unwrap_or_default();
        // Field 22 of /proc/self/stat: clock ticks from boot to the fork that made us.
        let ticks = support::proc::procfs::ticks_per_second().max(1);
        let process_began = support::proc::procfs::process::Process::myself()
            .and_then(|me| me.stat())
            .ok()
            .map(|stat| Duration::from_nanos(stat.starttime * 1_000_000_000 / ticks));
        Self {
            main_began,
            process_began,
        }
    }
}

/// This lesson's own start: the process is older than its `main`, because it was made
/// by the shell's fork and then ran other programs (rustup's `cargo`, cargo) before
/// cargo exec'd this one into it.
fn show_how_this_lesson_began(origin: &Origin) {
    let parent = getppid();
    let parent_name = support::proc::command_name(parent.as_raw()).unwrap_or_else(|_| "?".into());
    println!(
        "  this lesson: PID {}, its parent: PID {parent} ({parent_name})",
        getpid()
    );
    if let Some(began) = origin.process_began {
        let age = origin.main_began.saturating_sub(began);
        println!(
            "  the process began {} before main did (start time in /proc/self/stat, {} ticks/s)",
            fmt::duration(age),
            support::proc::procfs::ticks_per_second()
        );
    }
    let by_cargo = std::env::var_os("CARGO").is_some();
    let note = match (by_cargo, parent_name == "cargo") {
        (true, false) => format!(
            "cargo started this lesson (it sets $CARGO), yet the parent is {parent_name}: cargo\n\
             did not fork a child to run it, it exec'd the lesson into its own process. The\n\
             process began as `cargo run` (time to check or build it counts above); same PID."
        ),
        (true, true) => "cargo started this lesson and is still its parent: this cargo \
                         waited for it\ninstead of exec'ing it (cargo on Unix execs)."
            .to_owned(),
        (false, _) => format!(
            "Started without cargo, by {parent_name}: its fork made this process, then exec\n\
             loaded the lesson into it, so the process is a little older than main."
        ),
    };
    fmt::note(&note);
}

pub fn show_exec(origin: &Origin) -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("7. exec: a new program in the same process");
    show_how_this_lesson_began(origin);
    println!("  parent: {}", describe(&fork_and_exec_sh()?));
    let (output, status) = run_with_command()?;
    println!(
        "  Command::new(\"uname\").arg(\"-sr\").output() → {}, stdout {:?}",
        output.status,
        String::from_utf8_lossy(&output.stdout)
    );
    println!("  Command::new(\"sh\").args([\"-c\", \"exit 3\"]).status() → {status}");
    fmt::note(
        "exec keeps the process (PID, parent, open files except close-on-exec ones) and\n\
         replaces its program: code, data, heap and stack are thrown away and loaded fresh\n\
         from the new file. output() captured what uname printed through a pipe.",
    );
    Ok(())
}

// ANCHOR: exec
/// Forks a child that prints its PID and execs /bin/sh, which prints *its* PID ($$).
fn fork_and_exec_sh() -> Result<WaitStatus, Box<dyn std::error::Error>> {
    let child = support::child::fork(|| {
        println!("  child {}: about to exec /bin/sh", getpid());
        let script = CString::new(
            "echo \"  child $$: now running /bin/sh — same PID, new program (parent $PPID)\"",
        )
        .expect("no NUL inside");
        // exec only returns on failure: the code below runs only if /bin/sh is missing.
        let error = execv(c"/bin/sh", &[c"sh", c"-c", script.as_c_str()]).unwrap_err();
        println!("  exec failed: {error}");
        127
    })?;
    Ok(child.wait()?)
}
// ANCHOR_END: exec

// ANCHOR: command
/// The everyday form: std::process::Command starts the program (posix_spawn, or fork and
/// exec) and waits. support::child::output/status are Command's output()/status() with
/// the child also listed for the Ctrl-C handler.
fn run_with_command() -> std::io::Result<(Output, ExitStatus)> {
    let output = support::child::output(Command::new("uname").arg("-sr"))?;
    let status = support::child::status(Command::new("sh").args(["-c", "exit 3"]))?;
    Ok((output, status))
}
// ANCHOR_END: command

/// A job for one child: takes the amount of work, returns a result to report.
type Target = fn(u64) -> u128;

/// Three different jobs, as the source notes' `multiprocessing` demo gives each process
/// its own `target` function.
fn count_primes(limit: u64) -> u64 {
    (2..limit)
        .filter(|n| (2..).take_while(|d| d * d <= *n).all(|d| n % d != 0))
        .count() as u64
}

/// The sum of i² for i below `limit`, exact (a u128 holds it for any u64 limit below
/// about 7·10¹²).
fn sum_of_squares(limit: u64) -> u128 {
    (0..limit).map(|i| u128::from(black_box(i)).pow(2)).sum()
}

fn nap(limit: u64) -> u64 {
    std::thread::sleep(Duration::from_micros(limit / 10));
    0
}

pub fn show_different_programs_at_once(work: u64) -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("11. Different programs at the same time");
    let start = Instant::now();
    let running = start_targets(start, work)?;
    let mut table = Table::new(["target", "PID", "started", "finished", "result"])
        .right(2)
        .right(3);
    let mut spans = Vec::new();
    for (name, reporter) in running {
        let text = reporter.finish()?;
        let fields: Vec<u128> = text.split(' ').filter_map(|f| f.parse().ok()).collect();
        let [pid, began, ended, result] = fields[..] else {
            return Err(format!("bad report from {name}: {text:?}").into());
        };
        let (began, ended) = (began as u64, ended as u64);
        spans.push((began, ended));
        let at = |us: u64| fmt::duration(Duration::from_micros(us));
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

// ANCHOR: targets
/// Forks one child per job, each running a different function; each reports its PID, when
/// it began and ended (since `start`) and its result. All of them run at once.
fn start_targets(
    start: Instant,
    work: u64,
) -> Result<Vec<(&'static str, Reporting)>, Box<dyn Error>> {
    let targets: [(&str, Target); 3] = [
        ("count_primes", |work| count_primes(work / 10).into()),
        ("sum_of_squares", |work| sum_of_squares(work * 5)),
        ("nap (sleeps)", |work| nap(work).into()),
    ];
    let mut running = Vec::new();
    for (name, target) in targets {
        let child = fork_reporting(move || {
            // Instant is the system-wide monotonic clock: comparable across processes.
            let began = start.elapsed();
            let result = target(work);
            let ended = start.elapsed();
            let (began, ended) = (began.as_micros(), ended.as_micros());
            format!("{} {began} {ended} {result}", getpid())
        })?;
        running.push((name, child));
    }
    Ok(running)
}
// ANCHOR_END: targets
