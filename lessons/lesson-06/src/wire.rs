//! Passing a token back and forth between two ends, A and B, as fast as they can: the
//! ping-pong that `perf bench sched pipe` and lmbench's `lat_ctx` time.
//!
//! A is always the lesson's own (main) thread; B is a second thread or a forked child.
//! Each round trip, A touches its working set, hands the token to B and blocks until it
//! comes back; B blocks until the token arrives, touches its own working set, and hands it
//! back. Pinned to one core, every hand-off is a context switch: the one that blocks must
//! give the core to the other.

use std::io;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use nix::sys::wait::WaitStatus;
use support::affinity;
use support::stats::Summary;

/// How the token travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    /// One byte through a pipe each way (two pipes), as `perf bench sched pipe` does (perf
    /// passes a 4-byte `int`).
    Pipe,
    /// A shared 32-bit word and the `futex` system call: FUTEX_WAIT sleeps while the word
    /// holds the value the waiter expects; FUTEX_WAKE wakes a sleeper. Mutexes and
    /// `thread::park` are built on it on Linux.
    Futex,
}

/// What B is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ends {
    Threads,
    Processes,
}

/// One ping-pong experiment.
#[derive(Debug, Clone, Copy)]
pub struct Setup {
    pub wire: Wire,
    pub ends: Ends,
    pub cpu_a: usize,
    pub cpu_b: usize,
    /// Round trips per timed batch.
    pub round_trips: u32,
    /// Timed batches (one untimed batch runs first, to fault pages in and warm caches).
    pub batches: usize,
    /// Bytes each end touches between hand-offs (one read and write per 64-byte line).
    pub working_set: usize,
}

/// What one experiment measured.
#[derive(Debug, Clone, Copy)]
pub struct PingPong {
    /// Time per round trip: each run is one batch's time divided by its round trips.
    pub per_round_trip: Summary,
    /// Bit `n` set: that end was seen on CPU `n` (`sched_getcpu` after every hand-off).
    pub cpus_a: u64,
    pub cpus_b: u64,
}

/// The page both ends share: the futex word, and where B leaves its CPU mask at the end.
#[repr(C)]
struct Shared {
    turn: AtomicU32,
    cpus_b: AtomicU64,
}

/// An anonymous `MAP_SHARED` page: after `fork` parent and child see the same bytes (a
/// private page would be copied on the first write).
struct SharedPage(*mut Shared);

impl SharedPage {
    fn new() -> io::Result<Self> {
        // SAFETY: a fresh anonymous mapping; no existing memory is touched. Anonymous
        // pages start zeroed, a valid `Shared` (both atomics 0).
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                4096,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        Ok(Self(ptr.cast()))
    }

    fn get(&self) -> &Shared {
        // SAFETY: the mapping lives as long as `self` and holds a zero-initialised Shared.
        unsafe { &*self.0 }
    }
}

impl Drop for SharedPage {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the page `new` mapped; no reference outlives `self`.
        unsafe { libc::munmap(self.0.cast(), 4096) };
    }
}

// SAFETY: the page holds only atomics; sharing it between threads is what atomics are for.
unsafe impl Send for SharedPage {}
// SAFETY: as above.
unsafe impl Sync for SharedPage {}

/// The two pipes: `to_b` carries A's token to B, `to_a` brings it back.
#[derive(Clone, Copy)]
struct Pipes {
    to_b: [libc::c_int; 2],
    to_a: [libc::c_int; 2],
}

fn pipe() -> io::Result<[libc::c_int; 2]> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 writes two descriptors into the array it is given.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(fds)
}

fn close(fd: libc::c_int) {
    // SAFETY: closes a descriptor this module opened and no one else uses.
    unsafe { libc::close(fd) };
}

// ANCHOR: pipe_hand_off
/// Sends one byte down `write_fd`, then blocks in `read` until one byte comes back on
/// `read_fd`. Blocking in `read` is what makes the kernel switch to the other end.
fn send_then_wait(write_fd: libc::c_int, read_fd: libc::c_int) -> io::Result<()> {
    let token = [1u8];
    // SAFETY: write reads one byte from `token`.
    let sent = unsafe { libc::write(write_fd, token.as_ptr().cast(), 1) };
    let mut buf = [0u8];
    // SAFETY: read writes at most one byte into `buf`.
    let got = unsafe { libc::read(read_fd, buf.as_mut_ptr().cast(), 1) };
    match (sent, got) {
        (1, 1) => Ok(()),
        (1, 0) => Err(io::Error::other("the other end closed its pipe")),
        _ => Err(io::Error::last_os_error()),
    }
}
// ANCHOR_END: pipe_hand_off

fn wait_then_send(read_fd: libc::c_int, write_fd: libc::c_int) -> io::Result<()> {
    let mut buf = [0u8];
    // SAFETY: read writes at most one byte into `buf`; write reads one byte from it.
    let got = unsafe { libc::read(read_fd, buf.as_mut_ptr().cast(), 1) };
    if got != 1 {
        return Err(io::Error::other("the other end closed its pipe"));
    }
    // SAFETY: as above.
    if unsafe { libc::write(write_fd, buf.as_ptr().cast(), 1) } != 1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

// ANCHOR: futex
/// Sleeps in the kernel while `word` still holds `expected` (or until 5 s pass).
fn futex_wait(word: &AtomicU32, expected: u32) -> io::Result<()> {
    let timeout = libc::timespec {
        tv_sec: 5,
        tv_nsec: 0,
    };
    // SAFETY: FUTEX_WAIT reads the aligned u32 at `word` and the timespec; both are valid
    // for the call. Not FUTEX_PRIVATE: the word may be shared with a forked process.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT,
            expected,
            &timeout as *const libc::timespec,
        )
    };
    let error = io::Error::last_os_error();
    match (rc, error.raw_os_error()) {
        (0, _) | (_, Some(libc::EAGAIN | libc::EINTR)) => Ok(()), // woken, or word changed
        (_, Some(libc::ETIMEDOUT)) => Err(io::Error::other("the other end stopped answering")),
        _ => Err(error),
    }
}

/// Wakes one task sleeping in `futex_wait` on `word`.
fn futex_wake(word: &AtomicU32) {
    // SAFETY: FUTEX_WAKE only uses the address of `word` as a key; nothing is written.
    unsafe { libc::syscall(libc::SYS_futex, word.as_ptr(), libc::FUTEX_WAKE, 1) };
}

/// A's hand-off: give B the turn (1), wake it, sleep until the turn is A's again (0).
fn futex_send_then_wait(turn: &AtomicU32) -> io::Result<()> {
    turn.store(1, Ordering::Release);
    futex_wake(turn);
    while turn.load(Ordering::Acquire) != 0 {
        futex_wait(turn, 1)?;
    }
    Ok(())
}
// ANCHOR_END: futex

fn futex_wait_then_send(turn: &AtomicU32) -> io::Result<()> {
    while turn.load(Ordering::Acquire) != 1 {
        futex_wait(turn, 0)?;
    }
    turn.store(0, Ordering::Release);
    futex_wake(turn);
    Ok(())
}

/// Reads and writes one byte in every 64-byte cache line of `set`, as a program working on
/// its data between hand-offs would; `black_box` keeps the compiler from skipping it.
pub fn touch(set: &mut [u8]) {
    for byte in set.iter_mut().step_by(64) {
        *byte = byte.wrapping_add(1);
    }
    std::hint::black_box(set);
}

fn cpu_bit() -> u64 {
    1u64 << affinity::current_cpu().min(63)
}

/// B's side: pin, then answer `total` hand-offs. Returns the CPUs it was seen on.
fn run_b(setup: Setup, total: u64, pipes: Pipes, shared: &Shared) -> io::Result<u64> {
    affinity::pin_to(setup.cpu_b)?;
    let mut set = vec![0u8; setup.working_set];
    let mut cpus = 0;
    for _ in 0..total {
        match setup.wire {
            Wire::Pipe => wait_then_send(pipes.to_b[0], pipes.to_a[1])?,
            Wire::Futex => futex_wait_then_send(&shared.turn)?,
        }
        touch(&mut set);
        cpus |= cpu_bit();
    }
    Ok(cpus)
}

/// A's side: one untimed batch, then `batches` timed ones.
fn run_a(setup: Setup, pipes: Pipes, shared: &Shared) -> io::Result<(Vec<Duration>, u64)> {
    let mut set = vec![0u8; setup.working_set];
    let mut cpus = 0;
    let mut samples = Vec::with_capacity(setup.batches);
    for batch in 0..=setup.batches {
        let start = Instant::now();
        for _ in 0..setup.round_trips {
            touch(&mut set);
            match setup.wire {
                Wire::Pipe => send_then_wait(pipes.to_b[1], pipes.to_a[0])?,
                Wire::Futex => futex_send_then_wait(&shared.turn)?,
            }
            cpus |= cpu_bit();
        }
        if batch > 0 {
            samples.push(start.elapsed());
        }
    }
    Ok((samples, cpus))
}

/// Runs one experiment. The calling thread is A: it is pinned to `cpu_a` for the run and
/// given back the CPUs it was allowed before. Forking needs a single-threaded caller.
pub fn run(setup: Setup) -> Result<PingPong> {
    let allowed = affinity::allowed()?;
    affinity::pin_to(setup.cpu_a)?;
    let outcome = run_pinned(setup);
    affinity::allow(&allowed)?;
    outcome
}

fn run_pinned(setup: Setup) -> Result<PingPong> {
    let total = u64::from(setup.round_trips) * (setup.batches as u64 + 1);
    let page = SharedPage::new().context("mmap of the shared page")?;
    let pipes = Pipes {
        to_b: pipe()?,
        to_a: pipe()?,
    };
    let measured = match setup.ends {
        Ends::Threads => std::thread::scope(|s| {
            let page = &page;
            let b = s.spawn(move || run_b(setup, total, pipes, page.get()));
            let a = run_a(setup, pipes, page.get());
            if a.is_err() {
                // Unblock B: with the pipes closed and the word set, it stops waiting.
                close(pipes.to_b[1]);
            }
            let b = b.join().expect("B does not panic");
            Ok::<_, io::Error>((a?, b?))
        })
        .map(|((samples, cpus_a), cpus_b)| (samples, cpus_a, cpus_b)),
        Ends::Processes => run_with_child(setup, total, pipes, &page),
    };
    for fd in pipes.to_b.into_iter().chain(pipes.to_a) {
        close(fd);
    }
    let (samples, cpus_a, cpus_b) = measured?;
    let per_batch = Summary::of(samples).context("no batches")?;
    Ok(PingPong {
        per_round_trip: per_batch.per_operation(setup.round_trips),
        cpus_a,
        cpus_b,
    })
}

fn run_with_child(
    setup: Setup,
    total: u64,
    pipes: Pipes,
    page: &SharedPage,
) -> io::Result<(Vec<Duration>, u64, u64)> {
    wait_until_single_threaded();
    let shared = page.get();
    let child = support::child::fork(|| match run_b(setup, total, pipes, shared) {
        Ok(cpus) => {
            shared.cpus_b.store(cpus, Ordering::SeqCst);
            0
        }
        Err(_) => 1,
    })
    .map_err(io::Error::other)?;
    let measured = run_a(setup, pipes, shared);
    if measured.is_err() {
        drop(child); // killed and reaped
        return measured.map(|_| unreachable!());
    }
    let status = child.wait().map_err(io::Error::other)?;
    if !matches!(status, WaitStatus::Exited(_, 0)) {
        return Err(io::Error::other(format!(
            "B {}",
            support::child::describe(&status)
        )));
    }
    let (samples, cpus_a) = measured?;
    Ok((samples, cpus_a, shared.cpus_b.load(Ordering::SeqCst)))
}

/// A joined thread can stay listed in /proc/self/task for a moment after `join`
/// returns; `fork` refuses while it is. Wait up to 5 s for it to go (a busy machine can
/// be slow to finish the thread's exit).
fn wait_until_single_threaded() {
    support::threads::count_settled(1, Duration::from_secs(5));
}

/// The CPUs in a mask, as `0` or `0,1`.
pub fn cpu_list(mask: u64) -> String {
    (0..64)
        .filter(|n| mask & (1 << n) != 0)
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Fails unless both ends ran only where they were pinned.
pub fn check_pinning(setup: &Setup, measured: &PingPong) -> Result<()> {
    if measured.cpus_a != 1 << setup.cpu_a || measured.cpus_b != 1 << setup.cpu_b {
        bail!(
            "an end ran off its CPU: A on {}, B on {}",
            cpu_list(measured.cpus_a),
            cpu_list(measured.cpus_b)
        );
    }
    Ok(())
}
