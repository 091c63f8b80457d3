//! Does not compile, on purpose: `tests/compile_fail.rs` checks that rustc still rejects it.
//! expected: error[E0133]: use of mutable static is unsafe and requires unsafe block

use std::thread;

// ANCHOR: static_mut
static mut VISITS: u64 = 0;

pub fn count_visits() {
    thread::scope(|s| {
        s.spawn(|| VISITS += 1); // two threads, one unsynchronised global
        s.spawn(|| VISITS += 1);
    });
}
// ANCHOR_END: static_mut
