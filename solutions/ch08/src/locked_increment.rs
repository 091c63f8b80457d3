//! The GIL does not make `x += 1` safe: give it a lock of its own.
//!
//! The interpreter lock guarantees that one thread at a time executes an *instruction*.
//! `x += 1` is four of them in the toy VM, as it is in CPython (Python 3.11's `dis` shows
//! `LOAD_GLOBAL x`, `LOAD_CONST 1`, `BINARY_OP +=`, `STORE_GLOBAL x`):
//!
//! ```text
//! Load(x)  Push(1)  Add  Store(x)
//! ```
//!
//! When the lock changes hands between `Load` and `Store`, another thread may store its
//! own new value of `x` in between, and the first thread's `Store` then overwrites it with
//! a value computed from the old one: an update is lost. A shorter switch interval makes
//! that happen more often; without the GIL, threads on different cores make it happen all
//! the time.
//!
//! Python's answer is `with lock: x += 1`, with one `threading.Lock` shared by every
//! thread. The toy VM has such locks: [`Op::Acquire`]`(n)` takes VM lock `n` (waiting, with
//! the interpreter lock released, while another thread has it) and [`Op::Release`]`(n)`
//! lets it go. Write the bytecode of a safe `x += 1`.
//!
//! Your code goes between the `// ANCHOR: solution` and `// ANCHOR_END: solution` lines
//! below, in place of `todo!()`. To Rust they are ordinary comments; they mark the part of
//! the file that is yours (the reference solution in `solutions/` differs from this file
//! only there), so leave them where they are.

use ch08_toyvm::Op;

/// The bytecode of `with locks[lock]: globals[x] += 1`: no jumps, leaving the operand
/// stack as it found it. Run by many threads at once, in either mode of the VM, it must
/// never lose an update.
pub fn locked_increment(x: usize, lock: usize) -> Vec<Op> {
    // ANCHOR: solution
    vec![
        Op::Acquire(lock),
        Op::Load(x),
        Op::Push(1),
        Op::Add,
        Op::Store(x),
        Op::Release(lock),
    ]
    // ANCHOR_END: solution
}
