//! Exercise `framing`: messages with boundaries over a Unix stream socket.
//!
//! A stream socket (like a pipe, or TCP) carries a stream of bytes, not messages: two
//! `write` calls of 3 and 5 bytes may reach the reader as one `read` of 8 bytes, or as
//! eight reads of 1 byte. And a `write` may take only part of what it was given (a *short
//! write*): it returns how many bytes it took, and the rest is still yours to send. So if
//! the reader is to know where one message ends and the next begins, the writer must say:
//! here, each message (a *frame*) is sent as a 4-byte length, in big-endian order (most
//! significant byte first, the usual "network order"), followed by that many bytes.
//!
//! `std::io::Write::write_all` and `std::io::Read::read_exact` loop over short writes and
//! short reads for you; a lone `write` or `read` does not.
//!
//! Your code goes between each `// ANCHOR: solution_…` line below and its
//! `// ANCHOR_END: solution_…`, in place of `todo!()`. To Rust they are ordinary comments;
//! they mark the parts of the file that are yours (the reference solution in `solutions/`
//! differs from this file only there), so leave them where they are.

use std::io::{self, Read, Write};

/// The largest message a frame may carry: 16 MiB. A reader that trusted any length would
/// allocate up to 4 GiB on a corrupt prefix.
pub const MAX_FRAME: usize = 16 << 20;

/// Writes `message` to `out` as one frame: its length as a big-endian `u32`, then its
/// bytes, all of them, however few bytes each `write` call takes.
///
/// Errors: `io::ErrorKind::InvalidInput` when `message` is longer than [`MAX_FRAME`]
/// (nothing is written then); the errors of `write`.
pub fn write_frame(out: &mut impl Write, message: &[u8]) -> io::Result<()> {
    // ANCHOR: solution_write_frame
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution_write_frame
}

/// Reads the next frame from `input` and returns its message, however the bytes were
/// split between `read` calls.
///
/// Returns `Ok(None)` when `input` is at end-of-file before the first byte of a frame (the
/// writer closed its end cleanly). Errors: `io::ErrorKind::UnexpectedEof` when end-of-file
/// comes inside a frame (in its length or its message); `io::ErrorKind::InvalidData` when
/// the length is more than [`MAX_FRAME`] (before reading or allocating the message); the
/// errors of `read`.
pub fn read_frame(input: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    // ANCHOR: solution_read_frame
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution_read_frame
}
