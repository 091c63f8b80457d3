//! Step 6: two processes, one virtual address, two values.

use std::sync::atomic::{AtomicU64, Ordering};

use support::fmt;

pub fn show_same_address_different_values() -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("6. Isolation: same address, different values");
    let boxed = Box::new(AtomicU64::new(100));
    let ending = child_writes(&boxed)?;
    print_values("parent", &boxed);
    fmt::note(&format!(
        "The child {ending}. It wrote 2 and 200 at the very addresses where\n\
         the parent still reads 1 and 100. An address is virtual: each process has its\n\
         own page table, which maps the same number to a different physical page once\n\
         either side writes (chapter 03 measures that copying).",
    ));
    Ok(())
}

// ANCHOR: isolation
static VALUE: AtomicU64 = AtomicU64::new(1);

/// Forks a child that writes 2 into `VALUE` and 200 into `boxed` (the parent holds 1 and
/// 100), and prints the addresses and values it sees; returns how the child ended, in
/// words.
fn child_writes(boxed: &AtomicU64) -> Result<String, Box<dyn std::error::Error>> {
    let child = support::child::fork(|| {
        VALUE.store(2, Ordering::SeqCst);
        boxed.store(200, Ordering::SeqCst);
        print_values("child ", boxed);
        0
    })?;
    Ok(support::child::describe(&child.wait()?))
}
// ANCHOR_END: isolation

/// One line: this process's PID, and the address and value of the static and the box.
fn print_values(who: &str, boxed: &AtomicU64) {
    println!(
        "  {who} PID {:>7}: static at {} = {}, Box at {} = {}",
        std::process::id(),
        fmt::address(VALUE.as_ptr() as u64),
        VALUE.load(Ordering::SeqCst),
        fmt::address(boxed.as_ptr() as u64),
        boxed.load(Ordering::SeqCst),
    );
}
