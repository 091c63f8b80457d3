//! Steps 3 and 4: the stack grows down; the heap grows (mostly) up.

use std::hint::black_box;

use support::fmt;
use support::table::Table;

use crate::maps::{self, Region};

// ANCHOR: stack
/// Records the address of a local at each level of a chain of calls.
#[inline(never)]
fn descend(depth: usize, addresses: &mut Vec<u64>) {
    let local = black_box([depth as u8; 64]);
    addresses.push(&local as *const _ as u64);
    if depth > 1 {
        descend(depth - 1, addresses);
    }
    black_box(&local);
}
// ANCHOR_END: stack

pub fn show_the_stack_growing_down() {
    fmt::step("3. The stack grows down");
    let mut addresses = Vec::new();
    descend(5, &mut addresses);
    let mut table =
        Table::new(["call depth", "address of a local", "change from the caller"]).right(2);
    for (depth, addr) in addresses.iter().enumerate() {
        let change = match depth {
            0 => "—".to_owned(),
            _ => signed_bytes(*addr as i128 - addresses[depth - 1] as i128),
        };
        table.row([depth.to_string(), fmt::address(*addr), change]);
    }
    print!("{table}");
    let down = addresses.windows(2).all(|w| w[1] < w[0]);
    fmt::note(&format!(
        "Every deeper call's local is at a lower address: {down}. Each call pushes a frame\n\
         (its locals, saved registers, the return address) below its caller's, and pops it\n\
         on return. The main thread's stack is the [stack] mapping; other threads get\n\
         stacks in anonymous memory (chapter 04)."
    ));
}

fn signed_bytes(delta: i128) -> String {
    let sign = if delta < 0 { "−" } else { "+" };
    format!("{sign}{}", fmt::bytes(delta.unsigned_abs() as u64))
}

pub fn show_the_heap_growing() -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("4. The heap grows");
    let (boxes, addresses) = six_boxes();
    let mut table = Table::new(["allocation", "address", "change from the previous"]).right(2);
    for (i, addr) in addresses.iter().enumerate() {
        let change = match i {
            0 => "—".to_owned(),
            _ => signed_bytes(*addr as i128 - addresses[i - 1] as i128),
        };
        table.row([format!("Box #{i}"), fmt::address(*addr), change]);
    }
    print!("{table}");
    let upward = addresses.windows(2).filter(|w| w[1] > w[0]).count();
    fmt::note(&format!(
        "{upward} of {} successive allocations landed above the one before.",
        addresses.len() - 1
    ));
    show_reuse(boxes);
    show_the_break_moving()
}

// ANCHOR: heap
/// Six small boxes in a row, and the address malloc gave each.
#[allow(clippy::vec_box)] // each Box is one malloc'd block: the blocks are what we watch
fn six_boxes() -> (Vec<Box<[u8; 64]>>, Vec<u64>) {
    let boxes: Vec<Box<[u8; 64]>> = (0..6).map(|i| Box::new([i as u8; 64])).collect();
    let addresses = boxes.iter().map(|b| &**b as *const _ as u64).collect();
    (boxes, addresses)
}

/// Where `[heap]` starts and ends now, from /proc/self/maps.
fn heap_bounds() -> Result<Option<(u64, u64)>, Box<dyn std::error::Error>> {
    let areas = maps::read_self()?;
    let heap = areas.iter().find(|a| a.region == Region::Heap);
    Ok(heap.map(|a| (a.start, a.end)))
}
// ANCHOR_END: heap

/// A freed block is handed out again: the heap is a pool, not a stack of allocations.
// Each element is boxed on purpose: every Box is one separate allocation to look at.
#[allow(clippy::vec_box)]
fn show_reuse(mut boxes: Vec<Box<[u8; 64]>>) {
    let freed = boxes.remove(2);
    let freed_at = &*freed as *const _ as u64;
    drop(freed);
    let again = Box::new([9u8; 64]);
    let again_at = &*again as *const _ as u64;
    fmt::note(&format!(
        "Freed Box #2 at {}, then allocated the same size again:\n\
         it went to {} ({}). The allocator reuses freed blocks\n\
         first, so \"the heap grows up\" describes the region, not each allocation.",
        fmt::address(freed_at),
        fmt::address(again_at),
        if again_at == freed_at {
            "the same block"
        } else {
            "a different block"
        }
    ));
    black_box((boxes, again));
}

/// The `[heap]` mapping's top (the *program break*) moves up as malloc asks `brk` for more.
fn show_the_break_moving() -> Result<(), Box<dyn std::error::Error>> {
    let before = heap_bounds()?;
    // 4 MiB in 64-byte pieces: each is below malloc's mmap threshold, so all come from [heap].
    let many: Vec<Box<[u8; 64]>> = (0..65_536).map(|_| Box::new([1u8; 64])).collect();
    let after = heap_bounds()?;
    match (before, after) {
        (Some((start, old_end)), Some((_, new_end))) => fmt::note(&format!(
            "[heap] starts at {} and ended at {};\n\
             after 65,536 more small boxes it ends at {}: it grew upward by {}.\n\
             [heap] is the main thread's malloc arena. glibc gives other threads arenas of\n\
             their own, in anonymous mappings (64 MiB reserved each): their boxes are not here.",
            fmt::address(start),
            fmt::address(old_end),
            fmt::address(new_end),
            fmt::bytes(new_end.saturating_sub(old_end)),
        )),
        _ => fmt::note("This process has no [heap] mapping: its allocator uses mmap only."),
    }
    drop(black_box(many));
    Ok(())
}
