//! Step 11: POSIX shared memory — the bytes move with no system call, and then the
//! question of when to read: spinning on a flag, or sleeping on a futex. Then a ring of
//! slots used two ways: copied into and out of (the table's `shm` rows), and in place —
//! the producer writes its data straight into a slot and the consumer computes on it
//! there (zero-copy: no copy through the kernel or between buffers; the consumer still
//! reads every byte).

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use nix::fcntl::OFlag;
use nix::sys::mman::{MapFlags, ProtFlags, mmap, munmap, shm_open};
use nix::sys::stat::Mode;
use nix::time::{ClockId, clock_gettime};
use support::child::fork;
use support::cleanup::{Kind, Named};
use support::fmt;
use support::futex::{wait as futex_wait, wake as futex_wake};
use support::stats::{Summary, measure};

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

    /// Puts `piece` (at most one slot) into ring `i`, waiting while the ring is full: a
    /// copy into the shared memory.
    pub fn send(&self, i: usize, piece: &[u8], spin: bool) {
        let n = piece.len().min(SLOT);
        self.produce_in_place(i, spin, |slot| slot[..n].copy_from_slice(&piece[..n]));
    }

    /// Takes the next piece from ring `i` into `buf` (at most one slot), waiting while
    /// the ring is empty: a copy out of the shared memory.
    pub fn recv(&self, i: usize, buf: &mut [u8], spin: bool) {
        let n = buf.len().min(SLOT);
        self.consume_in_place(i, spin, |slot| buf[..n].copy_from_slice(&slot[..n]));
    }
}

// ANCHOR: in_place
impl Shm {
    /// Waits for a free slot in ring `i`, lets `write` fill it where it lies in the shared
    /// memory, then publishes it: `head` moves on (a Release store: the slot's bytes are
    /// visible to a reader that sees the new `head`) and, with the futex, wakes the reader.
    pub fn produce_in_place<R>(
        &self,
        i: usize,
        spin: bool,
        write: impl FnOnce(&mut [u8]) -> R,
    ) -> R {
        let (head, tail, data) = self.ring(i);
        let h = head.load(Ordering::Relaxed);
        loop {
            let t = tail.load(Ordering::Acquire);
            if h.wrapping_sub(t) < SLOTS {
                break; // slot h % SLOTS is free: the reader is done with it
            }
            wait(tail, t, spin);
        }
        // SAFETY: slot h % SLOTS lies inside the mapping, and until `head` moves past it
        // the reader does not touch it, so this is the only reference to it.
        let slot =
            unsafe { std::slice::from_raw_parts_mut(data.add((h % SLOTS) as usize * SLOT), SLOT) };
        let result = write(slot);
        head.store(h.wrapping_add(1), Ordering::Release);
        if !spin {
            futex_wake(head);
        }
        result
    }

    /// Waits for a published slot in ring `i`, lets `read` use it where it lies in the
    /// shared memory, then frees it: `tail` moves on and, with the futex, wakes the writer.
    pub fn consume_in_place<R>(&self, i: usize, spin: bool, read: impl FnOnce(&[u8]) -> R) -> R {
        let (head, tail, data) = self.ring(i);
        let t = tail.load(Ordering::Relaxed);
        loop {
            let h = head.load(Ordering::Acquire);
            if h != t {
                break; // slot t % SLOTS was written before head moved past it
            }
            wait(head, h, spin);
        }
        // SAFETY: slot t % SLOTS lies inside the mapping, and the writer does not touch it
        // again until `tail` moves past it.
        let slot =
            unsafe { std::slice::from_raw_parts(data.add((t % SLOTS) as usize * SLOT), SLOT) };
        let result = read(slot);
        tail.store(t.wrapping_add(1), Ordering::Release);
        if !spin {
            futex_wake(tail);
        }
        result
    }
}
// ANCHOR_END: in_place

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
    show_zero_copy(&shm)
}

/// Step 11, last part: the same ring used in place.
fn show_zero_copy(shm: &Shm) -> Result<()> {
    const DEMO_SLOTS: u64 = 64;
    let run = hand_off_in_place(shm, false, None, DEMO_SLOTS, (0, 1))?;
    let &(made, summed) = run.checksums.first().context("one run")?;
    println!(
        "  the same ring used in place (zero-copy): the parent wrote {DEMO_SLOTS} slots of {} ({})",
        fmt::bytes(SLOT as u64),
        fmt::bytes(DEMO_SLOTS * SLOT as u64)
    );
    println!("  into the shared memory, the child summed each where it lay; their checksums:");
    println!("    the parent's, made as it wrote: {made:#018x}");
    println!("    the child's, read in place:     {summed:#018x}");
    support::checks::invariant("the child's checksum equals the parent's", run.all_equal());
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

// ANCHOR: work
/// The producer's work: writes slot number `seq`'s data — 8-byte words that differ from
/// slot to slot — and returns their checksum, computed as it writes them.
pub fn fill(slot: &mut [u8], seq: u64) -> u64 {
    let key = seq.wrapping_mul(0x9E37_79B9_7F4A_7C15); // a different pattern per slot
    let mut sum = 0u64;
    for (i, word) in slot.chunks_exact_mut(8).enumerate() {
        let value = key ^ i as u64;
        word.copy_from_slice(&value.to_le_bytes());
        sum = sum.wrapping_add(value);
    }
    sum
}

/// The consumer's work: the checksum of a slot (the wrapping sum of its 8-byte words),
/// computed by reading the bytes where they lie.
pub fn checksum(slot: &[u8]) -> u64 {
    slot.chunks_exact(8)
        .map(|word| u64::from_le_bytes(word.try_into().expect("8 bytes")))
        .fold(0, u64::wrapping_add)
}
// ANCHOR_END: work

/// What a zero-copy run measured: the time of each timed run, and the producer's and the
/// consumer's checksum of every run (the warm-up's included).
pub struct InPlace {
    pub time: Summary,
    pub checksums: Vec<(u64, u64)>,
}

impl InPlace {
    /// Whether the consumer's checksum equalled the producer's in every run.
    pub fn all_equal(&self) -> bool {
        self.checksums.iter().all(|(made, summed)| made == summed)
    }
}

// ANCHOR: zero_copy
/// Zero-copy hand-off through ring 0: the parent writes `slots` slots per run straight
/// into the shared memory, a child (on CPU `cpu`, if given) computes each one's checksum
/// where it lies; the only bytes copied are the 8 of each run's checksum, sent back on ring 1.
pub fn hand_off_in_place(
    shm: &Shm,
    spin: bool,
    cpu: Option<usize>,
    slots: u64,
    (warmup, runs): (usize, usize),
) -> Result<InPlace> {
    let child = fork(|| {
        if let Some(cpu) = cpu {
            let _ = support::affinity::pin_to(cpu);
        }
        for _ in 0..warmup + runs {
            let mut sum = 0u64;
            for _ in 0..slots {
                sum = sum.wrapping_add(shm.consume_in_place(0, spin, checksum));
            }
            shm.send(1, &sum.to_le_bytes(), spin);
        }
        0
    })?;
    let (mut seq, mut checksums) = (0u64, Vec::new());
    let time = measure(warmup, runs, || {
        let mut made = 0u64;
        for _ in 0..slots {
            made = made.wrapping_add(shm.produce_in_place(0, spin, |slot| fill(slot, seq)));
            seq += 1;
        }
        let mut summed = [0u8; 8];
        shm.recv(1, &mut summed, spin); // wait for the child's checksum of this run
        checksums.push((made, u64::from_le_bytes(summed)));
    });
    let status = child.wait()?;
    if !matches!(status, nix::sys::wait::WaitStatus::Exited(_, 0)) {
        anyhow::bail!("the summing child {}", support::child::describe(&status));
    }
    Ok(InPlace { time, checksums })
}
// ANCHOR_END: zero_copy
