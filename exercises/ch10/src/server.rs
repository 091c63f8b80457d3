//! Exercise `server`: one thread that answers many clients at once, with `poll`.
//!
//! The simplest server gives each client a thread: `accept`, spawn, and the thread reads
//! and answers that one connection. It works, but a thousand waiting clients cost a
//! thousand threads, each with its own stack, mostly asleep in `read`. This server has
//! exactly one thread, the one that calls [`serve`], whatever the number of clients.
//!
//! A single thread cannot sit in `read` on one socket: a second client would wait until
//! the first one hangs up. Instead it asks the kernel which sockets have something to read
//! with [poll(2)](https://man7.org/linux/man-pages/man2/poll.2.html), through
//! [`nix::poll::poll`]: give it a list of file descriptors, each with the events you care
//! about (`POLLIN`: there is data to read, or the peer hung up), and it sleeps until at
//! least one is ready, then fills in each one's `revents` (what happened). Then:
//!
//! - the listening socket ready means a client is waiting to be accepted: `accept` will
//!   not block;
//! - a client's socket ready means one `read` will not block: it returns the bytes that
//!   have arrived (perhaps half a line, perhaps two lines), or 0 when the client has closed
//!   its end.
//!
//! So keep, for each client, the bytes received but not yet answered; answer each whole
//! line (up to and including `\n`) with [`answer`]; and forget the client when its `read`
//! returns 0 (or fails). Only ever call `read` once per ready socket per `poll`, since a
//! second call may block. The answers here are short, so writing one whole (`write_all`)
//! does not wait in practice; a server with long answers would keep a queue per client and
//! ask `poll` for `POLLOUT` too.
//!
//! A `PollFd` borrows the socket it watches, so build the list afresh for each call to
//! `poll`, note which entries were ready, and let the list go before you change the list
//! of clients.
//!
//! Your code goes between the `// ANCHOR: solution` and `// ANCHOR_END: solution` lines
//! below, in place of `todo!()`. To Rust they are ordinary comments; they mark the part of
//! the file that is yours (the reference solution in `solutions/` differs from this file
//! only there), so leave them where they are.

use std::io;
use std::net::TcpListener;

/// The protocol: a request is one line; its answer is the same line in capitals, ending in
/// `\n` as the request did. `answer(b"hello\n")` is `b"HELLO\n"`.
pub fn answer(line: &[u8]) -> Vec<u8> {
    line.to_ascii_uppercase()
}

/// Serves the clients that connect to `listener`, all on the calling thread: accepts
/// `clients` connections, answers each line each of them sends with [`answer`], and
/// returns once all `clients` connections have been accepted and closed by their clients.
/// No thread is started, and no client waits for another one to finish.
pub fn serve(listener: TcpListener, clients: usize) -> io::Result<()> {
    // ANCHOR: solution
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution
}
