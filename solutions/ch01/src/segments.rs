//! Exercise `segments`: tell code from data in a program file's segments.
//!
//! An ELF program file (what `cargo build` writes) carries a table of *program headers*.
//! Each one describes a *segment*: a piece of the file the loader maps into memory when
//! the program becomes a process. Its permission flags say what the process may do with
//! that memory: read (R), write (W), execute (X).
//!
//! A segment may be bigger in memory than in the file: the extra bytes are zeros the
//! loader adds — the `.bss` of zero-initialised statics, which costs no space on disk.
//!
//! Your code goes between each `// ANCHOR: solution_…` line below and its
//! `// ANCHOR_END: solution_…`, in place of `todo!()`. To Rust they are ordinary comments;
//! they mark the parts of the file that are yours (the reference solution in `solutions/`
//! differs from this file only there), so leave them where they are.

/// `PT_LOAD`: the only segment type the loader maps into memory.
pub const PT_LOAD: u32 = 1;
/// Segment flag: executable.
pub const PF_X: u32 = 1;
/// Segment flag: writable.
pub const PF_W: u32 = 2;
/// Segment flag: readable.
pub const PF_R: u32 = 4;

/// One program header, as read from an ELF file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgramHeader {
    /// The segment type (`PT_LOAD` = 1, `PT_DYNAMIC` = 2, `PT_INTERP` = 3, ...).
    pub segment_type: u32,
    /// Permission bits: `PF_R | PF_W | PF_X`.
    pub flags: u32,
    /// Bytes of the segment stored in the file.
    pub file_size: u64,
    /// Bytes the segment occupies in memory (at least `file_size` for `PT_LOAD`).
    pub mem_size: u64,
}

/// What a segment is for, judged by its type and flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SegmentKind {
    /// Loaded and executable: machine code.
    Code,
    /// Loaded, readable, neither writable nor executable: constants, string literals.
    ReadOnlyData,
    /// Loaded and writable (but not executable): statics that can change, and `.bss`.
    Data,
    /// Not a `PT_LOAD` segment: information for the loader, not memory of the process.
    NotLoaded,
}

/// Classifies a segment.
///
/// Rules, in order: not `PT_LOAD` → `NotLoaded`; executable → `Code` (even if also
/// writable — rare, and a security smell); writable → `Data`; otherwise `ReadOnlyData`.
pub fn classify(header: &ProgramHeader) -> SegmentKind {
    // ANCHOR: solution_classify
    if header.segment_type != PT_LOAD {
        SegmentKind::NotLoaded
    } else if header.flags & PF_X != 0 {
        SegmentKind::Code
    } else if header.flags & PF_W != 0 {
        SegmentKind::Data
    } else {
        SegmentKind::ReadOnlyData
    }
    // ANCHOR_END: solution_classify
}

/// The bytes of zeros the loader must add: for every *loaded* segment, `mem_size -
/// file_size` (zero when they are equal). Segments that are not loaded add nothing.
pub fn zero_fill_bytes(headers: &[ProgramHeader]) -> u64 {
    // ANCHOR: solution_zero_fill
    headers
        .iter()
        .filter(|h| h.segment_type == PT_LOAD)
        .map(|h| h.mem_size.saturating_sub(h.file_size))
        .sum()
    // ANCHOR_END: solution_zero_fill
}
