//! Exercise `shm_handoff`: hand numbers to another process through shared memory, and
//! sleep — not spin — until one is there.
//!
//! Shared memory moves data with no system call: once two processes map the same object,
//! a store by one is a load away for the other. What it does not give is a way to know
//! *when* to look. Checking a flag in a loop (busy-waiting) works, but burns a whole CPU
//! while it waits. A *futex* ("fast user-space mutex", `man 2 futex`) fixes that: the
//! waiter asks the kernel "put me to sleep if the 32-bit word at this address still holds
//! this value", and the other side, after changing the word, asks "wake whoever sleeps on
//! this address". [`futex_wait`] and [`futex_wake`] are written for you
//! (`support::futex`, which `lib.rs` hands on in `sync`).
//!
//! The two processes share one [`Shared`] record with a one-item mailbox: `slot` holds
//! the item, `sent` counts the items the producer has put there, `taken` the items the
//! consumer has taken. The slot is full when `sent == taken + 1`, empty when they are
//! equal. The order of the steps is the whole exercise: the producer must write `slot`
//! *before* it raises `sent` (a `Release` store, so the item is visible to whoever sees
//! the new count through an `Acquire` load), and the consumer must read `slot` only
//! *after* it has seen `sent` change.
//!
//! The shared-memory object is made with `shm_open` under a name from
//! `support::names::unique` and removed with `shm_unlink` as soon as it is mapped: the
//! mapping stays, a child forked afterwards shares it, and nothing is left in `/dev/shm`
//! even if the program crashes later.
//!
//! Your code goes between each `// ANCHOR: solution_…` line below and its
//! `// ANCHOR_END: solution_…`, in place of `todo!()`. To Rust they are ordinary comments;
//! they mark the parts of the file that are yours (the reference solution in `solutions/`
//! differs from this file only there), so leave them where they are.

use std::io;
use std::num::NonZeroUsize;
use std::ptr::NonNull;
// `super::sync` is `std::sync::atomic` and the two futex calls (see lib.rs). The grading
// tests also compile this file over the loom model checker's look-alike types, to try
// `send` and `recv` under every interleaving and every value the memory model allows.
use super::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use super::sync::{futex_wait, futex_wake};

use nix::fcntl::OFlag;
use nix::sys::mman::{MapFlags, ProtFlags, mmap, munmap, shm_open, shm_unlink};
use nix::sys::stat::Mode;

/// What the two processes share, laid out the same in both (`repr(C)`).
#[repr(C)]
#[derive(Debug, Default)]
pub struct Shared {
    /// How many items the producer has put in `slot`: the word the consumer sleeps on.
    pub sent: AtomicU32,
    /// How many items the consumer has taken: the word the producer sleeps on while the
    /// slot is still full.
    pub taken: AtomicU32,
    /// The item in transit; meaningful while `sent == taken + 1`.
    pub slot: AtomicU64,
}

/// A one-item mailbox in shared memory. Make it with [`Mailbox::create`] before forking;
/// then one process calls [`Mailbox::send`] and the other [`Mailbox::recv`].
#[derive(Debug)]
pub struct Mailbox {
    shared: NonNull<Shared>,
}

impl Mailbox {
    /// Creates a shared-memory object named by `support::names::unique("shm")`
    /// (exclusively, read-write, mode 0600), sizes it with `ftruncate` to hold a
    /// [`Shared`] (which starts all zero), maps it `MAP_SHARED` for reading and writing,
    /// and unlinks the name before returning — also when a step fails. Errors: those of
    /// `shm_open`, `ftruncate` and `mmap`, as `io::Error`.
    pub fn create() -> io::Result<Mailbox> {
        // ANCHOR: solution_create
        todo!("write this, then run `cargo xtask grade`")
        // ANCHOR_END: solution_create
    }

    /// Puts `item` in the slot for the consumer: first waits — asleep in [`futex_wait`],
    /// never spinning — until the consumer has taken the previous item, then writes the
    /// item, then raises `sent` (`Release`) and wakes the consumer with [`futex_wake`].
    pub fn send(&self, item: u64) {
        // ANCHOR: solution_send
        todo!("write this, then run `cargo xtask grade`")
        // ANCHOR_END: solution_send
    }

    /// Takes the next item: waits — asleep in [`futex_wait`], never spinning — until
    /// `sent` (loaded with `Acquire`) is ahead of `taken`, then reads the slot, then raises
    /// `taken` (`Release`) and wakes the producer with [`futex_wake`]. Every item sent is
    /// received exactly once, in the order sent.
    pub fn recv(&self) -> u64 {
        // ANCHOR: solution_recv
        todo!("write this, then run `cargo xtask grade`")
        // ANCHOR_END: solution_recv
    }

    /// A mailbox over a [`Shared`] this process made itself rather than mapped: what the
    /// grading tests' model checker uses. It is never unmapped, hence the `ManuallyDrop`.
    ///
    /// # Safety
    ///
    /// `shared` must outlive the returned mailbox.
    pub unsafe fn over(shared: &Shared) -> std::mem::ManuallyDrop<Mailbox> {
        std::mem::ManuallyDrop::new(Mailbox {
            shared: NonNull::from(shared),
        })
    }

    /// The shared record.
    pub fn shared(&self) -> &Shared {
        // SAFETY: `shared` points to a live `Shared` — a mapping until `drop` unmaps it,
        // or one that the caller of `over` keeps alive — and every field is an atomic, so
        // shared access from two processes (or threads) is sound.
        unsafe { self.shared.as_ref() }
    }
}

impl Drop for Mailbox {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `create`, unmapped once; no reference outlives
        // `self`.
        unsafe {
            let _ = munmap(self.shared.cast(), size_of::<Shared>());
        }
    }
}
