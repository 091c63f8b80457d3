//! Exercise `pass_fd`: send an open file descriptor to another process.
//!
//! A file descriptor is a small number, but the number only means something inside the
//! process that holds it: it indexes that process's own table of open files. Sending the
//! number `5` to another process as plain bytes gives it a number that is closed, or that
//! names some other file of its own. A Unix domain socket can carry the open file itself:
//! `sendmsg` with a *control message* (extra data beside the bytes, `man 3 cmsg`) of type
//! `SCM_RIGHTS` holding descriptors; the kernel installs a duplicate of each (as `dup`
//! makes: another descriptor for the same open file) in the receiver's table when it calls
//! `recvmsg` with room for that control message (`man 7 unix`). On a stream socket a
//! control message travels with at least one byte of ordinary data, so send one byte with
//! it.
//!
//! In nix: `sendmsg::<()>(fd, &[IoSlice::new(..)], &[ControlMessage::ScmRights(&[raw])],
//! MsgFlags::empty(), None)`, and `recvmsg::<()>(fd, &mut [IoSliceMut::new(..)],
//! Some(&mut buffer), MsgFlags::empty())` with `let mut buffer =
//! nix::cmsg_space!(RawFd);`, then the received message's `.cmsgs()`, which yields
//! `ControlMessageOwned::ScmRights(fds)`.
//!
//! Your code goes between each `// ANCHOR: solution_…` line below and its
//! `// ANCHOR_END: solution_…`, in place of `todo!()`. To Rust they are ordinary comments;
//! they mark the parts of the file that are yours (the reference solution in `solutions/`
//! differs from this file only there), so leave them where they are.

use std::io::{self, IoSlice, IoSliceMut};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::net::UnixStream;

use nix::sys::socket::{ControlMessage, ControlMessageOwned, MsgFlags, recvmsg, sendmsg};

/// Sends `fd` over `socket` as an `SCM_RIGHTS` control message, with one byte of ordinary
/// data. The caller keeps its own descriptor; the receiver gets a new one for the same
/// open file. Errors: those of `sendmsg`, as `io::Error`.
pub fn send_fd(socket: &UnixStream, fd: BorrowedFd<'_>) -> io::Result<()> {
    // ANCHOR: solution_send_fd
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution_send_fd
}

/// Receives one descriptor sent by [`send_fd`] (its byte and its control message) and
/// returns it, owned: dropping it closes the receiver's copy.
///
/// Errors: `io::ErrorKind::UnexpectedEof` when the peer closed the socket without sending;
/// `io::ErrorKind::InvalidData` when a byte came with no descriptor; the errors of
/// `recvmsg`, as `io::Error`.
pub fn recv_fd(socket: &UnixStream) -> io::Result<OwnedFd> {
    // ANCHOR: solution_recv_fd
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution_recv_fd
}
