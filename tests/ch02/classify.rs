use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::classify::{Region, classify, region_of_line};

/// An initialised, writable static: it lives in the program's data.
static COUNTER: AtomicU64 = AtomicU64::new(42);

/// Addresses worth asking about in the fixtures: (fixture name starts with, what, address).
/// The `pool` addresses are the ones its program printed (see `fixtures/pool.c`).
const ADDRESSES: &[(&str, &str, u64)] = &[
    (
        "server",
        "inside a malloc arena's reserved tail (---p)",
        0x7f00_0100_0000,
    ),
    ("pool", "the main thread's malloc'd box", 0x5618_d7aa_42a0),
    ("pool", "worker 1's malloc'd box", 0x7f92_3400_0b70),
    ("pool", "worker 2's malloc'd box", 0x7f92_2c00_0b70),
    (
        "pool",
        "an anonymous mapping 64 KiB past the program's data",
        0x5618_cef5_0000,
    ),
    (
        "pool",
        "the last byte of the program's data",
        0x5618_cef3_ffff,
    ),
];

#[test]
fn classifies_the_fixtures() {
    let _graded = support::sealed::graded();
    let mut report = String::new();
    for (name, exe, text) in super::FIXTURES {
        let maps = super::reference_lines(text);
        report += &format!("{name}:\n");
        for (index, line) in maps.iter().enumerate() {
            report += &format!(
                "  {:x}-{:x} {:<30} {:?}\n",
                line.start,
                line.end,
                line.path.as_deref().unwrap_or(""),
                region_of_line(&maps, index, exe)
            );
        }
        // Just past the end of the first mapping, and address 0: unmapped in both files.
        let past_first = maps[0].end;
        let gap = if maps[1].start == past_first {
            None
        } else {
            Some(past_first)
        };
        for (_, what, addr) in ADDRESSES.iter().filter(|(of, ..)| name.starts_with(of)) {
            report += &format!("  {what} ({addr:#x}): {:?}\n", classify(&maps, exe, *addr));
        }
        report += &format!("  address 0: {:?}\n", classify(&maps, exe, 0));
        report += &format!(
            "  the middle of the first mapping: {:?}\n",
            classify(&maps, exe, (maps[0].start + maps[0].end) / 2)
        );
        if let Some(addr) = gap {
            report += &format!(
                "  the gap after the first mapping: {:?}\n",
                classify(&maps, exe, addr)
            );
        }
        report += &format!(
            "  the last byte of the last mapping: {:?}\n",
            classify(&maps, exe, maps[maps.len() - 1].end - 1)
        );
        report += &format!(
            "  one past the last mapping: {:?}\n",
            classify(&maps, exe, maps[maps.len() - 1].end)
        );
    }
    support::assert_graded_snapshot!("ch02-classify-fixtures", report);
}

/// A small allocation made on a thread of its own is in that thread's malloc arena — an
/// anonymous mapping — and not in `[heap]`, which only the main thread's malloc grows.
#[test]
fn classifies_a_worker_threads_allocation() {
    let _graded = support::sealed::graded();
    let (sent, received) = std::sync::mpsc::channel();
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let worker = std::thread::spawn(move || {
        let boxed = black_box(Box::new(7u64));
        sent.send(&*boxed as *const u64 as u64).unwrap();
        // Keep the box alive until the maps have been read.
        let _ = wait.recv();
        drop(boxed);
    });
    let addr = received.recv().expect("the worker sends its box's address");
    let (text, exe) = super::live();
    release.send(()).unwrap();
    worker.join().unwrap();
    let maps = super::reference_lines(&text);
    let line = maps
        .iter()
        .find(|l| l.start <= addr && addr < l.end)
        .expect("the worker's box is mapped");
    // glibc gives each new thread a malloc arena of its own (an anonymous mapping); only
    // with MALLOC_ARENA_MAX=1, or once the arenas run out, does a thread share `[heap]`.
    let expected = match line.path.as_deref() {
        None => Region::AnonMmap,
        Some("[heap]") => Region::Heap,
        other => panic!("a malloc'd box in {other:?}? {line:?}"),
    };
    assert_eq!(
        classify(&maps, &exe, addr),
        Some(expected),
        "a worker thread's 8-byte Box at {addr:#x}, in the line {:x}-{:x} {:?}",
        line.start,
        line.end,
        line.path
    );
}

#[test]
fn classifies_addresses_of_this_process() {
    let _graded = support::sealed::graded();
    let large = black_box(vec![1u8; 4 << 20]);
    let local = black_box(7u64);
    COUNTER.fetch_add(1, Ordering::Relaxed);
    let (text, exe) = super::live();
    let maps = super::reference_lines(&text);
    let at = |addr: u64| classify(&maps, &exe, addr);
    assert_eq!(
        at(classifies_addresses_of_this_process as *const () as u64),
        Some(Region::Code),
        "a function is code"
    );
    assert_eq!(
        at("a literal".as_ptr() as u64),
        Some(Region::ReadOnlyData),
        "a string literal"
    );
    assert_eq!(
        at(COUNTER.as_ptr() as u64),
        Some(Region::Data),
        "an initialised static"
    );
    assert_eq!(
        at(large.as_ptr() as u64),
        Some(Region::AnonMmap),
        "a 4 MiB Vec is mmap'd"
    );
    // Tests run on threads, and a thread's stack is anonymous memory, not [stack].
    assert_eq!(
        at(&local as *const u64 as u64),
        Some(Region::AnonMmap),
        "a test thread's local"
    );
    assert_eq!(at(0), None, "address 0 is never mapped");
}
