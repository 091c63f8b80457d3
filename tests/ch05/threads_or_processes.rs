use std::hint::black_box;
use std::time::{Duration, Instant};

use nix::sys::resource::{Resource, setrlimit};
use nix::sys::signal::{SigHandler, Signal, raise, signal};
use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork};
use support::crash::{Ending, is_rerun};

use crate::threads_or_processes::{Choice, Workload, choose};

const MIB: usize = 1 << 20;

const WORKLOADS: [Workload; 5] = [
    Workload {
        name: "resize 64 photos held in one buffer",
        tasks: 64,
        input_bytes: 8 * MIB,
        may_crash: false,
        untrusted: false,
    },
    Workload {
        name: "parse 8 uploaded files with a C library that segfaults on bad input",
        tasks: 8,
        input_bytes: MIB,
        may_crash: true,
        untrusted: false,
    },
    Workload {
        name: "run customers' plug-in scripts",
        tasks: 4,
        input_bytes: 0,
        may_crash: false,
        untrusted: true,
    },
    Workload {
        name: "count words in 32 chunks of one log file",
        tasks: 32,
        input_bytes: 4 * MIB,
        may_crash: false,
        untrusted: false,
    },
    Workload {
        name: "render 16 tiles of a map with a crash-prone GPU driver",
        tasks: 16,
        input_bytes: 2 * MIB,
        may_crash: true,
        untrusted: false,
    },
];

#[test]
fn chooses_for_each_workload() {
    let _graded = support::sealed::graded();
    let report: String = WORKLOADS
        .iter()
        .map(|w| format!("{}: {:?}\n", w.name, choose(w)))
        .collect();
    support::assert_graded_snapshot!("ch05-threads_or_processes-choices", report);
}

/// A task: read one byte per page of the caller's input. Async-signal-safe (no
/// allocation, no locks), so a forked child of a multi-threaded test may run it.
fn task(input: &[u8]) -> u64 {
    input.iter().step_by(4096).map(|&b| u64::from(b)).sum()
}

/// How a crashing task crashes: the two ways the exercise names.
#[derive(Debug, Clone, Copy)]
enum Crash {
    Abort,
    Segfault,
}

impl Crash {
    fn name(self) -> &'static str {
        match self {
            Crash::Abort => "abort()",
            Crash::Segfault => "SIGSEGV",
        }
    }
}

fn crash(how: Crash) -> ! {
    setrlimit(Resource::RLIMIT_CORE, 0, 0).ok();
    match how {
        Crash::Abort => std::process::abort(),
        Crash::Segfault => {
            // Rust's runtime handles SIGSEGV (to report stack overflows) and returns from a
            // signal that is not a real fault; put back the default action: terminate.
            // SAFETY: installs SIG_DFL, not a handler: no code runs in signal context.
            unsafe { signal(Signal::SIGSEGV, SigHandler::SigDfl) }.ok();
            raise(Signal::SIGSEGV).ok();
            std::process::abort()
        }
    }
}

/// Runs `tasks` tasks over `input` the chosen way; task `crash_at` crashes instead.
fn run_tasks(choice: Choice, tasks: usize, input: &[u8], crash_at: Option<(usize, Crash)>) {
    match choice {
        Choice::Threads => std::thread::scope(|s| {
            for i in 0..tasks {
                s.spawn(move || {
                    if let Some((at, how)) = crash_at
                        && at == i
                    {
                        crash(how)
                    }
                    black_box(task(input))
                });
            }
        }),
        Choice::Processes => {
            let mut children = Vec::with_capacity(tasks);
            for i in 0..tasks {
                // SAFETY: the child only reads memory and leaves with _exit or abort:
                // async-signal-safe, as a fork from a multi-threaded process requires.
                match unsafe { fork() }.expect("fork") {
                    ForkResult::Child => {
                        if let Some((at, how)) = crash_at
                            && at == i
                        {
                            crash(how)
                        }
                        black_box(task(input));
                        // SAFETY: leave the child at once, running none of the test's code.
                        unsafe { libc::_exit(0) }
                    }
                    ForkResult::Parent { child } => children.push(child),
                }
            }
            for child in children {
                waitpid(child, None).ok();
            }
        }
    }
}

/// Runs a workload with one crashing task inside a throwaway "caller" process and
/// reports how that caller ended: it should exit 0, having survived.
fn caller_with_a_crashing_task(choice: Choice, workload: &Workload, how: Crash) -> Ending {
    let input = vec![1u8; workload.input_bytes];
    // SAFETY: this runs only in the isolated re-run, whose other thread (libtest's main)
    // is blocked waiting for this test and holds no lock.
    match unsafe { fork() }.expect("fork") {
        ForkResult::Child => {
            run_tasks(choice, workload.tasks, &input, Some((1, how)));
            // SAFETY: leave the caller at once, running none of the test's code.
            unsafe { libc::_exit(0) }
        }
        ForkResult::Parent { child } => match waitpid(child, None) {
            Ok(nix::sys::wait::WaitStatus::Exited(_, code)) => Ending::Exited(code),
            Ok(nix::sys::wait::WaitStatus::Signaled(_, signal, core_dumped)) => Ending::Signaled {
                signal: signal as i32,
                core_dumped,
            },
            other => panic!("unexpected wait result {other:?}"),
        },
    }
}

/// The median time of running `workload` the chosen way, over 5 runs.
fn time(choice: Choice, workload: &Workload, input: &[u8]) -> Duration {
    let mut samples: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            run_tasks(choice, workload.tasks, input, None);
            start.elapsed()
        })
        .collect();
    samples.sort();
    samples[2]
}

/// Five fresh workloads: sizes and task counts drawn so that neither input size nor task
/// count tells the answer (a small plain one and a large crash-prone one, many tasks and
/// few), and plain ones with enough tasks that forking them all is clearly the slower way.
fn fresh_workloads(seed: u64) -> Vec<Workload> {
    let mut rng = support::seeded::Rng::new(seed);
    let mut draw =
        |name: &'static str, tasks: (u64, u64), kib: (u64, u64), crash, untrusted| Workload {
            name,
            tasks: rng.between(tasks.0, tasks.1) as usize,
            input_bytes: rng.between(kib.0, kib.1) as usize * 1024,
            may_crash: crash,
            untrusted,
        };
    let mut fresh = vec![
        draw(
            "fresh: checksum a config file's lines",
            (24, 64),
            (0, 512),
            false,
            false,
        ),
        draw(
            "fresh: hash the blocks of a disk image",
            (24, 64),
            (8192, 16384),
            false,
            false,
        ),
        draw(
            "fresh: decode videos with a codec that aborts",
            (24, 64),
            (8192, 16384),
            true,
            false,
        ),
        draw(
            "fresh: run filters written by visitors",
            (2, 8),
            (0, 512),
            false,
            true,
        ),
        draw(
            "fresh: call a flaky driver on visitors' data",
            (2, 64),
            (0, 16384),
            true,
            true,
        ),
    ];
    // Shuffle, so that position tells nothing either.
    for i in (1..fresh.len()).rev() {
        fresh.swap(i, rng.between(0, i as u64) as usize);
    }
    fresh
}

const LIVE: &str = "grading::threads_or_processes::choices_hold_up_when_measured";

#[test]
fn choices_hold_up_when_measured() {
    let _graded = support::sealed::graded();
    if !is_rerun() {
        let choices: Vec<Choice> = WORKLOADS.iter().map(choose).collect();
        support::crash::isolated_test(
            LIVE,
            Duration::from_secs(8),
            &format!("your choices {choices:?} did not hold up when run"),
        );
        return;
    }
    // The snapshot's workloads, and five fresh ones each run, so that no table of answers
    // copied from the snapshot fits.
    let seed = support::seeded::fresh();
    let fresh = fresh_workloads(seed);
    println!("five fresh workloads from seed {seed} (replay with PTM_SEED={seed}):");
    for w in &fresh {
        println!(
            "  {}: {} tasks, {} KiB each, may_crash {}, untrusted {}",
            w.name,
            w.tasks,
            w.input_bytes / 1024,
            w.may_crash,
            w.untrusted
        );
    }
    for (n, workload) in WORKLOADS.iter().chain(&fresh).enumerate() {
        let chosen = choose(workload);
        if workload.may_crash || workload.untrusted {
            // Crashing workloads take turns: one task aborts, or one segfaults.
            let how = if n % 2 == 0 {
                Crash::Abort
            } else {
                Crash::Segfault
            };
            let ending = caller_with_a_crashing_task(chosen, workload, how);
            assert_eq!(
                ending,
                Ending::Exited(0),
                "{}: with {chosen:?}, one task's {} took the caller down ({ending})",
                workload.name,
                how.name()
            );
            println!(
                "{}: {chosen:?}, the caller survived a task's {}",
                workload.name,
                how.name()
            );
        } else {
            let input = vec![1u8; workload.input_bytes];
            let threads = time(Choice::Threads, workload, &input);
            let processes = time(Choice::Processes, workload, &input);
            let (mine, other) = match chosen {
                Choice::Threads => (threads, processes),
                Choice::Processes => (processes, threads),
            };
            // A generous margin: on a noisy machine a near-tie proves nothing either way.
            assert!(
                mine.as_secs_f64() <= other.as_secs_f64() * 1.5,
                "{}: {chosen:?} took {mine:?}, the other way {other:?} (median of 5 runs each)",
                workload.name
            );
            println!(
                "{}: {chosen:?} {mine:?} vs {other:?} the other way (median of 5)",
                workload.name
            );
        }
    }
}
