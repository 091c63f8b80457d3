use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::classify::{Region, classify, region_of_line};

/// An initialised, writable static: it lives in the program's data.
static COUNTER: AtomicU64 = AtomicU64::new(42);

#[test]
fn classifies_the_fixtures() {
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
    support::testing::settings().bind(|| insta::assert_snapshot!("ch02-classify-fixtures", report));
}

#[test]
fn classifies_addresses_of_this_process() {
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
