//! Exercise `duplex`: a conversation with a child process over two pipes.
//!
//! A pipe carries bytes one way only, so a conversation in both directions needs two: one
//! for requests (parent → child) and one for answers (child → parent). [`child_body`] is
//! the child's side, already written: for every chunk it reads from the request pipe it
//! writes the same bytes back in ASCII upper case, until the request pipe reaches
//! end-of-file; then it ends.
//!
//! Two traps. A pipe holds only a small buffer (64 KiB by default on Linux: 16 pages of
//! 4 KiB; `man 7 pipe`), and a `write` to a full pipe *blocks* until the reader makes room.
//! If the parent writes all its requests before reading any answer, the answer pipe fills,
//! the child blocks writing and stops reading, the request pipe fills, and each process
//! waits for the other for ever: a deadlock. So the parent must read answers *while* it
//! writes requests (a second thread, e.g. in `std::thread::scope`, does it). And a reader
//! sees end-of-file only once *every* copy of the pipe's write end is closed — including
//! the copies `fork` gave the other process: each side closes the ends it does not use.
//!
//! Your code goes between the `// ANCHOR: solution` and `// ANCHOR_END: solution` lines
//! below, in place of `todo!()`. To Rust they are ordinary comments; they mark the part of
//! the file that is yours (the reference solution in `solutions/` differs from this file
//! only there), so leave them where they are.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::OwnedFd;

use nix::errno::Errno;
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork, pipe};

/// Sends `requests` to a new child process through one pipe and returns everything it
/// answers through another: `requests` in ASCII upper case, however long it is.
///
/// The child runs [`child_body`] and must have its unused pipe ends closed first. This
/// function closes its own unused ends, writes the requests while it reads the answers,
/// closes the request pipe so the child sees end-of-file, reads the answers to their
/// end-of-file, and waits for the child. It leaves no child and no open descriptor behind.
/// Errors: those of `pipe`, `fork`, `write` and `read` (as `io::Error`), and
/// `io::ErrorKind::Other` when the child did not exit with status 0.
pub fn converse(requests: &[u8]) -> io::Result<Vec<u8>> {
    // ANCHOR: solution
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution
}

/// The child's side, already written: reads `requests` in chunks of up to 4 KiB and writes
/// each back in ASCII upper case to `answers`, until end-of-file on `requests`; then ends
/// the process with status 0 (1 if a read or write failed). It never returns, and calls
/// only `read`, `write` and `_exit`, which are safe in a forked child.
pub fn child_body(requests: OwnedFd, answers: OwnedFd) -> ! {
    let mut buffer = [0u8; 4096];
    let status = 'conversation: loop {
        let got = match nix::unistd::read(&requests, &mut buffer) {
            Ok(0) => break 0,
            Ok(got) => got,
            Err(Errno::EINTR) => continue,
            Err(_) => break 1,
        };
        buffer[..got].make_ascii_uppercase();
        let mut sent = 0;
        while sent < got {
            match nix::unistd::write(&answers, &buffer[sent..got]) {
                Ok(wrote) => sent += wrote,
                Err(Errno::EINTR) => {}
                Err(_) => break 'conversation 1,
            }
        }
    };
    // SAFETY: `_exit` ends the child at once, without running the parent's destructors
    // or flushing its copies of the parent's buffers.
    unsafe { libc::_exit(status) }
}
