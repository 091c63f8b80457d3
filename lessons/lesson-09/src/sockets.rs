//! Steps 6-10: Unix domain sockets (a pair, a listening socket, datagrams, passing a file
//! descriptor) and TCP on loopback.

use std::fs::File;
use std::io::{IoSlice, IoSliceMut, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::net::{UnixDatagram, UnixStream};

use anyhow::{Result, bail};
use nix::sys::socket::{
    AddressFamily, Backlog, ControlMessage, ControlMessageOwned, MsgFlags, SockFlag, SockType,
    UnixAddr, accept, bind, connect, listen, recv, recvmsg, send, sendmsg, socket,
};
use support::child::fork;
use support::cleanup::{Kind, Named};
use support::fmt;

use crate::Ctx;

/// Step 6: one socketpair carries bytes both ways at once.
pub fn show_socketpair() -> Result<()> {
    fmt::step("6. Unix sockets: a pair, both ways");
    let (parent_end, child_end) = UnixStream::pair()?; // socketpair(AF_UNIX, SOCK_STREAM)
    let child = fork(|| {
        let mut end = child_end;
        // Both sides write first, then read: with one pipe this would need two.
        let mut buf = [0u8; 16];
        let ok = end.write_all(b"from the child").is_ok() && end.read_exact(&mut buf[..15]).is_ok();
        i32::from(!ok)
    })?;
    let mut end = parent_end;
    end.write_all(b"from the parent")?;
    let mut buf = [0u8; 14];
    end.read_exact(&mut buf)?;
    let status = child.wait()?;
    println!(
        "  both ends wrote first, then read; the parent got {:?}",
        String::from_utf8_lossy(&buf)
    );
    support::checks::invariant(
        "one socketpair is full-duplex (no second pipe needed)",
        matches!(status, nix::sys::wait::WaitStatus::Exited(_, 0)),
    );
    Ok(())
}

// ANCHOR: listen
/// The server's calls: socket, bind (the name appears in the file system), listen.
fn listening_socket(path: &std::path::Path) -> Result<OwnedFd> {
    let server = socket(
        AddressFamily::Unix,
        SockType::Stream,
        SockFlag::empty(),
        None,
    )?;
    bind(server.as_raw_fd(), &UnixAddr::new(path)?)?; // EADDRINUSE if the name exists
    listen(&server, Backlog::new(8)?)?;
    Ok(server)
}

/// The client's calls: socket, connect, send (twice), close.
fn client(path: &std::path::Path) -> nix::Result<()> {
    let sock = socket(
        AddressFamily::Unix,
        SockType::Stream,
        SockFlag::empty(),
        None,
    )?;
    connect(sock.as_raw_fd(), &UnixAddr::new(path)?)?;
    send(sock.as_raw_fd(), b"first message|", MsgFlags::empty())?;
    send(sock.as_raw_fd(), b"second message", MsgFlags::empty())?;
    drop(sock); // close(2): the server's next recv returns 0
    Ok(())
}
// ANCHOR_END: listen

/// Step 7: the bind / listen / accept / connect / send / close sequence.
pub fn show_listening_socket(ctx: &Ctx) -> Result<()> {
    fmt::step("7. Unix sockets: listen, accept, connect");
    let path = ctx.dir.join("server.sock");
    let named = Named::register(&path, Kind::Path)?;
    let server = listening_socket(&path)?;
    let client_child = fork(|| i32::from(client(&path).is_err()))?;
    let conn = accept(server.as_raw_fd())?;
    // SAFETY: accept returned a new descriptor that nothing else owns.
    let conn = unsafe { OwnedFd::from_raw_fd(conn) };
    client_child.wait()?; // the client has sent both messages and closed
    let mut buf = [0u8; 64];
    let n = recv(conn.as_raw_fd(), &mut buf, MsgFlags::empty())?;
    let end = recv(conn.as_raw_fd(), &mut buf[n..], MsgFlags::empty())?;
    let split = split_read()?;
    println!(
        "  server: socket, bind {:?}, listen; client: socket, connect, send ×2, close",
        "server.sock"
    );
    println!(
        "  the server's first recv() returned {n} bytes: {:?}",
        String::from_utf8_lossy(&buf[..n])
    );
    println!("  the next returned {end}: the client had closed");
    support::checks::invariant(
        "two sends arrived as one read (no message boundaries)",
        n == 28,
    );
    // The reader's buffer could take the whole send at once, so the pieces are the
    // socket's doing: the writer can have only so much in flight (about the socket's send
    // buffer, SO_SNDBUF) before it waits, and each read returns what has arrived by then.
    println!(
        "  one send of {}, read with a {} buffer, arrived in {} reads, the largest {}\n  \
         (the writing end's send buffer, SO_SNDBUF, is {})",
        fmt::bytes(split.sizes.iter().sum::<usize>() as u64),
        fmt::bytes(READ_BUFFER as u64),
        split.sizes.len(),
        fmt::bytes(split.sizes.iter().copied().max().unwrap_or(0) as u64),
        fmt::bytes(split.send_buffer as u64)
    );
    drop(named);
    Ok(())
}

/// How much [`split_read`] sends in one `write`: several times what a socket holds.
const ONE_SEND: usize = 1024 * 1024;

/// The reader's buffer in [`split_read`]: larger than the send, so it never cuts it.
const READ_BUFFER: usize = 2 * ONE_SEND;

/// What [`split_read`] saw.
struct Split {
    /// The bytes each read returned, in order.
    sizes: Vec<usize>,
    /// The writing end's SO_SNDBUF, as `getsockopt` reports it.
    send_buffer: usize,
}

/// One `write` of [`ONE_SEND`] bytes into a stream socket, read back with a buffer that
/// could hold it whole.
fn split_read() -> Result<Split> {
    let (mut a, mut b) = UnixStream::pair()?;
    let send_buffer = nix::sys::socket::getsockopt(&a, nix::sys::socket::sockopt::SndBuf)?;
    let child = fork(|| i32::from(a.write_all(&vec![1u8; ONE_SEND]).is_err()))?;
    drop(a);
    let mut sizes = Vec::new();
    let mut buf = vec![0u8; READ_BUFFER];
    loop {
        match b.read(&mut buf)? {
            0 => break,
            n => sizes.push(n),
        }
    }
    child.wait()?;
    Ok(Split { sizes, send_buffer })
}

/// Step 8: datagrams keep their boundaries.
pub fn show_datagrams() -> Result<()> {
    fmt::step("8. Unix sockets: datagrams");
    let (a, b) = UnixDatagram::pair()?; // socketpair(AF_UNIX, SOCK_DGRAM)
    let child = fork(|| {
        let ok = a.send(b"first").is_ok() && a.send(b"second, longer").is_ok();
        i32::from(!ok)
    })?;
    child.wait()?; // both datagrams are queued before the first recv
    let mut buf = [0u8; 64];
    let first = b.recv(&mut buf)?;
    let first_text = String::from_utf8_lossy(&buf[..first]).into_owned();
    let second = b.recv(&mut buf)?;
    println!("  the child sent 2 datagrams, then exited; each recv() returned one:");
    println!(
        "    {first_text:?}, then {:?}",
        String::from_utf8_lossy(&buf[..second])
    );
    support::checks::invariant(
        "datagrams keep message boundaries",
        first == 5 && second == 14,
    );
    Ok(())
}

// ANCHOR: scm_rights
/// Sends an open file descriptor over a Unix socket (SCM_RIGHTS): when the receiver calls
/// `recvmsg`, the kernel installs a new descriptor for the same open file in the receiver's
/// table, under a number it picks there.
fn send_fd(sock: &UnixStream, fd: &File) -> nix::Result<usize> {
    let fds = [fd.as_raw_fd()];
    let cmsg = [ControlMessage::ScmRights(&fds)];
    let iov = [IoSlice::new(b"f")]; // at least one byte of ordinary data goes with it
    sendmsg::<()>(sock.as_raw_fd(), &iov, &cmsg, MsgFlags::empty(), None)
}

fn receive_fd(sock: &UnixStream) -> nix::Result<OwnedFd> {
    let mut byte = [0u8; 1];
    let mut iov = [IoSliceMut::new(&mut byte)];
    let mut space = nix::cmsg_space!([std::os::fd::RawFd; 1]);
    let msg = recvmsg::<()>(
        sock.as_raw_fd(),
        &mut iov,
        Some(&mut space),
        MsgFlags::empty(),
    )?;
    for cmsg in msg.cmsgs()? {
        if let ControlMessageOwned::ScmRights(fds) = cmsg
            && let Some(&fd) = fds.first()
        {
            // SAFETY: the kernel just installed this descriptor for us; nothing else owns it.
            return Ok(unsafe { OwnedFd::from_raw_fd(fd) });
        }
    }
    Err(nix::errno::Errno::EBADMSG)
}
// ANCHOR_END: scm_rights

/// Step 9: pass an open file to a process that could not open it itself.
pub fn show_fd_passing(ctx: &Ctx) -> Result<()> {
    fmt::step("9. Passing a file descriptor");
    let (parent_end, child_end) = UnixStream::pair()?;
    // The child is forked before the file is opened, so it does not inherit it.
    let child = fork(|| {
        let Ok(fd) = receive_fd(&child_end) else {
            return 1;
        };
        let line = format!(
            "written by PID {} through descriptor {}\n",
            std::process::id(),
            fd.as_raw_fd()
        );
        i32::from(File::from(fd).write_all(line.as_bytes()).is_err())
    })?;
    let path = ctx.dir.join("passed.txt");
    let named = Named::register(&path, Kind::Path)?;
    let file = File::options()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)?;
    send_fd(&parent_end, &file)?;
    let status = child.wait()?;
    if !matches!(status, nix::sys::wait::WaitStatus::Exited(_, 0)) {
        bail!(
            "the child that received the descriptor {}",
            support::child::describe(&status)
        );
    }
    let text = std::fs::read_to_string(&path)?;
    println!(
        "  the parent opened {:?} as descriptor {} and sent it with SCM_RIGHTS",
        "passed.txt",
        file.as_raw_fd()
    );
    println!("  the file now holds: {:?}", text.trim_end());
    support::checks::invariant(
        "the child wrote through a descriptor it never opened",
        text.starts_with("written by"),
    );
    drop(named);
    Ok(())
}

/// Step 10: the same sequence over TCP on 127.0.0.1.
pub fn show_tcp() -> Result<()> {
    fmt::step("10. TCP on loopback");
    let listener = TcpListener::bind("127.0.0.1:0")?; // port 0: the kernel picks a free one
    let addr = listener.local_addr()?;
    let child = fork(|| {
        let ok = TcpStream::connect(addr)
            .and_then(|mut s| s.write_all(b"hello over TCP"))
            .is_ok();
        i32::from(!ok)
    })?;
    let (mut conn, peer) = listener.accept()?;
    let mut text = String::new();
    conn.read_to_string(&mut text)?;
    child.wait()?;
    println!(
        "  listening on 127.0.0.1 port {} (chosen by the kernel); the client came from",
        addr.port()
    );
    println!("  port {}; it sent {text:?}", peer.port());
    support::checks::invariant(
        "loopback only",
        peer.ip().is_loopback() && addr.ip().is_loopback(),
    );
    fmt::note(
        "TCP adds ports, a connection handshake, acknowledgements and the IP stack, even\n\
         when both ends are on one machine; the table below shows what that costs.",
    );
    Ok(())
}
