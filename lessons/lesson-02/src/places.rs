//! Step 1: the addresses of things a program keeps, each found in `/proc/self/maps`.

use std::cell::Cell;
use std::hint::black_box;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

use object::{Object, ObjectSection, ObjectSegment};
use support::fmt;
use support::table::Table;

use crate::maps::{self, Area};

// ANCHOR: statics
/// An initialised static that may change (an atomic), so it lives in writable `.data`.
static COUNTER: AtomicU64 = AtomicU64::new(42);
/// A zero-initialised static: `.bss`, which the program file stores as just a length.
static ZEROED: AtomicU64 = AtomicU64::new(0);
/// A larger zeroed static (64 KiB): its end lies past the last page of `.data`.
static ZEROED_BLOCK: [AtomicU8; 64 * 1024] = [const { AtomicU8::new(0) }; 64 * 1024];

thread_local! {
    /// One copy per thread, in a block the thread library sets up for each thread.
    static PER_THREAD: Cell<u64> = const { Cell::new(7) };
}
// ANCHOR_END: statics

/// Allocations larger than this are mmap'd by glibc's malloc (its default threshold).
const LARGE: usize = 1024 * 1024;

/// One thing whose address we show.
#[derive(Debug)]
pub struct Place {
    pub what: &'static str,
    pub addr: u64,
}

/// The places, and the allocations they point into (kept alive while we look).
#[derive(Debug)]
pub struct Places {
    pub list: Vec<Place>,
    _boxed: Box<u64>,
    _large: Vec<u8>,
}

// ANCHOR: addresses
fn collect() -> Places {
    let boxed = Box::new(5u64);
    let large = vec![1u8; LARGE];
    let local = black_box(3u64);
    let addr = |p: *const u8| p as u64;
    let block_end = ZEROED_BLOCK[ZEROED_BLOCK.len() - 1].as_ptr();
    let per_thread = PER_THREAD.with(|c| addr(c.as_ptr().cast()));
    let list = [
        ("a function (main)", crate::main as *const () as u64),
        ("a string literal", addr("hello".as_ptr())),
        ("an initialised static", addr(COUNTER.as_ptr().cast())),
        ("a zeroed static", addr(ZEROED.as_ptr().cast())),
        ("end of a 64 KiB zeroed static", addr(block_end.cast())),
        ("a Box<u64>", addr((&*boxed as *const u64).cast())),
        ("a 1 MiB Vec<u8>", addr(large.as_ptr())),
        ("a local variable", addr((&local as *const u64).cast())),
        ("a thread-local", per_thread),
    ];
    let list = list.map(|(what, addr)| Place { what, addr }).into();
    // Touch the statics so the compiler keeps them where a real program would.
    COUNTER.fetch_add(1, Ordering::Relaxed);
    ZEROED.fetch_add(1, Ordering::Relaxed);
    ZEROED_BLOCK[0].fetch_add(1, Ordering::Relaxed);
    Places {
        list,
        _boxed: boxed,
        _large: large,
    }
}
// ANCHOR_END: addresses

pub fn show_where_things_live() -> Result<Places, Box<dyn std::error::Error>> {
    fmt::step("1. Where things live");
    let places = collect();
    let areas = maps::read_self()?;
    let sections = Sections::of_this_program(&areas);
    let mut table = Table::new([
        "what",
        "address",
        "region (from maps)",
        "perms",
        "ELF section",
    ]);
    for place in &places.list {
        let area = maps::find(&areas, place.addr);
        table.row([
            place.what.to_owned(),
            fmt::address(place.addr),
            area.map_or("not mapped?".into(), |a| a.region.to_string()),
            area.map_or(String::new(), |a| a.perms.clone()),
            sections.name_of(place.addr).unwrap_or("—").to_owned(),
        ]);
    }
    print!("{table}");
    fmt::note(
        "The region is read from /proc/self/maps: code is r-x, statics rw-, constants r--.\n\
         The ELF section is read from the program file itself (/proc/self/exe).\n\
         A small zeroed static may sit in the last page of .data and so show as \"data\":\n\
         the page is shared; the section says .bss. A thread-local has no section of its\n\
         own: each thread gets a copy, made at run time in anonymous memory.",
    );
    Ok(places)
}

/// The program file's sections, shifted to where this run loaded them.
struct Sections {
    /// (start, end, name) at run-time addresses.
    ranges: Vec<(u64, u64, String)>,
}

impl Sections {
    fn of_this_program(areas: &[Area]) -> Self {
        let ranges = std::fs::read("/proc/self/exe")
            .ok()
            .and_then(|bytes| Self::read(&bytes, areas))
            .unwrap_or_default();
        Self { ranges }
    }

    fn read(bytes: &[u8], areas: &[Area]) -> Option<Vec<(u64, u64, String)>> {
        let file = object::File::parse(bytes).ok()?;
        let exe = std::fs::read_link("/proc/self/exe").ok()?;
        let exe = exe.to_string_lossy();
        // A position-independent program is loaded at a random base: the first mapping of
        // the file (offset 0) is where its first segment's address landed.
        let first_map = areas.iter().find(|a| a.path == exe)?.start;
        let first_segment = file.segments().map(|s| s.address()).min()?;
        let bias = first_map.wrapping_sub(first_segment & !0xfff);
        Some(
            file.sections()
                .filter(|s| s.size() > 0 && s.address() > 0)
                // `.tbss` only describes each thread's zeroed copy: it takes no address
                // space in the file's image and would overlap the sections after it.
                .filter(|s| s.name() != Ok(".tbss"))
                .filter_map(|s| {
                    let name = s.name().ok()?.to_owned();
                    let start = s.address().wrapping_add(bias);
                    Some((start, start + s.size(), name))
                })
                .collect(),
        )
    }

    fn name_of(&self, addr: u64) -> Option<&str> {
        self.ranges
            .iter()
            .find(|(start, end, _)| (*start..*end).contains(&addr))
            .map(|(_, _, name)| name.as_str())
    }
}
