//! Exercise `maps_line`: read one line of `/proc/<pid>/maps` into a struct.
//!
//! Every mapping of a process's address space is one line of `/proc/<pid>/maps`:
//!
//! ```text
//! 55c81f95e000-55c81fac9000 r-xp 000ad000 fe:00 10010919     /usr/bin/lesson-02
//! 7fff4ccef000-7fff4cd10000 rw-p 00000000 00:00 0            [stack]
//! 7f45ecd4c000-7f45ece50000 rw-p 00000000 00:00 0
//! ```
//!
//! Six fields, separated by spaces: the address range (hex, end exclusive), four
//! permission letters (`r`/`w`/`x` or `-`, then `p` private or `s` shared), the offset into
//! the file (hex), the device (`major:minor`, hex), the inode (decimal, 0 for none), and
//! the path. The path is missing for anonymous memory, is a bracketed name for the
//! kernel's own regions (`[heap]`, `[stack]`, `[vdso]`), and may contain spaces — or end
//! in ` (deleted)` when the file was removed while mapped. The kernel pads the inode with
//! spaces so the paths line up.
//!
//! Your code goes between the `// ANCHOR: solution` and `// ANCHOR_END: solution` lines
//! below, in place of `todo!()`. To Rust they are ordinary comments; they mark the part of
//! the file that is yours (the reference solution in `solutions/` differs from this file
//! only there), so leave them where they are.

/// What the four permission letters say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Perms {
    pub read: bool,
    pub write: bool,
    pub execute: bool,
    /// `s`: writes are shared with other processes mapping the same thing; `p`: private
    /// (copy-on-write).
    pub shared: bool,
}

/// One parsed line of a maps file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapsLine {
    /// First address of the mapping.
    pub start: u64,
    /// One past the last address.
    pub end: u64,
    pub perms: Perms,
    /// Offset into the mapped file (0 for anonymous memory).
    pub offset: u64,
    /// The inode of the mapped file (0 for anonymous memory and the kernel's regions).
    pub inode: u64,
    /// The path exactly as printed (spaces inside kept, padding before it dropped), or
    /// `None` when the line has no path.
    pub path: Option<String>,
}

/// What can be wrong with a maps line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapsError {
    /// The line ended before this field: `"range"`, `"perms"`, `"offset"`, `"device"` or
    /// `"inode"`.
    MissingField(&'static str),
    /// This field is present but malformed (named as above), with its text. A range needs
    /// two hex numbers joined by `-` with start ≤ end; perms are exactly four letters
    /// from `r-`, `w-`, `x-`, `ps`; offset is hex; inode is decimal.
    BadField { field: &'static str, text: String },
}

/// Parses one line of `/proc/<pid>/maps`.
///
/// Take the first five fields by splitting on spaces; the path is what remains after the
/// inode with the padding spaces before it removed (`None` if nothing remains). The device
/// field is only checked for presence.
pub fn parse_maps_line(line: &str) -> Result<MapsLine, MapsError> {
    // ANCHOR: solution
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution
}
