//! Does not compile, on purpose: `tests/compile_fail.rs` checks that rustc still rejects it.
//! expected: error: creating a shared reference to mutable static

use std::thread;

static mut VISITS: u64 = 0;

// ANCHOR: static_mut_ref
pub fn count_visits() -> u64 {
    thread::scope(|s| {
        // `unsafe` silences E0133: this now compiles, and is a data race (undefined
        // behaviour) that the compiler takes your word against.
        s.spawn(|| unsafe { VISITS += 1 });
        s.spawn(|| unsafe { VISITS += 1 });
    });
    // Edition 2024 still refuses a *reference* to it (the lint static_mut_refs, deny).
    let seen: &u64 = unsafe { &VISITS };
    *seen
}
// ANCHOR_END: static_mut_ref
