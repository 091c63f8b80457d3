use std::time::Duration;

use nix::sys::resource::{Resource, setrlimit};
use nix::sys::signal::{SigHandler, Signal, raise, signal};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;
use support::crash::is_rerun;

use crate::child_result::{JobError, PANICKED, outcome, run_in_child};

#[test]
fn turns_wait_statuses_into_results() {
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
    support::testing::settings()
        .bind(|| insta::assert_snapshot!("ch05-child_result-statuses", report));
}

/// This test's full name: the isolated re-run is asked for it by name.
const LIVE: &str = "grading::child_result::runs_real_jobs_in_children";

/// Crashing on purpose: no core file, and no panic message on stderr.
fn quietly() {
    setrlimit(Resource::RLIMIT_CORE, 0, 0).ok();
    std::panic::set_hook(Box::new(|_| {}));
}

#[test]
fn runs_real_jobs_in_children() {
    if !is_rerun() {
        // libtest runs tests on threads; forking is done in a fresh copy of this test
        // binary that runs this one test alone.
        support::crash::isolated_test(
            LIVE,
            Duration::from_secs(8),
            "does run_in_child wait for the child it forked, and does the child leave \
             with `_exit` after the job?",
        );
        return;
    }
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
