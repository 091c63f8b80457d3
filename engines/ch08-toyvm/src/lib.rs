//! A toy bytecode interpreter with a global interpreter lock (GIL), for chapter 08.
//!
//! A program is a list of [`Op`] instructions for a small stack machine. Each VM thread is
//! a real OS thread (`std::thread`), with its own operand stack and locals; the globals
//! are shared by all of them. In [`Mode::Gil`] a thread must hold the one interpreter lock
//! to execute an instruction, as in CPython; in [`Mode::NoGil`] it needs none, because
//! each global is an atomic integer (the per-object idea of PEP 703's free-threaded
//! build). In both modes one instruction is one step: `x += 1` compiles to `Load`, `Push`,
//! `Add`, `Store`, and another thread may run between any two of them.
//!
//! How the lock is handed over follows CPython's `Python/ceval_gil.c`: a thread that has
//! waited one *switch interval* (`sys.setswitchinterval`, 5 ms by default) without the
//! holder changing sets a *drop request*; the holder checks it between instructions,
//! drops the lock, and then waits until another thread has taken it, so it cannot simply
//! win it straight back. Blocking builtins ([`Op::Call`]) get the [`Interp`] and decide
//! themselves whether to let go of the lock while they block ([`Interp::release`] and
//! [`Interp::reacquire`], CPython's `Py_BEGIN_ALLOW_THREADS` / `Py_END_ALLOW_THREADS`).
//!
//! The VM counts the most threads that were ever executing instructions at the same
//! moment ([`Report::max_running`]): 1 under a working GIL, up to the thread count without.
//!
//! Why a crate of its own, not a module of `support` or of the lesson: chapter 08's
//! exercises are written against this VM (a builtin that releases the lock, bytecode
//! behind a VM-level lock, VMs in child processes), so the lesson, the exercises' crates
//! and the grading tests all need it, and a lesson is no dependency of the exercises.
//! Holding only the VM keeps `support` the book's shared kit, and gives a learner's crate
//! the VM without anything of another chapter. It holds no exercise's answer: its one
//! builtin is the mistake ([`sleep_holding`]), not the fix.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// One instruction of the stack machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Push a constant.
    Push(i64),
    /// Push the value of shared global number `n`.
    Load(usize),
    /// Pop a value into shared global number `n`.
    Store(usize),
    /// Push this thread's local number `n` (locals start at 0; there are [`LOCALS`]).
    LoadLocal(usize),
    /// Pop a value into this thread's local number `n`.
    StoreLocal(usize),
    /// Pop `b`, pop `a`, push `a + b`.
    Add,
    /// Pop `b`, pop `a`, push 1 if `a < b`, else 0.
    Less,
    /// Continue at instruction `n`.
    Jump(usize),
    /// Pop a value; if it is 0, continue at instruction `n`.
    JumpIfZero(usize),
    /// Pop an argument, call builtin number `n` of the thread's builtin table with it, and
    /// push what it returns.
    Call(usize),
    /// Take VM-level lock number `n` (Python's `threading.Lock().acquire()`), waiting for
    /// it with the interpreter lock released.
    Acquire(usize),
    /// Release VM-level lock number `n`.
    Release(usize),
    /// Stop this thread.
    Halt,
}

/// How many locals each thread has.
pub const LOCALS: usize = 4;
/// How many VM-level locks (for [`Op::Acquire`]) a VM has.
pub const LOCKS: usize = 4;

/// A builtin function: it gets the calling thread (to release the interpreter lock while it
/// blocks, if it is written to) and the popped argument, and returns the value to push.
pub type Builtin = fn(&mut Interp<'_>, i64) -> i64;

/// Whether threads must hold the interpreter lock to run bytecode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One global lock, offered to a waiting thread after it has waited `switch_interval`.
    Gil { switch_interval: Duration },
    /// No global lock: globals are atomics, threads run in parallel.
    NoGil,
}

impl Mode {
    /// The GIL with CPython's default switch interval, 5 ms.
    pub const DEFAULT_GIL: Mode = Mode::Gil {
        switch_interval: Duration::from_millis(5),
    };
}

/// What a run of [`Vm::run_threads`] measured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Wall-clock time from starting the first thread to joining the last.
    pub elapsed: Duration,
    /// The most threads that were executing instructions at the same moment.
    pub max_running: usize,
    /// How many times a thread dropped the interpreter lock because another asked for it.
    pub switches: u64,
    /// Instructions executed, all threads together.
    pub instructions: u64,
}

/// A toy VM: shared globals, the interpreter lock and the counters behind [`Report`].
#[derive(Debug)]
pub struct Vm {
    mode: Mode,
    globals: Vec<AtomicI64>,
    gil: Gil,
    locks: Vec<VmLock>,
    running: AtomicUsize,
    max_running: AtomicUsize,
    instructions: AtomicUsize,
}

impl Vm {
    /// A VM in `mode` with `globals` shared variables, all 0.
    pub fn new(mode: Mode, globals: usize) -> Vm {
        let interval = match mode {
            Mode::Gil { switch_interval } => switch_interval,
            Mode::NoGil => Duration::ZERO,
        };
        Vm {
            mode,
            globals: (0..globals).map(|_| AtomicI64::new(0)).collect(),
            gil: Gil::new(interval),
            locks: (0..LOCKS).map(|_| VmLock::default()).collect(),
            running: AtomicUsize::new(0),
            max_running: AtomicUsize::new(0),
            instructions: AtomicUsize::new(0),
        }
    }

    /// The value of global number `n`.
    pub fn global(&self, n: usize) -> i64 {
        self.globals[n].load(Ordering::SeqCst)
    }

    /// Runs `program` in `threads` OS threads at once (each with its own stack and locals,
    /// local 0 set to the thread's index), and waits for all of them.
    ///
    /// # Panics
    /// When a thread panics: a bad program (stack underflow, a jump out of range), or a
    /// builtin that ran bytecode without the interpreter lock.
    pub fn run_threads(&self, program: &[Op], builtins: &[Builtin], threads: usize) -> Report {
        let switches_before = self.gil.switches();
        let start = Instant::now();
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|index| {
                    s.spawn(move || eval_loop(Interp::new(self, builtins, index), program))
                })
                .collect();
            for handle in handles {
                if let Err(panic) = handle.join() {
                    std::panic::resume_unwind(panic);
                }
            }
        });
        Report {
            elapsed: start.elapsed(),
            max_running: self.max_running.load(Ordering::SeqCst),
            switches: self.gil.switches() - switches_before,
            instructions: self.instructions.load(Ordering::Relaxed) as u64,
        }
    }
}

/// One VM thread's state: its stack, locals, and whether it holds the interpreter lock.
#[derive(Debug)]
pub struct Interp<'vm> {
    vm: &'vm Vm,
    builtins: &'vm [Builtin],
    stack: Vec<i64>,
    locals: [i64; LOCALS],
    holding: bool,
}

impl<'vm> Interp<'vm> {
    fn new(vm: &'vm Vm, builtins: &'vm [Builtin], index: usize) -> Self {
        let mut locals = [0; LOCALS];
        locals[0] = index as i64;
        Interp {
            vm,
            builtins,
            stack: Vec::new(),
            locals,
            holding: false,
        }
    }

    /// True while this thread may execute bytecode (it holds the lock, or there is none).
    pub fn holds_lock(&self) -> bool {
        self.holding
    }

    /// Stops executing bytecode: drops the interpreter lock (in [`Mode::Gil`]) so other
    /// threads can run. Call it before a blocking call; [`Interp::reacquire`] after it.
    ///
    /// # Panics
    /// When this thread does not hold the lock.
    pub fn release(&mut self) {
        assert!(
            self.holding,
            "release() called by a thread not holding the lock"
        );
        self.leave(false);
    }

    /// Takes the interpreter lock back after [`Interp::release`], waiting for it if another
    /// thread holds it.
    ///
    /// # Panics
    /// When this thread holds the lock already.
    pub fn reacquire(&mut self) {
        assert!(
            !self.holding,
            "reacquire() called by a thread holding the lock"
        );
        self.enter();
    }

    fn enter(&mut self) {
        if let Mode::Gil { .. } = self.vm.mode {
            take_gil(&self.vm.gil);
        }
        let now = self.vm.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.vm.max_running.fetch_max(now, Ordering::SeqCst);
        self.holding = true;
    }

    fn leave(&mut self, asked: bool) {
        self.holding = false;
        self.vm.running.fetch_sub(1, Ordering::SeqCst);
        if let Mode::Gil { .. } = self.vm.mode {
            drop_gil(&self.vm.gil, asked);
        }
    }

    fn pop(&mut self) -> i64 {
        self.stack
            .pop()
            .expect("stack underflow: the program popped an empty stack")
    }

    /// Executes one instruction; returns the next instruction's index, None on `Halt`.
    fn step(&mut self, op: Op, pc: usize) -> Option<usize> {
        let globals = &self.vm.globals;
        match op {
            Op::Push(value) => self.stack.push(value),
            Op::Load(n) => self.stack.push(globals[n].load(Ordering::Relaxed)),
            Op::Store(n) => {
                let value = self.pop();
                globals[n].store(value, Ordering::Relaxed);
            }
            Op::LoadLocal(n) => self.stack.push(self.locals[n]),
            Op::StoreLocal(n) => self.locals[n] = self.pop(),
            Op::Add => {
                let (b, a) = (self.pop(), self.pop());
                self.stack.push(a.wrapping_add(b));
            }
            Op::Less => {
                let (b, a) = (self.pop(), self.pop());
                self.stack.push(i64::from(a < b));
            }
            Op::Jump(target) => return Some(target),
            Op::JumpIfZero(target) => {
                if self.pop() == 0 {
                    return Some(target);
                }
            }
            Op::Call(n) => {
                let argument = self.pop();
                let result = (self.builtins[n])(self, argument);
                self.stack.push(result);
            }
            Op::Acquire(n) => {
                let lock = &self.vm.locks[n];
                if !lock.try_acquire() {
                    // Blocking on a lock while holding the GIL would stop its holder from
                    // ever running to release it: let go of the GIL while waiting.
                    self.release();
                    lock.acquire();
                    self.reacquire();
                }
            }
            Op::Release(n) => self.vm.locks[n].release(),
            Op::Halt => return None,
        }
        Some(pc + 1)
    }
}

// ANCHOR: eval_loop
/// Runs `program` on one VM thread, from taking the lock at the start to the end.
fn eval_loop(mut thread: Interp<'_>, program: &[Op]) {
    thread.enter();
    let mut pc = 0;
    let mut executed = 0;
    while pc < program.len() {
        // Between two instructions: give the lock up if a waiting thread asked for it.
        if thread.vm.gil.drop_requested() {
            thread.leave(true);
            thread.enter();
        }
        assert!(
            thread.holding,
            "bytecode executed without holding the interpreter lock"
        );
        executed += 1;
        pc = match thread.step(program[pc], pc) {
            Some(next) => next,
            None => break,
        };
    }
    thread
        .vm
        .instructions
        .fetch_add(executed, Ordering::Relaxed);
    // Dropping `thread` releases the lock (see `Drop`), on a panic too.
}
// ANCHOR_END: eval_loop

impl Drop for Interp<'_> {
    /// A thread that ends, normally or by a panic, lets go of the lock, so the threads
    /// waiting for it are not left waiting forever.
    fn drop(&mut self) {
        if self.holding {
            self.leave(false);
        }
    }
}

/// `sleep(ms)` that keeps the interpreter lock while it sleeps: the mistake of a builtin
/// that forgets to release it. Returns 0.
pub fn sleep_holding(_thread: &mut Interp<'_>, ms: i64) -> i64 {
    std::thread::sleep(Duration::from_millis(ms.max(0) as u64));
    0
}

/// The global interpreter lock: a flag under a mutex, two condition variables, and the
/// drop request, as in CPython's `struct _gil_runtime_state`.
#[derive(Debug)]
struct Gil {
    state: Mutex<GilState>,
    /// Signalled when the lock is dropped: waiters wake to take it.
    cond: Condvar,
    /// Signalled when the lock is taken: a thread that dropped it on request waits here
    /// until another thread has it.
    switch_cond: Condvar,
    /// Set by a thread that waited a whole interval; read by the holder between steps.
    drop_request: AtomicBool,
    interval: Duration,
}

#[derive(Debug, Default)]
struct GilState {
    locked: bool,
    /// How many times the lock has been taken (changes on every hand-over).
    switch_number: u64,
    /// How many times a holder dropped it because it was asked to.
    forced_drops: u64,
}

impl Gil {
    fn new(interval: Duration) -> Self {
        Gil {
            state: Mutex::new(GilState::default()),
            cond: Condvar::new(),
            switch_cond: Condvar::new(),
            drop_request: AtomicBool::new(false),
            interval,
        }
    }

    fn lock_state(&self) -> MutexGuard<'_, GilState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn drop_requested(&self) -> bool {
        self.drop_request.load(Ordering::Relaxed)
    }

    fn switches(&self) -> u64 {
        self.lock_state().forced_drops
    }
}

// ANCHOR: take_gil
/// Takes the interpreter lock, asking its holder to drop it after each interval in vain.
fn take_gil(gil: &Gil) {
    let mut state = gil.lock_state();
    while state.locked {
        let seen = state.switch_number;
        let (next, waited) = gil
            .cond
            .wait_timeout(state, gil.interval)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        state = next;
        // A whole interval went by and the same thread still holds it: ask it to drop.
        if waited.timed_out() && state.locked && state.switch_number == seen {
            gil.drop_request.store(true, Ordering::Relaxed);
        }
    }
    state.locked = true;
    state.switch_number += 1;
    gil.drop_request.store(false, Ordering::Relaxed);
    // Tell a thread that dropped the lock on request that someone else has it now.
    gil.switch_cond.notify_all();
}
// ANCHOR_END: take_gil

// ANCHOR: drop_gil
/// Drops the interpreter lock; when `asked` (a waiter set the drop request), also waits
/// until another thread has taken it.
fn drop_gil(gil: &Gil, asked: bool) {
    let mut state = gil.lock_state();
    state.locked = false;
    gil.cond.notify_one();
    if asked {
        state.forced_drops += 1;
        // Wait until another thread has taken the lock; otherwise this thread, already
        // running, would usually take it straight back before the waiter wakes up.
        let dropped_at = state.switch_number;
        while state.switch_number == dropped_at {
            state = gil
                .switch_cond
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }
}
// ANCHOR_END: drop_gil

/// A VM-level lock (Python's `threading.Lock`): taken by one instruction, released by
/// another, so it cannot be a `MutexGuard` held across them.
#[derive(Debug, Default)]
struct VmLock {
    taken: Mutex<bool>,
    freed: Condvar,
}

impl VmLock {
    fn try_acquire(&self) -> bool {
        let mut taken = self.taken.lock().unwrap_or_else(|p| p.into_inner());
        !std::mem::replace(&mut *taken, true)
    }

    fn acquire(&self) {
        let mut taken = self.taken.lock().unwrap_or_else(|p| p.into_inner());
        while *taken {
            taken = self.freed.wait(taken).unwrap_or_else(|p| p.into_inner());
        }
        *taken = true;
    }

    fn release(&self) {
        *self.taken.lock().unwrap_or_else(|p| p.into_inner()) = false;
        self.freed.notify_one();
    }
}

/// The bytecode of `for _ in range(times): globals[x] += 1`, using local 1 as the counter.
pub fn count_loop(x: usize, times: i64) -> Vec<Op> {
    let body = [Op::Load(x), Op::Push(1), Op::Add, Op::Store(x)];
    counting(times, &body)
}

/// The bytecode of `for _ in range(times): <body>`, using local 1 as the loop counter.
/// `body` must not jump, and must leave the stack as it found it.
pub fn counting(times: i64, body: &[Op]) -> Vec<Op> {
    let test = 2;
    let end = test + 4 + body.len() + 5;
    let mut code = vec![Op::Push(0), Op::StoreLocal(1)];
    code.extend([
        Op::LoadLocal(1),
        Op::Push(times),
        Op::Less,
        Op::JumpIfZero(end),
    ]);
    code.extend_from_slice(body);
    code.extend([
        Op::LoadLocal(1),
        Op::Push(1),
        Op::Add,
        Op::StoreLocal(1),
        Op::Jump(test),
    ]);
    code.push(Op::Halt);
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST_SWITCH: Mode = Mode::Gil {
        switch_interval: Duration::from_micros(50),
    };

    #[test]
    fn one_thread_counts_exactly() {
        for mode in [Mode::DEFAULT_GIL, Mode::NoGil] {
            let vm = Vm::new(mode, 1);
            let report = vm.run_threads(&count_loop(0, 10_000), &[], 1);
            assert_eq!(vm.global(0), 10_000, "in {mode:?}");
            assert_eq!(report.max_running, 1);
        }
    }

    #[test]
    fn the_gil_lets_one_thread_run_and_hands_it_over() {
        let vm = Vm::new(FAST_SWITCH, 1);
        let report = vm.run_threads(&count_loop(0, 200_000), &[], 4);
        assert_eq!(report.max_running, 1, "two threads ran bytecode at once");
        assert!(
            report.switches > 0,
            "the lock was never handed over: {report:?}"
        );
        // A switch between Load and Store loses updates: the GIL is no lock for `x += 1`.
        assert!(vm.global(0) <= 800_000);
    }

    #[test]
    fn a_vm_lock_makes_the_increment_exact() {
        let body = [
            Op::Acquire(0),
            Op::Load(0),
            Op::Push(1),
            Op::Add,
            Op::Store(0),
            Op::Release(0),
        ];
        for mode in [FAST_SWITCH, Mode::NoGil] {
            let vm = Vm::new(mode, 1);
            vm.run_threads(&counting(20_000, &body), &[], 4);
            assert_eq!(vm.global(0), 80_000, "in {mode:?}");
        }
    }

    #[test]
    fn a_builtin_that_releases_lets_sleepers_overlap() {
        // Proof of overlap that no busy machine can break: the four threads meet inside
        // the builtin, which only threads there at the same moment can do. (A time limit
        // on the whole run would only be likely, not certain.)
        static MEETING: std::sync::OnceLock<support::rendezvous::Rendezvous> =
            std::sync::OnceLock::new();
        static MET: AtomicUsize = AtomicUsize::new(0);
        fn meet_released(thread: &mut Interp<'_>, _: i64) -> i64 {
            thread.release();
            let meeting = MEETING.get().expect("set before the run");
            if meeting.wait() {
                MET.fetch_add(1, Ordering::SeqCst);
            }
            thread.reacquire();
            0
        }
        MEETING
            .set(support::rendezvous::Rendezvous::new(
                4,
                Duration::from_secs(20),
            ))
            .expect("set once");
        let program = [Op::Push(100), Op::Call(0), Op::Halt];
        let vm = Vm::new(Mode::DEFAULT_GIL, 0);
        vm.run_threads(&program, &[meet_released], 4);
        assert_eq!(MET.load(Ordering::SeqCst), 4, "all four met while released");
        let vm = Vm::new(Mode::DEFAULT_GIL, 0);
        let held = vm.run_threads(&program, &[sleep_holding], 4);
        assert!(held.elapsed >= Duration::from_millis(400), "{held:?}");
    }

    #[test]
    #[should_panic(expected = "without holding the interpreter lock")]
    fn bytecode_after_release_without_reacquire_panics() {
        fn forgets(thread: &mut Interp<'_>, _: i64) -> i64 {
            thread.release();
            0
        }
        let vm = Vm::new(Mode::DEFAULT_GIL, 0);
        vm.run_threads(&[Op::Push(0), Op::Call(0), Op::Halt], &[forgets], 1);
    }
}
