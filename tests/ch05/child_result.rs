use std::time::Duration;

use nix::sys::resource::{Resource, setrlimit};
use nix::sys::signal::{SigHandler, Signal, raise, signal};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;
use support::crash::is_rerun;
use support::seeded::{self, Rng};

use crate::child_result::{JobError, PANICKED, outcome, run_in_child};

#[test]
fn turns_wait_statuses_into_results() {
    let _graded = support::sealed::graded();
    let pid = Pid::from_raw(4242);
    let cases = [
        ("exited with 0", WaitStatus::Exited(pid, 0)),
        ("exited with 3", WaitStatus::Exited(pid, 3)),
        ("exited with 101", WaitStatus::Exited(pid, 101)),
        (
            "SIGSEGV, core dumped",
            WaitStatus::Signaled(pid, Signal::SIGSEGV, true),
        ),
        ("SIGKILL", WaitStatus::Signaled(pid, Signal::SIGKILL, false)),
        (
            "stopped by SIGSTOP",
            WaitStatus::Stopped(pid, Signal::SIGSTOP),
        ),
        ("continued", WaitStatus::Continued(pid)),
    ];
    let report: String = cases
        .iter()
        .map(|(what, status)| format!("{what}:\n  {:?}\n", outcome(*status)))
        .collect();
    support::assert_graded_snapshot!("ch05-child_result-statuses", report);
}

#[test]
fn turns_fresh_statuses_into_results() {
    let _graded = support::sealed::graded();
    // Fresh PIDs, codes and signals each run: no table copied from the snapshot fits.
    let seed = seeded::fresh();
    let mut rng = Rng::new(seed);
    let pid = Pid::from_raw(rng.between(300, 4_000_000) as i32);
    let code = rng.between(1, 255) as i32;
    let signals = [
        Signal::SIGHUP,
        Signal::SIGINT,
        Signal::SIGQUIT,
        Signal::SIGBUS,
        Signal::SIGFPE,
        Signal::SIGUSR1,
        Signal::SIGPIPE,
        Signal::SIGALRM,
        Signal::SIGTERM,
    ];
    let killer = signals[rng.between(0, signals.len() as u64 - 1) as usize];
    let core = rng.between(0, 1) == 1;
    let stopper = [Signal::SIGTSTP, Signal::SIGTTIN, Signal::SIGTTOU][rng.between(0, 2) as usize];
    let cases = [
        (WaitStatus::Exited(pid, 0), Ok(())),
        (
            WaitStatus::Exited(pid, code),
            Err(JobError::Failed { code }),
        ),
        (
            WaitStatus::Signaled(pid, killer, core),
            Err(JobError::Killed {
                signal: killer,
                core_dumped: core,
            }),
        ),
        (
            WaitStatus::Stopped(pid, stopper),
            Err(JobError::System(format!(
                "not an ending: {:?}",
                WaitStatus::Stopped(pid, stopper)
            ))),
        ),
        (
            WaitStatus::StillAlive,
            Err(JobError::System("not an ending: StillAlive".into())),
        ),
    ];
    for (status, expected) in cases {
        assert_eq!(
            outcome(status),
            expected,
            "outcome({status:?}) (seed {seed}: replay with PTM_SEED={seed})"
        );
    }
}

/// This test's full name: the isolated re-run is asked for it by name.
const LIVE: &str = "grading::child_result::runs_real_jobs_in_children";

/// Printed by the parent without a newline just before forking (see the live test).
const UNWRITTEN: &str = "[the parent's unwritten line]";

/// Crashing on purpose: no core file, and no panic message on stderr.
fn quietly() {
    setrlimit(Resource::RLIMIT_CORE, 0, 0).ok();
    std::panic::set_hook(Box::new(|_| {}));
}

#[test]
fn runs_real_jobs_in_children() {
    let _graded = support::sealed::graded();
    if !is_rerun() {
        // libtest runs tests on threads; forking is done in a fresh copy of this test
        // binary that runs this one test alone.
        let finished = support::crash::isolated_test(
            LIVE,
            Duration::from_secs(8),
            "does run_in_child wait for the child it forked, and does the child leave \
             with `_exit` after the job?",
        );
        let copies = finished.stdout.matches(UNWRITTEN).count();
        assert_eq!(
            copies, 1,
            "the parent's unwritten output appeared {copies} times, not once: a child wrote \
             it out as it left. Leave the child with `libc::_exit`, which ends it at once, not \
             with `std::process::exit` (which flushes the parent's buffers in the child) or by \
             returning:\n{}",
            finished.stdout
        );
        return;
    }
    // Text waiting in this process's stdout buffer (no newline yet) while the children are
    // forked: each child gets a copy of the buffer, and must not write it out.
    print!("{UNWRITTEN}");
    type Job = fn() -> i32;
    let jobs: [(&str, Job); 6] = [
        ("returns 0", || 0),
        ("returns 3", || 3),
        ("panics", || {
            quietly();
            panic!("the job failed")
        }),
        ("calls abort()", || {
            quietly();
            std::process::abort()
        }),
        ("gets SIGSEGV", || {
            quietly();
            // Rust's runtime handles SIGSEGV (to report stack overflows) and, for a signal
            // that is not a real fault, returns; put back the default action: terminate.
            // SAFETY: installs SIG_DFL, not a handler: no code runs in signal context.
            unsafe { signal(Signal::SIGSEGV, SigHandler::SigDfl) }.ok();
            raise(Signal::SIGSEGV).ok();
            0
        }),
        ("gets SIGKILL", || {
            raise(Signal::SIGKILL).ok();
            0
        }),
    ];
    let results: Vec<(&str, Result<(), JobError>)> = jobs
        .iter()
        .map(|(what, job)| (*what, run_in_child(*job)))
        .collect();
    let killed_by = |r: &Result<(), JobError>| match r {
        Err(JobError::Killed { signal, .. }) => Some(*signal),
        _ => None,
    };
    assert_eq!(results[0].1, Ok(()), "{results:?}");
    assert_eq!(
        results[1].1,
        Err(JobError::Failed { code: 3 }),
        "{results:?}"
    );
    assert_eq!(
        results[2].1,
        Err(JobError::Failed { code: PANICKED }),
        "a panicking job exits with 101: {results:?}"
    );
    assert_eq!(
        killed_by(&results[3].1),
        Some(Signal::SIGABRT),
        "{results:?}"
    );
    assert_eq!(
        killed_by(&results[4].1),
        Some(Signal::SIGSEGV),
        "{results:?}"
    );
    assert_eq!(
        killed_by(&results[5].1),
        Some(Signal::SIGKILL),
        "{results:?}"
    );
    // Every child was waited for: none is left, not even as a zombie.
    assert_eq!(
        waitpid(None, Some(WaitPidFlag::WNOHANG)),
        Err(nix::errno::Errno::ECHILD),
        "a child was left unreaped"
    );
    println!("the parent survived all six jobs: {results:?}");
}

/// This test's full name: the isolated re-run is asked for it by name.
const SYSTEM: &str = "grading::child_result::failed_fork_and_failed_wait_are_system_errors";

#[test]
fn failed_fork_and_failed_wait_are_system_errors() {
    let _graded = support::sealed::graded();
    if !is_rerun() {
        support::crash::isolated_test(
            SYSTEM,
            Duration::from_secs(8),
            "does run_in_child return an error when fork or waitpid fails, instead of waiting \
             for a child that was never made?",
        );
        return;
    }
    let mentions = |result: &Result<(), JobError>, names: [&str; 2]| match result {
        Err(JobError::System(text)) => names.iter().any(|name| text.contains(name)),
        _ => false,
    };
    // `fork` fails with EAGAIN here, as when a user's process limit is reached.
    let no_fork = super::without_new_tasks(|| run_in_child(|| 0));
    assert!(
        mentions(&no_fork, ["EAGAIN", "Resource temporarily unavailable"]),
        "fork failed with EAGAIN, and run_in_child returned {no_fork:?}: expected \
         Err(JobError::System(..)) with the error's text"
    );
    // With SIGCHLD ignored, the kernel reaps children itself: waitpid waits for the child
    // to end, then fails with ECHILD ("no child processes").
    // SAFETY: installs SIG_IGN, not a handler: no code runs in signal context.
    unsafe { signal(Signal::SIGCHLD, SigHandler::SigIgn) }.expect("ignore SIGCHLD");
    let no_wait = run_in_child(|| 0);
    // SAFETY: as above; puts back the default action.
    unsafe { signal(Signal::SIGCHLD, SigHandler::SigDfl) }.expect("restore SIGCHLD");
    assert!(
        mentions(&no_wait, ["ECHILD", "No child processes"]),
        "waitpid failed with ECHILD, and run_in_child returned {no_wait:?}: expected \
         Err(JobError::System(..)) with the error's text"
    );
    println!("fork failed: {no_fork:?}; waitpid failed: {no_wait:?}");
}
