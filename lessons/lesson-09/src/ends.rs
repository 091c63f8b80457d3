//! The two ends of each channel, behind one `send` / `recv`, so the table measures every
//! channel with the same loop.

use std::fs::File;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::OwnedFd;
use std::os::unix::net::{UnixDatagram, UnixStream};
use std::rc::Rc;

use anyhow::{Result, bail};
use nix::fcntl::{FcntlArg, OFlag, fcntl};
use nix::mqueue::{MqdT, mq_receive, mq_send};
use support::cleanup::Named;

use crate::shm::{SLOT, Shm};

/// The largest piece one `send` hands the kernel at a time (datagrams and queue messages
/// are at most this big).
const PIECE: usize = 64 * 1024;

/// One end of a two-way channel.
pub enum End {
    /// Bytes with no boundaries: pipes, FIFOs, stream sockets.
    Stream(Box<dyn Read>, Box<dyn Write>),
    /// One datagram per piece.
    Dgram(UnixDatagram),
    /// A queue to receive from, one to send to, and their message size.
    Mq(MqdT, MqdT, Vec<u8>),
    /// Shared-memory rings: (region, ring to send on, spin instead of futex).
    Shm(Rc<Shm>, usize, bool),
}

impl End {
    /// Sends all of `buf`.
    pub fn send(&mut self, buf: &[u8]) -> Result<()> {
        match self {
            End::Stream(_, tx) => tx.write_all(buf)?,
            End::Dgram(sock) => {
                for piece in buf.chunks(PIECE) {
                    sock.send(piece)?;
                }
            }
            End::Mq(_, tx, scratch) => {
                for piece in buf.chunks(scratch.len()) {
                    mq_send(tx, piece, 0)?;
                }
            }
            End::Shm(shm, ring, spin) => {
                for piece in buf.chunks(SLOT) {
                    shm.send(*ring, piece, *spin);
                }
            }
        }
        Ok(())
    }

    /// Fills `buf`, from as many pieces as the sender cut it into.
    pub fn recv(&mut self, buf: &mut [u8]) -> Result<()> {
        match self {
            End::Stream(rx, _) => rx.read_exact(buf)?,
            End::Dgram(sock) => {
                for piece in buf.chunks_mut(PIECE) {
                    if sock.recv(piece)? != piece.len() {
                        bail!("a datagram of the wrong size");
                    }
                }
            }
            End::Mq(rx, _, scratch) => {
                let size = scratch.len();
                for piece in buf.chunks_mut(size) {
                    // mq_receive needs room for a whole message of the queue's size.
                    let n = mq_receive(rx, scratch, &mut 0)?;
                    piece.copy_from_slice(&scratch[..n.min(piece.len())]);
                }
            }
            End::Shm(shm, ring, spin) => {
                for piece in buf.chunks_mut(SLOT) {
                    shm.recv(1 - *ring, piece, *spin);
                }
            }
        }
        Ok(())
    }
}

impl Drop for End {
    fn drop(&mut self) {
        if let End::Mq(rx, tx, _) = self {
            use std::os::fd::AsRawFd;
            // nix's MqdT does not close itself; on Linux a queue descriptor is a file
            // descriptor, and these two are not used again.
            // SAFETY: close(2) on descriptors this End owns.
            unsafe {
                libc::close(rx.as_raw_fd());
                libc::close(tx.as_raw_fd());
            }
        }
    }
}

/// The channels of the table, each as a pair of ends (the parent's, the child's), plus
/// the named objects to remove when done.
pub type Pair = (End, End, Vec<Named>);

fn stream(rx: impl Read + 'static, tx: impl Write + 'static) -> End {
    End::Stream(Box::new(rx), Box::new(tx))
}

pub fn pipes() -> Result<Pair> {
    let (a_rx, b_tx) = nix::unistd::pipe()?;
    let (b_rx, a_tx) = nix::unistd::pipe()?;
    Ok((
        stream(File::from(a_rx), File::from(a_tx)),
        stream(File::from(b_rx), File::from(b_tx)),
        vec![],
    ))
}

/// Two FIFOs, opened by name. Both ends are opened before the fork (the read end
/// non-blocking first, so the open for writing finds a reader); the bytes then flow
/// through the same pipe buffer a FIFO always uses.
pub fn fifos(ctx: &crate::Ctx) -> Result<Pair> {
    let one = crate::files_pipes::make_fifo(ctx, "bench-fifo-1")?;
    let two = crate::files_pipes::make_fifo(ctx, "bench-fifo-2")?;
    let open_pair = |named: &Named| -> Result<(File, File)> {
        let rx = File::options()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(named.path())?;
        let tx = File::options().write(true).open(named.path())?;
        fcntl(&rx, FcntlArg::F_SETFL(OFlag::empty()))?; // back to blocking reads
        Ok((rx, tx))
    };
    use std::os::unix::fs::OpenOptionsExt;
    let (a_rx, b_tx) = open_pair(&one)?;
    let (b_rx, a_tx) = open_pair(&two)?;
    Ok((stream(a_rx, a_tx), stream(b_rx, b_tx), vec![one, two]))
}

pub fn unix_stream() -> Result<Pair> {
    let (a, b) = UnixStream::pair()?;
    Ok((stream(a.try_clone()?, a), stream(b.try_clone()?, b), vec![]))
}

pub fn unix_dgram() -> Result<Pair> {
    let (a, b) = UnixDatagram::pair()?;
    Ok((End::Dgram(a), End::Dgram(b), vec![]))
}

/// TCP on 127.0.0.1, with Nagle's algorithm off so a 64-byte message leaves at once.
pub fn tcp() -> Result<Pair> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let a = TcpStream::connect(listener.local_addr()?)?;
    let (b, _) = listener.accept()?;
    a.set_nodelay(true)?;
    b.set_nodelay(true)?;
    Ok((stream(a.try_clone()?, a), stream(b.try_clone()?, b), vec![]))
}

/// Two queues of 10 messages of the largest size allowed (msgsize_max).
pub fn queues() -> Result<Pair> {
    let size = crate::messages::mq_limit("msgsize_max").clamp(64, PIECE as i64);
    let (one, n1) = crate::messages::create_queue(10, size)?;
    let (two, n2) = crate::messages::create_queue(10, size)?;
    let dup = |q: &MqdT| -> Result<MqdT> {
        use std::os::fd::{AsFd, FromRawFd, IntoRawFd};
        let fd: OwnedFd = q.as_fd().try_clone_to_owned()?;
        // SAFETY: on Linux a queue descriptor is a file descriptor; this one is a fresh dup.
        Ok(unsafe { MqdT::from_raw_fd(fd.into_raw_fd()) })
    };
    let (one_b, two_b) = (dup(&one)?, dup(&two)?);
    let scratch = || vec![0u8; size as usize];
    Ok((
        End::Mq(one, two, scratch()),
        End::Mq(two_b, one_b, scratch()),
        vec![n1, n2],
    ))
}

pub fn shared(spin: bool) -> Result<(End, End, Rc<Shm>)> {
    let shm = Rc::new(crate::shm::create()?);
    Ok((
        End::Shm(shm.clone(), 0, spin),
        End::Shm(shm.clone(), 1, spin),
        shm,
    ))
}
