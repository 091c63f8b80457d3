//! Exercise `classify`: say which region of memory an address is in.
//!
//! The kernel knows only address ranges, permissions and what backs each mapping; the
//! names a textbook uses — code, data, bss, heap, stack — are our reading of those facts.
//! This exercise writes that reading down as rules. (Chapter 02's lesson uses the same
//! rules, in its own `lessons/lesson-02/src/maps.rs`.)
//!
//! One trap: memory from `malloc` (and so from `Box` and `Vec`) is not all in `[heap]`.
//! `[heap]` is the one region glibc's `malloc` grows with `brk`, for its *main arena*, the
//! one the main thread allocates from. Other threads allocate from other arenas (glibc's
//! `malloc/arena.c` makes up to 8 per CPU core on 64-bit before threads must share), and
//! each of those is a 64 MiB reservation, aligned to 64 MiB, of which only the part in
//! use is readable and writable. In the maps file that is an anonymous `rw-p` line
//! followed by a `---p` line, the reserved tail; the rules below call both anonymous
//! memory, because nothing in the line says "malloc".
//!
//! Your code goes between each `// ANCHOR: solution_…` line below and its
//! `// ANCHOR_END: solution_…`, in place of `todo!()`. To Rust they are ordinary comments;
//! they mark the parts of the file that are yours (the reference solution in `solutions/`
//! differs from this file only there), so leave them where they are.

use crate::maps_line::MapsLine;

/// The region a mapping belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Region {
    /// The program's machine code: mapped from the program file, executable.
    Code,
    /// The program file's read-only parts: constants, string literals.
    ReadOnlyData,
    /// The program file's writable part: initialised statics.
    Data,
    /// Zero-initialised statics: anonymous memory that begins exactly where a writable
    /// mapping of the program file ends.
    Bss,
    /// `[heap]`: where glibc's `malloc` grows its main arena with `brk`.
    Heap,
    /// `[stack]`: the main thread's stack.
    Stack,
    /// Other anonymous memory: large allocations, threads' stacks and thread-locals, the
    /// malloc arenas other threads allocate from (used part and reserved tail alike).
    AnonMmap,
    /// Any other mapped file: shared libraries, locale data.
    FileMmap,
    /// Any other bracketed name: the kernel's own pages (`[vdso]`, `[vvar]`, `[vsyscall]`).
    Kernel,
}

/// The region of the line `maps[index]`, where `exe` is the program file's path as it
/// appears in the maps file.
///
/// Rules:
/// - path equal to `exe`: [`Region::Code`] if executable, else [`Region::Data`] if
///   writable, else [`Region::ReadOnlyData`];
/// - `[heap]`: [`Region::Heap`]; `[stack]`: [`Region::Stack`];
/// - a name starting `[anon:` (an anonymous mapping a program has named):
///   [`Region::AnonMmap`]; any other name starting with `[`: [`Region::Kernel`];
/// - no path: [`Region::Bss`] if the line before it (`maps[index - 1]`) is a writable
///   mapping of `exe` whose `end` equals this line's `start`, else [`Region::AnonMmap`];
/// - any other path: [`Region::FileMmap`].
///
/// Panics if `index` is out of bounds.
pub fn region_of_line(maps: &[MapsLine], index: usize, exe: &str) -> Region {
    // ANCHOR: solution_region_of_line
    let line = &maps[index];
    let is_exe = |l: &MapsLine| l.path.as_deref() == Some(exe);
    match line.path.as_deref() {
        Some(_) if is_exe(line) => {
            if line.perms.execute {
                Region::Code
            } else if line.perms.write {
                Region::Data
            } else {
                Region::ReadOnlyData
            }
        }
        Some("[heap]") => Region::Heap,
        Some("[stack]") => Region::Stack,
        Some(name) if name.starts_with("[anon:") => Region::AnonMmap,
        Some(name) if name.starts_with('[') => Region::Kernel,
        Some(_) => Region::FileMmap,
        None => {
            let after_data = index.checked_sub(1).is_some_and(|i| {
                let before = &maps[i];
                is_exe(before) && before.perms.write && before.end == line.start
            });
            if after_data {
                Region::Bss
            } else {
                Region::AnonMmap
            }
        }
    }
    // ANCHOR_END: solution_region_of_line
}

/// The region holding `addr`: the region of the line whose range contains it
/// (`start <= addr < end`), or `None` when no line does (the address is unmapped).
pub fn classify(maps: &[MapsLine], exe: &str, addr: u64) -> Option<Region> {
    // ANCHOR: solution_classify
    let index = maps
        .iter()
        .position(|line| line.start <= addr && addr < line.end)?;
    Some(region_of_line(maps, index, exe))
    // ANCHOR_END: solution_classify
}
