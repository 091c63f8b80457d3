//! Forked children that are always reaped: on return, on panic, and on Ctrl-C.
//!
//! A child that exits becomes a *zombie* until its parent collects its exit status with
//! `waitpid`. A lesson that forks must therefore wait for every child it makes, even when
//! it panics halfway or the reader presses Ctrl-C. Three pieces do that:
//!
//! - [`Child`], a guard around a child's PID: waiting consumes it; dropping it unwaited
//!   kills the child (`SIGKILL`) and reaps it.
//! - A fixed table of live children, and [`reap_on_interrupt`], which installs a handler
//!   for `SIGINT`, `SIGTERM` and `SIGHUP` that kills and reaps every child in the table
//!   (with the process group it leads, if any: `crate::crash::run` registers its children
//!   too) before the lesson dies of the signal. Only async-signal-safe calls (`kill`,
//!   `waitpid`, atomics) run in the handler, which then removes the named objects listed
//!   with `crate::cleanup`.
//! - [`fork`], which runs a closure in a new child process and leaves it with
//!   `libc::_exit`, so a panic in the child becomes exit status 101 instead of a second
//!   copy of the lesson carrying on.
//! - [`Interruptible`], for a child that `std::process::Command` started and waits for
//!   itself: it puts the child in the table, so Ctrl-C kills and reaps it too.

use std::fmt;
use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicI32, Ordering};

use nix::errno::Errno;
use nix::sys::signal::{self, SaFlags, SigAction, SigHandler, SigSet, Signal};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid};

/// The exit status of a child whose closure panicked (the same as a panicking `main`).
pub const PANIC_STATUS: i32 = 101;

/// Children not yet reaped, as raw PIDs (0 = free slot). Fixed size and atomics only, so
/// the signal handler can read it without taking a lock.
static LIVE: [AtomicI32; 256] = [const { AtomicI32::new(0) }; 256];

/// How many spawns and forks are between "the child exists" and "the child is in [`LIVE`]".
/// glibc's posix_spawn blocks signals while it creates the child and unblocks them just
/// before it returns, so a Ctrl-C pressed during a spawn arrives exactly then: before the
/// child could be listed. The handler defers such a signal to [`spawn_listed`].
static SPAWNING: AtomicI32 = AtomicI32::new(0);

/// A signal that arrived during a spawn, re-raised once the child is listed (0: none).
static DEFERRED: AtomicI32 = AtomicI32::new(0);

/// Spawns `command` and lists the child for the Ctrl-C handler, with no moment in between
/// when Ctrl-C could end this process and leave the child unknown to it. The caller must
/// [`unregister`] the child once it has reaped it.
pub(crate) fn spawn_listed(
    command: &mut std::process::Command,
) -> std::io::Result<std::process::Child> {
    SPAWNING.fetch_add(1, Ordering::SeqCst);
    let spawned = command.spawn();
    if let Ok(child) = &spawned {
        register(child.id() as i32);
    }
    end_spawn();
    spawned
}

/// Ends a spawn or fork begun with `SPAWNING.fetch_add(1)`, once its child is listed: a
/// signal that arrived meanwhile is raised again now.
fn end_spawn() {
    SPAWNING.fetch_sub(1, Ordering::SeqCst);
    let deferred = DEFERRED.swap(0, Ordering::SeqCst);
    if deferred != 0 {
        // SAFETY: raise(3) sends a signal to this thread; the handler runs as for any
        // Ctrl-C, now that the child is listed.
        unsafe { libc::raise(deferred) };
    }
}

/// A child process that will be reaped: by [`Child::wait`], or killed and reaped on drop.
#[derive(Debug)]
pub struct Child {
    pid: Pid,
    reaped: bool,
}

impl Child {
    /// Takes charge of a child this process already has (made by `posix_spawn`, or an
    /// orphan adopted as a subreaper): it will be reaped like one made by [`fork`].
    pub fn adopt(pid: Pid) -> Self {
        register(pid.as_raw());
        Self { pid, reaped: false }
    }

    /// The child's PID.
    pub fn pid(&self) -> Pid {
        self.pid
    }

    /// Blocks until the child ends and returns how it ended.
    pub fn wait(mut self) -> nix::Result<WaitStatus> {
        let status = wait_for_end(self.pid)?;
        self.mark_reaped();
        Ok(status)
    }

    /// Returns how the child ended if it has, without blocking; `None` while it runs.
    /// A child that has ended is reaped by this call (its zombie disappears).
    pub fn try_wait(&mut self) -> nix::Result<Option<WaitStatus>> {
        if self.reaped {
            return Ok(None);
        }
        match waitpid(self.pid, Some(WaitPidFlag::WNOHANG))? {
            WaitStatus::StillAlive => Ok(None),
            status => {
                self.mark_reaped();
                Ok(Some(status))
            }
        }
    }

    fn mark_reaped(&mut self) {
        self.reaped = true;
        unregister(self.pid.as_raw());
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        if !self.reaped {
            // Killing an already-dead (zombie) child is harmless; the wait then reaps it.
            let _ = signal::kill(self.pid, Signal::SIGKILL);
            let _ = wait_for_end(self.pid);
            unregister(self.pid.as_raw());
        }
    }
}

/// A child started by `std::process::Command` through `spawn_listed`, listed for the
/// Ctrl-C handler while the std handle waits for it: the handler kills and reaps it if
/// Ctrl-C comes first.
/// Dropping the guard only takes the PID off the list (std's `wait` reaps the child).
#[derive(Debug)]
pub struct Interruptible {
    pid: i32,
}

impl Drop for Interruptible {
    fn drop(&mut self) {
        unregister(self.pid);
    }
}

/// Runs `command` to its end like `Command::output`, but with the child listed for the
/// Ctrl-C handler while it runs.
pub fn output(command: &mut std::process::Command) -> std::io::Result<std::process::Output> {
    use std::process::Stdio;
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = spawn_listed(command)?;
    let _listed = Interruptible {
        pid: child.id() as i32,
    };
    child.wait_with_output()
}

/// Runs `command` to its end like `Command::status`, but with the child listed for the
/// Ctrl-C handler while it runs.
pub fn status(command: &mut std::process::Command) -> std::io::Result<std::process::ExitStatus> {
    let mut child = spawn_listed(command)?;
    let _listed = Interruptible {
        pid: child.id() as i32,
    };
    child.wait()
}

/// How a child ended, in words: `exited with status 3`, `killed by SIGKILL`.
pub fn describe(status: &WaitStatus) -> String {
    match status {
        WaitStatus::Exited(_, code) => format!("exited with status {code}"),
        WaitStatus::Signaled(_, signal, core) => format!(
            "killed by {signal}{}",
            if *core { " (core dumped)" } else { "" }
        ),
        WaitStatus::Stopped(_, signal) => format!("stopped by {signal}"),
        WaitStatus::Continued(_) => "continued".to_owned(),
        WaitStatus::StillAlive => "still running".to_owned(),
        other => format!("{other:?}"),
    }
}

/// Waits for `pid` to end, retrying when a signal interrupts the wait; stops and
/// continues are not ends.
fn wait_for_end(pid: Pid) -> nix::Result<WaitStatus> {
    loop {
        match waitpid(pid, None) {
            Err(Errno::EINTR) => continue,
            Ok(WaitStatus::Stopped(..) | WaitStatus::Continued(_)) => continue,
            other => return other,
        }
    }
}

/// Why a child could not be forked.
#[derive(Debug)]
pub enum ForkError {
    /// This process runs more than one thread. The child of a multi-threaded process may
    /// deadlock on a lock another thread held at the moment of the fork, so we refuse.
    Threaded(usize),
    /// `fork` itself failed (e.g. `EAGAIN`: too many processes).
    Fork(Errno),
    /// [`fork_in_isolated_test`] was called outside the isolated copy of a test.
    NotIsolated,
}

impl fmt::Display for ForkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Threaded(n) => write!(
                f,
                "refusing to fork: this process runs {n} threads, and a forked child could \
                 deadlock on a lock one of them held"
            ),
            Self::Fork(errno) => write!(f, "fork failed: {errno}"),
            Self::NotIsolated => write!(
                f,
                "refusing to fork: this is not the isolated copy of a test \
                 (support::crash::isolated_test), where the test's thread has the process to itself"
            ),
        }
    }
}

impl std::error::Error for ForkError {}

// ANCHOR: fork
/// Runs `body` in a new child process and returns the parent's guard for it.
///
/// The child exits with the status `body` returns (`PANIC_STATUS` if it panics), using
/// `libc::_exit` so no destructor or exit handler of the parent's copy runs twice. Stdout
/// is flushed before the fork (or buffered text would be printed by both) and before the
/// exit. The child forgets the parent's table of children and gets the default action
/// for `SIGINT`, so Ctrl-C ends it and the parent's handler reaps it.
///
/// Fails with [`ForkError::Threaded`] unless this process has exactly one thread.
pub fn fork(body: impl FnOnce() -> i32) -> Result<Child, ForkError> {
    let threads = crate::threads::count();
    if threads != 1 {
        return Err(ForkError::Threaded(threads));
    }
    let _ = std::io::stdout().flush();
    // As for a spawn: a Ctrl-C between "fork returned" and "the child is listed" would
    // find the child unknown to the handler, which could leave it running (seen once, on
    // a busy machine: a child blocked opening a FIFO). Defer it until the child is listed.
    SPAWNING.fetch_add(1, Ordering::SeqCst);
    // SAFETY: the process has a single thread (checked just above), so no other thread
    // can hold a lock (malloc's, stdout's) that the child would inherit locked.
    match unsafe { nix::unistd::fork() } {
        Err(errno) => {
            end_spawn();
            Err(ForkError::Fork(errno))
        }
        Ok(ForkResult::Parent { child }) => {
            register(child.as_raw());
            end_spawn();
            Ok(Child {
                pid: child,
                reaped: false,
            })
        }
        Ok(ForkResult::Child) => {
            // The parent's bookkeeping is not the child's: a signal deferred here was the
            // parent's to act on, and the parent kills this child when it does.
            SPAWNING.store(0, Ordering::SeqCst);
            DEFERRED.store(0, Ordering::SeqCst);
            forget_parents_children();
            let code = catch_unwind(AssertUnwindSafe(body)).unwrap_or(PANIC_STATUS);
            let _ = std::io::stdout().flush();
            // SAFETY: `_exit` ends the process at once; nothing of the parent's copy
            // (destructors, atexit handlers, buffered files) runs a second time.
            unsafe { libc::_exit(code) }
        }
    }
}
// ANCHOR_END: fork

/// [`fork`] for the isolated copy of a grading test (`crate::crash::isolated_test`), which
/// runs two threads: the test's own, and libtest's main thread, parked until the test
/// ends. `fork` refuses any second thread; this allows that one.
///
/// **The child may only call async-signal-safe functions** (signal-safety(7): `read`,
/// `write`, `_exit`, futex waits and wakes, `nanosleep` …). It gets a copy of this one
/// thread alone: a lock another thread held at the fork stays locked in it for good, so
/// anything that takes one (stdout, the environment, a `Mutex` shared with a thread) could
/// hang it. glibc's `fork` resets `malloc`'s locks, so allocating is safe with glibc.
///
/// The child exits with the status `body` returns (`PANIC_STATUS` if it panics) through
/// `libc::_exit`, without flushing stdout, which takes a lock. The parent gets a [`Child`]
/// guard, which kills and reaps it if dropped unwaited. Fails with
/// [`ForkError::NotIsolated`] outside an isolated copy (`crate::crash::is_rerun`).
pub fn fork_in_isolated_test(body: impl FnOnce() -> i32) -> Result<Child, ForkError> {
    if !crate::crash::is_rerun() {
        return Err(ForkError::NotIsolated);
    }
    // SAFETY: in the isolated copy no other thread of the test runs code that the child
    // could need (libtest's main thread waits for this one); the child runs `body`, held
    // by the rules above, and leaves with `_exit`, never returning into the test.
    match unsafe { nix::unistd::fork() } {
        Err(errno) => Err(ForkError::Fork(errno)),
        Ok(ForkResult::Parent { child }) => Ok(Child::adopt(child)),
        Ok(ForkResult::Child) => {
            let code = catch_unwind(AssertUnwindSafe(body)).unwrap_or(PANIC_STATUS);
            // SAFETY: `_exit` ends the child at once, without the parent's destructors.
            unsafe { libc::_exit(code) }
        }
    }
}

/// Installs the Ctrl-C handler: on `SIGINT`, `SIGTERM` or `SIGHUP`, every live child is
/// killed and reaped, then the process dies of the same signal (so the shell sees it).
///
/// It also makes this process a *child subreaper* (`PR_SET_CHILD_SUBREAPER`): a
/// grandchild whose parent dies first (a tool the lesson runs, killed by the same Ctrl-C
/// before it reaped its own child) is then handed to this process, which reaps it, instead
/// of to PID 1, which on some machines never reaps it.
pub fn reap_on_interrupt() -> nix::Result<()> {
    become_subreaper()?;
    let action = SigAction::new(
        SigHandler::Handler(on_interrupt),
        SaFlags::empty(),
        SigSet::empty(),
    );
    for sig in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
        // SAFETY: `on_interrupt` calls only async-signal-safe functions (kill, waitpid,
        // signal, raise) and atomics, so it may run at any point of the program.
        unsafe { signal::sigaction(sig, &action)? };
    }
    Ok(())
}

/// Makes this process a *child subreaper* (`PR_SET_CHILD_SUBREAPER`, prctl(2)): a process
/// below it whose parent dies first is handed to it, not to PID 1, so it stays this
/// process's to see (its `ppid` becomes ours) and to reap. Lessons ([`reap_on_interrupt`]),
/// the Ctrl-C tests (`crate::sigint`) and the grader, which sweeps each exercise's orphans,
/// all become one.
pub fn become_subreaper() -> nix::Result<()> {
    nix::sys::prctl::set_child_subreaper(true)
}

extern "C" fn on_interrupt(sig: libc::c_int) {
    if SPAWNING.load(Ordering::SeqCst) > 0 {
        DEFERRED.store(sig, Ordering::SeqCst);
        return;
    }
    let mut stopped = 0u32;
    for slot in &LIVE {
        let pid = slot.load(Ordering::SeqCst);
        if pid > 0 {
            stopped += 1;
            // SAFETY: kill and waitpid are async-signal-safe; a null status pointer is
            // allowed by waitpid. `kill(-pid)` reaches the process group a child leads
            // (`support::crash::run` starts one per child) and fails harmlessly (ESRCH)
            // for a child that leads none: no other group can have our child's PID as ID.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, std::ptr::null_mut(), 0);
            }
        }
    }
    // Reap any other child: one forked a moment ago and not yet in the table (a lesson
    // timing bare fork + _exit), which ends by itself within microseconds, or an orphan
    // adopted as a subreaper that dies with its killed parent. Wait for such children up
    // to 2 s (a loaded machine may not run a fresh child for a while), never longer, so an
    // unknown long-lived child cannot hang us; with no child left it returns at once.
    let pause = libc::timespec {
        tv_sec: 0,
        tv_nsec: 2_000_000,
    };
    for _ in 0..1000 {
        // SAFETY: waitpid is async-signal-safe; WNOHANG returns at once.
        match unsafe { libc::waitpid(-1, std::ptr::null_mut(), libc::WNOHANG) } {
            reaped if reaped > 0 => stopped += 1,
            // SAFETY: nanosleep is async-signal-safe; `pause` is a valid timespec.
            0 => unsafe {
                libc::nanosleep(&pause, std::ptr::null_mut());
            },
            _ => break, // ECHILD: no children left
        }
    }
    // With every child gone, no one can create a name any more: remove the FIFOs, socket
    // files, shared memory and queues this process registered (`crate::cleanup`).
    let removed = crate::cleanup::remove_all();
    say_what_was_cleaned_up(sig, stopped, removed as u32);
    // SAFETY: both are async-signal-safe; with the default action restored, raising the
    // signal again ends the process the way the reader asked.
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
}

/// Tells the reader, in one line on stderr, what the interrupt cleaned up. Only `write` and
/// stack buffers: this runs in a signal handler, where allocating could deadlock.
fn say_what_was_cleaned_up(sig: libc::c_int, children: u32, names: u32) {
    let signal: &[u8] = match sig {
        libc::SIGINT => b"Ctrl-C",
        libc::SIGTERM => b"SIGTERM",
        _ => b"SIGHUP",
    };
    let (mut c, mut n) = ([0u8; 10], [0u8; 10]);
    let parts: [&[u8]; 7] = [
        b"\nStopped by ",
        signal,
        b": ended and reaped ",
        decimal(children, &mut c),
        b" child process(es), removed ",
        decimal(names, &mut n),
        b" FIFO, socket, shared-memory or queue name(s) it had made; nothing is left behind.\n",
    ];
    for part in parts {
        // SAFETY: write is async-signal-safe; `part` is a valid buffer of its length.
        unsafe { libc::write(libc::STDERR_FILENO, part.as_ptr().cast(), part.len()) };
    }
}

/// `value` in decimal digits, written into `buffer`, without allocating.
fn decimal(mut value: u32, buffer: &mut [u8; 10]) -> &[u8] {
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            return &buffer[start..];
        }
    }
}

pub(crate) fn register(pid: i32) {
    // A full table only means Ctrl-C cannot reap this one; the guard still does.
    let _ = LIVE.iter().find(|slot| {
        slot.compare_exchange(0, pid, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    });
}

pub(crate) fn unregister(pid: i32) {
    for slot in &LIVE {
        let _ = slot.compare_exchange(pid, 0, Ordering::SeqCst, Ordering::SeqCst);
    }
}

/// In a fresh child: the parent's children are not ours to kill, and Ctrl-C should end
/// the child plainly (its parent reaps it).
fn forget_parents_children() {
    for slot in &LIVE {
        slot.store(0, Ordering::SeqCst);
    }
    // SAFETY: restoring the default action is async-signal-safe and touches no memory.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_DFL);
        libc::signal(libc::SIGTERM, libc::SIG_DFL);
        libc::signal(libc::SIGHUP, libc::SIG_DFL);
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn decimal_writes_digits_without_allocating() {
        let mut buffer = [0u8; 10];
        assert_eq!(super::decimal(0, &mut buffer), b"0");
        assert_eq!(super::decimal(4_294_967_295, &mut buffer), b"4294967295");
        assert_eq!(super::decimal(42, &mut buffer), b"42");
    }

    use super::*;

    #[test]
    fn refuses_to_fork_from_a_threaded_test() {
        // libtest runs this test on a thread of its own, so there are at least two.
        assert!(matches!(fork(|| 0), Err(ForkError::Threaded(n)) if n >= 2));
    }

    #[test]
    fn refuses_to_fork_outside_an_isolated_test() {
        assert!(matches!(
            fork_in_isolated_test(|| 0),
            Err(ForkError::NotIsolated)
        ));
    }

    #[test]
    fn forks_in_an_isolated_test_and_passes_the_status_back() {
        if !crate::crash::is_rerun() {
            let run = crate::crash::rerun_test(
                "child::tests::forks_in_an_isolated_test_and_passes_the_status_back",
                std::time::Duration::from_secs(20),
            )
            .unwrap();
            assert!(run.ending.success(), "{run:?}");
            assert!(run.stdout.contains("statuses 7 101"), "{run:?}");
            return;
        }
        let seven = fork_in_isolated_test(|| 7).unwrap().wait().unwrap();
        let panicked = fork_in_isolated_test(|| panic!("in the child"))
            .unwrap()
            .wait()
            .unwrap();
        let code = |status: WaitStatus| match status {
            WaitStatus::Exited(_, code) => code,
            other => panic!("{other:?}"),
        };
        println!("statuses {} {}", code(seven), code(panicked));
    }

    #[test]
    fn dropping_an_adopted_child_kills_and_reaps_it() {
        // The std handle is forgotten on purpose: the guard does the reaping here.
        let pid = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .map(|sleeper| Pid::from_raw(sleeper.id() as i32))
            .unwrap();
        drop(Child::adopt(pid));
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            "killed and reaped: no zombie left"
        );
    }
}
