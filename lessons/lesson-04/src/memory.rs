//! Step 3: each thread's own stack, seen in `/proc/self/maps`, versus the heap and the
//! statics that every thread shares.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result};
use support::fmt;
use support::proc::procfs::process::{MMPermissions, MMapPath, MemoryMap, Process};
use support::table::Table;

use crate::crew::Crew;

/// The stack size the lesson asks for its last worker (when it has two or more), to show
/// the knob works next to Rust's default.
pub const SMALL_STACK: usize = 256 * 1024;

// ANCHOR: shared_static
/// One static for the whole process: it lives in the program's data segment.
static VISITORS: AtomicU64 = AtomicU64::new(0);
// ANCHOR_END: shared_static

/// Where one thread found its local, the shared heap data and the static.
#[derive(Debug, Clone)]
struct Seen {
    label: String,
    local: u64,
    heap: u64,
    statik: u64,
}

// ANCHOR: addresses
/// Runs on each thread: takes the address of a local (on *this* thread's stack), of the
/// data behind the shared `Arc` (on the heap) and of a static (in the data segment).
fn look_around(label: String, shared: &Arc<Vec<u64>>) -> Seen {
    let local = [0u8; 64];
    VISITORS.fetch_add(1, Ordering::Relaxed);
    Seen {
        label,
        local: std::hint::black_box(&local).as_ptr() as u64,
        heap: shared.as_ptr() as u64,
        statik: &VISITORS as *const AtomicU64 as u64,
    }
}
// ANCHOR_END: addresses

/// The address range of one thread's stack mapping, as step 3 found it.
pub type StackMapping = Option<(u64, u64)>;

/// Step 3. Returns each worker's stack mapping, for step 4 to compare with.
pub fn show_stacks_and_shared_memory(crew: &Crew) -> Result<Vec<StackMapping>> {
    fmt::step("3. Each thread's own stack; one shared heap and data");
    let shared = Arc::new(vec![7u64; 1024]);
    let main_seen = look_around("main".into(), &shared);
    let for_workers = Arc::clone(&shared);
    let seen = crew.ask(move |i| look_around(format!("worker-{i}"), &for_workers))?;
    // Read the map while every worker is still alive: a finished thread's stack is gone.
    let maps = read_maps()?;
    let stacks = seen
        .iter()
        .map(|s| containing(&maps, s.local).map(|m| m.address))
        .collect();
    let everyone: Vec<Seen> = std::iter::once(main_seen).chain(seen).collect();
    print_stacks(&everyone, &maps, crew);
    print_shared(&everyone, &maps);
    Ok(stacks)
}

pub fn read_maps() -> Result<Vec<MemoryMap>> {
    let process = Process::myself().context("could not open /proc/self")?;
    let maps = process.maps().context("could not read /proc/self/maps")?;
    Ok(maps.into_iter().collect())
}

pub fn containing(maps: &[MemoryMap], address: u64) -> Option<&MemoryMap> {
    maps.iter()
        .find(|m| m.address.0 <= address && address < m.address.1)
}

/// A `---p` mapping that ends exactly where `mapping` starts: the guard page(s) that make
/// a stack overflow fault instead of silently writing into the next mapping.
fn guard_below<'a>(maps: &'a [MemoryMap], mapping: &MemoryMap) -> Option<&'a MemoryMap> {
    maps.iter().find(|m| {
        m.address.1 == mapping.address.0
            && !m
                .perms
                .intersects(MMPermissions::READ | MMPermissions::WRITE | MMPermissions::EXECUTE)
    })
}

pub fn describe(mapping: &MemoryMap) -> String {
    let name = match &mapping.pathname {
        MMapPath::Stack => "[stack]".to_string(),
        MMapPath::Heap => "[heap]".to_string(),
        MMapPath::TStack(tid) => format!("[stack:{tid}]"),
        MMapPath::Anonymous => "anonymous".to_string(),
        MMapPath::Path(path) => path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        other => format!("{other:?}"),
    };
    format!(
        "{}-{} {}",
        fmt::address(mapping.address.0),
        fmt::address(mapping.address.1),
        name
    )
}

fn size(mapping: &MemoryMap) -> u64 {
    mapping.address.1 - mapping.address.0
}

fn print_stacks(everyone: &[Seen], maps: &[MemoryMap], crew: &Crew) {
    let mut table = Table::new(["thread", "a local at", "in mapping", "size", "guard below"])
        .right(3)
        .right(4);
    let mut stack_starts = Vec::new();
    let mut guarded = 0;
    for seen in everyone {
        let Some(mapping) = containing(maps, seen.local) else {
            table.row([
                seen.label.clone(),
                fmt::address(seen.local),
                "not found".into(),
            ]);
            continue;
        };
        stack_starts.push(mapping.address.0);
        let guard = guard_below(maps, mapping);
        guarded += usize::from(guard.is_some() && seen.label != "main");
        table.row([
            seen.label.clone(),
            fmt::address(seen.local),
            describe(mapping),
            fmt::bytes(size(mapping)),
            guard.map_or("—".to_string(), |g| fmt::bytes(size(g))),
        ]);
    }
    print!("{table}");
    stack_starts.sort_unstable();
    stack_starts.dedup();
    support::checks::invariant(
        "every thread's locals are in a mapping of its own",
        stack_starts.len() == everyone.len(),
    );
    support::checks::invariant(
        "every spawned thread's stack has a no-access guard just below it",
        guarded == crew.len(),
    );
    let asked = match crew.asked_stacks().as_slice() {
        [] => "every worker has it".to_string(),
        asked => asked
            .iter()
            .map(|(who, bytes)| format!("{who} asked for {}", fmt::bytes(*bytes as u64)))
            .collect::<Vec<_>>()
            .join(", "),
    };
    fmt::note(&format!(
        "The main thread's stack is the kernel's [stack], which grows on demand up to\n\
         `ulimit -s`. A spawned thread gets a fixed mapping: Rust's default is 2 MiB\n\
         (RUST_MIN_STACK changes it); {asked} (thread::Builder::stack_size).\n\
         Stacks grow down: a thread that overflows touches the guard, the CPU faults, and\n\
         the kernel sends SIGSEGV. Rust's handler sees the address is a guard page, prints\n\
         \"has overflowed its stack\" and aborts the process (chapter 05 shows it)."
    ));
}

fn print_shared(everyone: &[Seen], maps: &[MemoryMap]) {
    println!();
    let mut table = Table::new(["thread", "Arc's data at", "static VISITORS at"]);
    for seen in everyone {
        table.row([
            seen.label.clone(),
            fmt::address(seen.heap),
            fmt::address(seen.statik),
        ]);
    }
    print!("{table}");
    let first = &everyone[0];
    let region = |address| containing(maps, address).map_or("not found".into(), describe);
    println!("  the Arc's data is in {}", region(first.heap));
    println!("  the static is in     {}", region(first.statik));
    support::checks::invariant(
        "every thread saw the same heap address",
        everyone.iter().all(|s| s.heap == first.heap),
    );
    support::checks::invariant(
        "every thread saw the same static address",
        everyone.iter().all(|s| s.statik == first.statik),
    );
    println!(
        "  → the static counted every visit: {} visits by {} threads",
        VISITORS.load(Ordering::Relaxed),
        everyone.len()
    );
}
