use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::exit_codes::collect_exit_codes;

/// Five distinct codes; the children end in reverse order, last one first.
const CODES: [u8; 5] = [3, 14, 15, 92, 65];

#[test]
fn collects_codes_in_child_order() {
    let _graded = support::sealed::graded();
    if support::crash::is_rerun() {
        let first = nix::unistd::getpid();
        let codes = collect_exit_codes(&CODES);
        super::only_in(first);
        super::report("RESULT", format!("{codes:?}"));
        super::report("NO_CHILD_LEFT", support::crash::no_child_left());
        return;
    }
    let run = super::isolated("grading::exit_codes::collects_codes_in_child_order");
    let report = format!(
        "collect_exit_codes({CODES:?}) = {}\nno child left afterwards: {}\n",
        super::reported(&run, "RESULT"),
        super::reported(&run, "NO_CHILD_LEFT")
    );
    support::assert_graded_snapshot!("ch03-exit_codes-five", report);
}

#[test]
fn handles_no_child_and_one_child() {
    let _graded = support::sealed::graded();
    if support::crash::is_rerun() {
        let first = nix::unistd::getpid();
        for (label, codes) in [("NONE", &[][..]), ("ONE", &[7]), ("ZERO", &[0, 0])] {
            let result = collect_exit_codes(codes);
            super::only_in(first);
            super::report(label, format!("{result:?}"));
        }
        super::report("NO_CHILD_LEFT", support::crash::no_child_left());
        return;
    }
    let run = super::isolated("grading::exit_codes::handles_no_child_and_one_child");
    for (label, input, expected) in [
        ("NONE", "[]", "Ok([])"),
        ("ONE", "[7]", "Ok([7])"),
        ("ZERO", "[0, 0]", "Ok([0, 0])"),
    ] {
        assert_eq!(
            super::reported(&run, label),
            expected,
            "collect_exit_codes({input}): yours (left), expected (right)"
        );
    }
    assert_eq!(
        super::reported(&run, "NO_CHILD_LEFT"),
        "true",
        "after collect_exit_codes([]), ([7]) and ([0, 0]), every child was waited for"
    );
}

/// Eight children: the first sleeps 8 × 15 ms, long enough to be killed while it sleeps.
const LONG: [u8; 8] = [1, 2, 3, 4, 5, 6, 7, 8];

#[test]
fn reports_a_killed_child_as_minus_its_signal() {
    let _graded = support::sealed::graded();
    if support::crash::is_rerun() {
        let killer = std::thread::spawn(kill_first_child);
        let first = nix::unistd::getpid();
        let codes = collect_exit_codes(&LONG);
        super::only_in(first);
        super::report(
            "KILLED",
            killer.join().expect("the killer thread").is_some(),
        );
        super::report("RESULT", format!("{codes:?}"));
        super::report("NO_CHILD_LEFT", support::crash::no_child_left());
        return;
    }
    let run = super::isolated("grading::exit_codes::reports_a_killed_child_as_minus_its_signal");
    assert_eq!(
        super::reported(&run, "KILLED"),
        "true",
        "the test found no child to kill: did collect_exit_codes({LONG:?}) fork?"
    );
    assert_eq!(
        super::reported(&run, "RESULT"),
        "Ok([-9, 2, 3, 4, 5, 6, 7, 8])",
        "collect_exit_codes({LONG:?}), while the test killed child 0 with SIGKILL (signal \
         9) as it slept: a status must come from waitpid, and a child killed by a signal \
         counts as -(signal number)"
    );
    assert_eq!(
        super::reported(&run, "NO_CHILD_LEFT"),
        "true",
        "after collect_exit_codes({LONG:?}) every child was waited for"
    );
}

/// Finds this process's first child (the oldest by start time, then the lowest PID) and
/// kills it with SIGKILL; `None` if no child appeared within 3 s.
fn kill_first_child() -> Option<Pid> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(3) {
        if !super::children().is_empty() {
            // A scan that ran while the children were being made may have missed the
            // first; this second one starts after it surely exists (and it sleeps 120 ms).
            let first = super::children().into_iter().min()?.1;
            kill(first, Signal::SIGKILL).ok()?;
            return Some(first);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    None
}

/// Children made before `fork` fails: the `FAIL_AT`-th call of `fork` fails with EAGAIN.
const FAIL_AT: usize = 3;

#[test]
fn waits_for_the_children_made_when_fork_fails() {
    let _graded = support::sealed::graded();
    if support::crash::is_rerun() {
        FORKS.store(0, Ordering::SeqCst);
        FAIL_FORK_AT.store(FAIL_AT, Ordering::SeqCst);
        let first = nix::unistd::getpid();
        let codes = collect_exit_codes(&[1, 2, 3, 4]);
        super::only_in(first);
        FAIL_FORK_AT.store(0, Ordering::SeqCst);
        super::report("RESULT", format!("{codes:?}"));
        super::report("NO_CHILD_LEFT", support::crash::no_child_left());
        return;
    }
    let run = super::isolated("grading::exit_codes::waits_for_the_children_made_when_fork_fails");
    assert_eq!(
        super::reported(&run, "RESULT"),
        "Err(EAGAIN)",
        "collect_exit_codes([1, 2, 3, 4]) while the test made fork number {FAIL_AT} fail \
         with EAGAIN (as it does when too many processes run): return fork's error"
    );
    assert_eq!(
        super::reported(&run, "NO_CHILD_LEFT"),
        "true",
        "collect_exit_codes([1, 2, 3, 4]) with fork number {FAIL_AT} failing: the {} \
         children already made must be waited for before the error is returned",
        FAIL_AT - 1
    );
}

/// Which call of `fork` fails (counting from 1); 0 means none. Only one isolated test
/// sets it.
static FAIL_FORK_AT: AtomicUsize = AtomicUsize::new(0);
static FORKS: AtomicUsize = AtomicUsize::new(0);
/// libc's own `fork`, found once in the first process (`dlsym` is not safe in a child).
static REAL_FORK: AtomicPtr<libc::c_void> = AtomicPtr::new(std::ptr::null_mut());

/// This test binary's `fork`: it stands in for libc's (`nix::unistd::fork` calls the
/// symbol `fork`, which the linker finds here first) so that a test can make one fork fail
/// as a system at its process limit would. Otherwise it calls libc's `fork`.
#[unsafe(no_mangle)]
pub extern "C" fn fork() -> libc::pid_t {
    let fail_at = FAIL_FORK_AT.load(Ordering::SeqCst);
    if fail_at != 0 && FORKS.fetch_add(1, Ordering::SeqCst) + 1 == fail_at {
        // SAFETY: __errno_location returns this thread's errno, valid for writing.
        unsafe { *libc::__errno_location() = libc::EAGAIN };
        return -1;
    }
    let mut real = REAL_FORK.load(Ordering::SeqCst);
    if real.is_null() {
        // SAFETY: dlsym with RTLD_NEXT and a NUL-terminated name only looks a symbol up.
        real = unsafe { libc::dlsym(libc::RTLD_NEXT, c"fork".as_ptr()) };
        assert!(!real.is_null(), "libc's fork not found");
        REAL_FORK.store(real, Ordering::SeqCst);
    }
    // SAFETY: `real` is libc's `fork`, whose type is `pid_t fork(void)`.
    let real: extern "C" fn() -> libc::pid_t = unsafe { std::mem::transmute(real) };
    real()
}
