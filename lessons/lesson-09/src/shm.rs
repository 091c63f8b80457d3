//! Step 11: POSIX shared memory — the bytes move with no system call, and then the
//! question of when to read: spinning on a flag, or sleeping on a futex.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Result;
use nix::fcntl::OFlag;
use nix::sys::mman::{MapFlags, ProtFlags, mmap, munmap, shm_open};
use nix::sys::stat::Mode;
use nix::time::{ClockId, clock_gettime};
use support::child::fork;
use support::cleanup::{Kind, Named};
use support::fmt;
use support::futex::{wait as futex_wait, wake as futex_wake};

/// Bytes in one slot of a ring, and slots per ring.
pub const SLOT: usize = 64 * 1024;
pub const SLOTS: u32 = 4;

/// The start of the shared region: a flag and a counter for the demonstrations, then
/// two rings (one each way). Atomics work across processes when the memory is shared.
#[repr(C)]
struct Header {
    flag: AtomicU32,
    cpu_ns: AtomicU64,
}

/// One ring's counters, each on its own cache line: `head` counts slots written, `tail`
/// slots read. Only one process writes each.
#[repr(C, align(64))]
struct Counter(AtomicU32);

const RING_BYTES: usize = 128 + SLOT * SLOTS as usize;
const REGION_BYTES: usize = 128 + 2 * RING_BYTES;

/// A shared-memory object mapped into this process (and, after a fork, its child).
pub struct Shm {
    base: std::ptr::NonNull<u8>,
    name: String,
    _named: Named,
}

// ANCHOR: shm_open
/// Creates a new shared-memory object (exclusively, mode 0600), sizes it and maps it.
/// A child forked afterwards shares the mapping; another program could `shm_open` the name.
pub fn create() -> Result<Shm> {
    let name = support::names::unique("shm");
    let named = Named::register(&name, Kind::Shm)?;
    let flags = OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_RDWR;
    let fd = shm_open(name.as_str(), flags, Mode::from_bits_truncate(0o600))?;
    nix::unistd::ftruncate(&fd, REGION_BYTES as i64)?; // new pages read as zero
    let len = NonZeroUsize::new(REGION_BYTES).expect("not zero");
    // SAFETY: a fresh mapping chosen by the kernel; it overlaps nothing of ours.
    let base = unsafe {
        mmap(
            None,
            len,
            ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
            MapFlags::MAP_SHARED,
            &fd,
            0,
        )?
    };
    Ok(Shm {
        base: base.cast(),
        name,
        _named: named,
    })
}
// ANCHOR_END: shm_open

impl Drop for Shm {
    fn drop(&mut self) {
        // SAFETY: the region was mapped in `create` with this length and is not used after.
        let _ = unsafe { munmap(self.base.cast(), REGION_BYTES) };
    }
}

impl Shm {
    fn header(&self) -> &Header {
        // SAFETY: the region starts with a zeroed, suitably aligned Header (page-aligned
        // mapping); all fields are atomics, so shared access is sound.
        unsafe { &*self.base.as_ptr().cast::<Header>() }
    }

    /// Ring `i` (0 or 1): its head, its tail and its slots.
    fn ring(&self, i: usize) -> (&AtomicU32, &AtomicU32, *mut u8) {
        // SAFETY: offsets stay inside the mapping; counters are 64-byte aligned atomics.
        unsafe {
            let start = self.base.as_ptr().add(128 + i * RING_BYTES);
            let head = &(*start.cast::<Counter>()).0;
            let tail = &(*start.add(64).cast::<Counter>()).0;
            (head, tail, start.add(128))
        }
    }

    /// The object's name (`/ptm-…`), as it appears under /dev/shm.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Puts `piece` (at most one slot) into ring `i`, waiting while the ring is full.
    pub fn send(&self, i: usize, piece: &[u8], spin: bool) {
        let (head, tail, data) = self.ring(i);
        let h = head.load(Ordering::Relaxed);
        loop {
            let t = tail.load(Ordering::Acquire);
            if h.wrapping_sub(t) < SLOTS {
                break;
            }
            wait(tail, t, spin);
        }
        // SAFETY: slot h % SLOTS is free (the reader has passed it) and piece fits a slot.
        unsafe {
            let slot = data.add((h % SLOTS) as usize * SLOT);
            std::ptr::copy_nonoverlapping(piece.as_ptr(), slot, piece.len().min(SLOT));
        }
        head.store(h.wrapping_add(1), Ordering::Release);
        if !spin {
            futex_wake(head);
        }
    }

    /// Takes the next piece from ring `i` into `buf` (at most one slot), waiting while
    /// the ring is empty.
    pub fn recv(&self, i: usize, buf: &mut [u8], spin: bool) {
        let (head, tail, data) = self.ring(i);
        let t = tail.load(Ordering::Relaxed);
        loop {
            let h = head.load(Ordering::Acquire);
            if h != t {
                break;
            }
            wait(head, h, spin);
        }
        // SAFETY: slot t % SLOTS was written before head moved past it (Acquire above).
        unsafe {
            let slot = data.add((t % SLOTS) as usize * SLOT);
            std::ptr::copy_nonoverlapping(slot, buf.as_mut_ptr(), buf.len().min(SLOT));
        }
        tail.store(t.wrapping_add(1), Ordering::Release);
        if !spin {
            futex_wake(tail);
        }
    }
}

fn wait(word: &AtomicU32, seen: u32, spin: bool) {
    if spin {
        std::hint::spin_loop();
    } else {
        futex_wait(word, seen);
    }
}

fn cpu_time() -> Duration {
    clock_gettime(ClockId::CLOCK_PROCESS_CPUTIME_ID)
        .map(Duration::from)
        .unwrap_or_default()
}

// ANCHOR: waiting
/// A child waits for the parent to set the shared flag, 300 ms later, by spinning or by
/// sleeping on a futex, and stores the CPU time the wait cost it.
fn cpu_time_of_waiting(shm: &Shm, spin: bool) -> Result<Duration> {
    let flag = &shm.header().flag;
    flag.store(0, Ordering::SeqCst);
    let child = fork(|| {
        let before = cpu_time();
        while flag.load(Ordering::Acquire) == 0 {
            if spin {
                std::hint::spin_loop(); // check again, and again, and again ...
            } else {
                futex_wait(flag, 0); // sleep until woken (if the flag is still 0)
            }
        }
        let used = cpu_time().saturating_sub(before).as_nanos() as u64;
        shm.header().cpu_ns.store(used, Ordering::SeqCst);
        0
    })?;
    std::thread::sleep(Duration::from_millis(300));
    flag.store(1, Ordering::Release);
    futex_wake(flag);
    child.wait()?;
    Ok(Duration::from_nanos(
        shm.header().cpu_ns.load(Ordering::SeqCst),
    ))
}
// ANCHOR_END: waiting

/// Step 11.
pub fn show_shared_memory() -> Result<()> {
    fmt::step("11. Shared memory");
    let shm = create()?;
    let listed = std::path::Path::new("/dev/shm")
        .join(shm.name().trim_start_matches('/'))
        .exists();
    println!(
        "  shm_open {} (mode 0600), ftruncate to {}, mmap MAP_SHARED",
        shm.name(),
        fmt::bytes(REGION_BYTES as u64)
    );
    println!(
        "  it is a file in /dev/shm (a tmpfs, a file system in RAM): {}",
        support::checks::yes_no(listed)
    );
    let spun = cpu_time_of_waiting(&shm, true)?;
    let slept = cpu_time_of_waiting(&shm, false)?;
    println!("  a child waits 300 ms for a flag in the shared memory; CPU time it used:");
    println!("    spinning on the flag:          {}", fmt::duration(spun));
    println!(
        "    sleeping on a futex (the flag): {}",
        fmt::duration(slept)
    );
    support::checks::expectation(
        "spinning burns a core while it waits: over 10 × the sleeper's CPU time",
        &format!(
            "spinning {}, sleeping {}",
            fmt::duration(spun),
            fmt::duration(slept)
        ),
        spun > slept * 10,
        "A spinner burns CPU only while it is given a core: on a machine crowded with other \
         programs it may be given little of the 300 ms.",
    );
    let (items, in_order) = ring_transfer(&shm, 10_000)?;
    println!(
        "  a ring of {SLOTS} slots in the shared memory: the child produced {items} numbers, the parent"
    );
    println!(
        "  took them with futex wake-ups → every one, once, in order: {}",
        support::checks::yes_no(in_order)
    );
    Ok(())
}

/// The child pushes `count` numbers through ring 0; the parent checks they come in order.
fn ring_transfer(shm: &Shm, count: u64) -> Result<(u64, bool)> {
    let child = fork(|| {
        for n in 0..count {
            shm.send(0, &n.to_le_bytes(), false);
        }
        0
    })?;
    let mut in_order = true;
    let mut buf = [0u8; 8];
    for n in 0..count {
        shm.recv(0, &mut buf, false);
        in_order &= u64::from_le_bytes(buf) == n;
    }
    child.wait()?;
    Ok((count, in_order))
}
