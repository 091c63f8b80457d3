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
    let fds = [fd.as_raw_fd()];
    let sent = sendmsg::<()>(
        socket.as_raw_fd(),
        &[IoSlice::new(b"F")],
        &[ControlMessage::ScmRights(&fds)],
        MsgFlags::empty(),
        None,
    )?;
    if sent != 1 {
        return Err(io::Error::new(
            io::ErrorKind::WriteZero,
            "the byte was not sent",
        ));
    }
    Ok(())
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
    let mut byte = [0u8; 1];
    let mut iov = [IoSliceMut::new(&mut byte)];
    let mut space = nix::cmsg_space!(RawFd);
    let message = recvmsg::<()>(
        socket.as_raw_fd(),
        &mut iov,
        Some(&mut space),
        MsgFlags::MSG_CMSG_CLOEXEC,
    )?;
    if message.bytes == 0 {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    let mut received = None;
    for control in message.cmsgs()? {
        if let ControlMessageOwned::ScmRights(fds) = control {
            for raw in fds {
                // SAFETY: the kernel just installed `raw` in this process for us; nothing
                // else owns it.
                let owned = unsafe { OwnedFd::from_raw_fd(raw) };
                // Keep the first; any extra descriptor is closed as `owned` drops.
                received.get_or_insert(owned);
            }
        }
    }
    received
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "a byte came with no descriptor"))
    // ANCHOR_END: solution_recv_fd
}
