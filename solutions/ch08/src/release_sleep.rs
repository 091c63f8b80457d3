//! Let go of the interpreter lock around a blocking call.
//!
//! In the toy VM of `ch08_toyvm`, as in CPython, a thread must hold the global
//! interpreter lock (GIL) to execute bytecode. A builtin such as `sleep(ms)` runs while
//! its caller still holds it. If the builtin simply sleeps, no other VM thread can execute
//! a single instruction until it wakes: four threads that each sleep 100 ms take 400 ms.
//!
//! CPython's `time.sleep`, file reads and socket calls avoid that by dropping the lock
//! before the blocking system call and taking it back after (the C macros
//! `Py_BEGIN_ALLOW_THREADS` and `Py_END_ALLOW_THREADS`). While a thread is blocked in the
//! kernel it runs no bytecode, so it needs no lock; but it must hold the lock again before
//! the VM goes on to its next instruction.
//!
//! The VM hands your builtin the calling thread as an [`Interp`]:
//! [`Interp::release`] drops the lock, [`Interp::reacquire`] waits for it and takes it
//! back. Write `sleep_builtin` so that VM threads sleeping at the same time overlap.
//!
//! Your code goes between the `// ANCHOR: solution` and `// ANCHOR_END: solution` lines
//! below, in place of `todo!()`. To Rust they are ordinary comments; they mark the part of
//! the file that is yours (the reference solution in `solutions/` differs from this file
//! only there), so leave them where they are.

use ch08_toyvm::Interp;

/// The VM's `sleep(ms)` builtin: blocks the calling thread for `ms` milliseconds (none for
/// a negative `ms`) without holding the interpreter lock meanwhile, and returns 0 (the
/// value the `Call` instruction pushes). On return the thread holds the lock again, as
/// the VM requires of every builtin.
pub fn sleep_builtin(thread: &mut Interp<'_>, ms: i64) -> i64 {
    // ANCHOR: solution
    let pause = std::time::Duration::from_millis(ms.max(0) as u64);
    thread.release();
    std::thread::sleep(pause);
    thread.reacquire();
    0
    // ANCHOR_END: solution
}
