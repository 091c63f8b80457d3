//! Escape the interpreter lock with processes.
//!
//! One interpreter lock serialises the bytecode of every thread in a process; it does
//! nothing to another process, which has an interpreter (and a lock) of its own. That is
//! how Python's `multiprocessing.Pool` runs CPU-bound work on every core: it starts worker
//! processes and sends each its part of the work and the result back.
//!
//! Here you do the same by hand: fork one child per program, let each child run its
//! program in a toy VM of its own ([`run_one`] does that), send the result back to the
//! parent through a pipe, and collect the results in program order. A result is an `i64`,
//! so an exit status (8 bits) cannot carry it. All children must run at the same time, and
//! every one must be waited for (`waitpid`), or it stays a *zombie*: a finished process
//! whose entry the kernel keeps until its parent collects its exit status.
//!
//! A forked child of a process with threads may only call async-signal-safe functions
//! until it ends; [`run_one`] starts threads and allocates, which is not. It works here
//! because the grading test calls you from a copy of itself in which the only other
//! thread, libtest's main thread, sits blocked waiting for the test and holds no lock a
//! child could need. End each child with `libc::_exit`, never by returning: a child that
//! returns runs the caller's code too.
//!
//! Your code goes between the `// ANCHOR: solution` and `// ANCHOR_END: solution` lines
//! below, in place of `todo!()`. To Rust they are ordinary comments; they mark the part of
//! the file that is yours (the reference solution in `solutions/` differs from this file
//! only there), so leave them where they are.

use ch08_toyvm::{Mode, Op, Vm, sleep_holding};

/// Runs `program` in a new toy VM (GIL mode, one global, one thread, `sleep` as builtin
/// 0) and returns the value of global 0 at the end. Call it in each child.
pub fn run_one(program: &[Op]) -> i64 {
    let vm = Vm::new(Mode::DEFAULT_GIL, 1);
    vm.run_threads(program, &[sleep_holding], 1);
    vm.global(0)
}

/// Runs each program in a child process of its own, all at the same time, and returns
/// what [`run_one`] gave for each, in the order of `programs`. Every child has been
/// waited for when it returns, whatever happened.
///
/// # Errors
/// `fork`, `pipe`, `read` or `waitpid` failed, or a child did not send 8 bytes and exit
/// with status 0 (then `Errno::EIO`).
pub fn run_in_children(programs: &[Vec<Op>]) -> nix::Result<Vec<i64>> {
    // ANCHOR: solution
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution
}
