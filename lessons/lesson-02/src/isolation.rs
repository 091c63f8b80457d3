//! Step 6: two processes, one virtual address, two values.

use std::sync::atomic::{AtomicU64, Ordering};

use support::fmt;

// ANCHOR: isolation
static VALUE: AtomicU64 = AtomicU64::new(1);

pub fn show_same_address_different_values() -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("6. Isolation: same address, different values");
    let addr = VALUE.as_ptr() as u64;
    let boxed = Box::new(AtomicU64::new(100));
    let heap_addr = boxed.as_ptr() as u64;
    let child = support::child::fork(|| {
        VALUE.store(2, Ordering::SeqCst);
        boxed.store(200, Ordering::SeqCst);
        println!(
            "  child  PID {:>7}: static at {} = {}, Box at {} = {}",
            std::process::id(),
            fmt::address(VALUE.as_ptr() as u64),
            VALUE.load(Ordering::SeqCst),
            fmt::address(boxed.as_ptr() as u64),
            boxed.load(Ordering::SeqCst),
        );
        0
    })?;
    let status = child.wait()?;
    println!(
        "  parent PID {:>7}: static at {} = {}, Box at {} = {}",
        std::process::id(),
        fmt::address(addr),
        VALUE.load(Ordering::SeqCst),
        fmt::address(heap_addr),
        boxed.load(Ordering::SeqCst),
    );
    fmt::note(&format!(
        "The child {}. It wrote 2 and 200 at the very addresses where\n\
         the parent still reads 1 and 100. An address is virtual: each process has its\n\
         own page table, which maps the same number to a different physical page once\n\
         either side writes (chapter 03 measures that copying).",
        support::child::describe(&status)
    ));
    Ok(())
}
// ANCHOR_END: isolation
