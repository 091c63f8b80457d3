//! The lesson's hidden mode, `lesson-05 --demo <kind>`: a process that starts a worker
//! thread which crashes it. The lesson runs itself in this mode as a subprocess, so the
//! crash kills only that subprocess, and the lesson reports how it ended.

use std::process::ExitCode;
use std::thread;
use std::time::Duration;

use crate::faults;

/// The crashes a thread can commit.
pub const KINDS: [&str; 3] = [
    "segfault-in-thread",
    "abort-in-thread",
    "overflow-in-thread",
];

/// Every value `--demo` accepts: the crashes, and the fresh-process memory measurement.
pub const MODES: [&str; 4] = [KINDS[0], KINDS[1], KINDS[2], "idle-threads"];

/// Runs one demonstration. Returns only if the crash did not end the process.
pub fn run(kind: &str) -> ExitCode {
    if kind == "idle-threads" {
        return match crate::memory::report_idle_threads() {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("{error:#}");
                ExitCode::FAILURE
            }
        };
    }
    faults::no_core_files();
    let kind = kind.to_owned();
    println!("main thread: starting a worker that will crash ({kind})");
    let worker = thread::Builder::new()
        .name("faulty".into())
        .stack_size(256 * 1024)
        .spawn(move || {
            thread::sleep(Duration::from_millis(30));
            println!("worker thread: crashing now");
            crash(&kind);
        });
    let Ok(worker) = worker else {
        eprintln!("could not start the worker thread");
        return ExitCode::FAILURE;
    };
    for tick in 1..=5 {
        println!("main thread: still working (tick {tick})");
        thread::sleep(Duration::from_millis(20));
    }
    let joined = worker.join();
    println!("main thread: finished normally; join() gave {joined:?}");
    ExitCode::SUCCESS
}

// ANCHOR: crash_in_thread
fn crash(kind: &str) {
    match kind {
        "segfault-in-thread" => faults::touch_forbidden_page(),
        "abort-in-thread" => std::process::abort(),
        _ => println!("worker thread: {}", faults::overflow_stack(0)),
    }
}
// ANCHOR_END: crash_in_thread
