//! The same tiny protocol served three ways on 127.0.0.1: a thread per connection, a
//! fixed pool, and one thread with a `poll(2)` event loop. Each server is a child process
//! (this program run again with `--serve`), so its threads and memory are its own.
//!
//! The protocol: the client sends 8 bytes (a little-endian u64); the server answers with
//! that number plus one. `u64::MAX` asks the server to exit.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsFd;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use support::{fmt, table::Table};

use crate::Ctx;

const QUIT: u64 = u64::MAX;
/// Worker threads of the fixed-pool server.
const POOL: usize = 4;

/// Answers one connection until the client closes it. `false` if it asked to quit.
fn serve_connection(mut stream: TcpStream) -> bool {
    let mut buf = [0u8; 8];
    while stream.read_exact(&mut buf).is_ok() {
        let n = u64::from_le_bytes(buf);
        if n == QUIT {
            return false;
        }
        if stream.write_all(&(n + 1).to_le_bytes()).is_err() {
            break;
        }
    }
    true
}

// ANCHOR: thread_per_connection
fn thread_per_connection(listener: TcpListener) -> io::Result<()> {
    for stream in listener.incoming() {
        let stream = stream?;
        std::thread::spawn(move || {
            if !serve_connection(stream) {
                std::process::exit(0);
            }
        });
    }
    Ok(())
}
// ANCHOR_END: thread_per_connection

// ANCHOR: fixed_pool
fn fixed_pool(listener: TcpListener) -> io::Result<()> {
    let (tx, rx) = crossbeam_channel::bounded::<TcpStream>(1024);
    for _ in 0..POOL {
        let rx = rx.clone();
        std::thread::spawn(move || {
            for stream in rx {
                if !serve_connection(stream) {
                    std::process::exit(0);
                }
            }
        });
    }
    for stream in listener.incoming() {
        // A connection waits in the channel until a worker is free.
        tx.send(stream?).map_err(io::Error::other)?;
    }
    Ok(())
}
// ANCHOR_END: fixed_pool

// ANCHOR: event_loop
/// One thread, every socket non-blocking: `poll(2)` sleeps until at least one of them is
/// ready, then the loop handles exactly the ready ones.
fn event_loop(listener: TcpListener) -> io::Result<()> {
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    listener.set_nonblocking(true)?;
    // Each connection with the bytes of its request read so far.
    let mut conns: Vec<(TcpStream, Vec<u8>)> = Vec::new();
    loop {
        let mut fds = vec![PollFd::new(listener.as_fd(), PollFlags::POLLIN)];
        fds.extend(
            conns
                .iter()
                .map(|(s, _)| PollFd::new(s.as_fd(), PollFlags::POLLIN)),
        );
        poll(&mut fds, PollTimeout::NONE)?;
        let ready: Vec<bool> = fds
            .iter()
            .map(|f| f.revents().is_some_and(|r| !r.is_empty()))
            .collect();
        drop(fds);
        let mut closed = Vec::new();
        for (i, (stream, pending)) in conns.iter_mut().enumerate() {
            if !ready[i + 1] {
                continue;
            }
            let mut buf = [0u8; 64];
            match stream.read(&mut buf) {
                Ok(0) => closed.push(i),
                Ok(n) => pending.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(_) => closed.push(i),
            }
            while pending.len() >= 8 {
                let n = u64::from_le_bytes(pending[..8].try_into().expect("8 bytes"));
                pending.drain(..8);
                if n == QUIT {
                    return Ok(());
                }
                // An 8-byte answer fits an empty socket buffer, so this write does not block
                // in practice; a real server would keep unsent bytes and poll for POLLOUT.
                stream.set_nonblocking(false)?;
                stream.write_all(&(n + 1).to_le_bytes())?;
                stream.set_nonblocking(true)?;
            }
        }
        for i in closed.into_iter().rev() {
            conns.swap_remove(i);
        }
        if ready[0] {
            while let Ok((stream, _)) = listener.accept() {
                stream.set_nonblocking(true)?;
                conns.push((stream, Vec::new()));
            }
        }
    }
}
// ANCHOR_END: event_loop

/// `--serve SHAPE --port P`: be the server until a client sends `QUIT`.
pub fn be_server(shape: &str, port: u16) -> ExitCode {
    let listener = match TcpListener::bind(("127.0.0.1", port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("server: bind 127.0.0.1:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let served = match shape {
        "thread" => thread_per_connection(listener),
        "pool" => fixed_pool(listener),
        "poll" => event_loop(listener),
        _ => Err(io::Error::other("unknown shape")),
    };
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One load run against one server.
#[derive(Debug)]
struct Load {
    requests: usize,
    elapsed: Duration,
    p50: Duration,
    p99: Duration,
    threads: usize,
    rss_kib: u64,
}

/// The server process's thread count and resident memory, from `/proc/<pid>/status`.
fn threads_and_rss(pid: i32) -> Option<(usize, u64)> {
    let status = procfs::process::Process::new(pid).ok()?.status().ok()?;
    Some((status.threads as usize, status.vmrss.unwrap_or(0)))
}

// ANCHOR: load
/// `conns` clients connect at once; together they send `total` requests (one at a time
/// each, waiting for every answer), and stop early at `limit`. A sampler reads the server's
/// threads and RSS meanwhile and keeps the largest.
fn load(port: u16, server_pid: i32, conns: usize, total: usize, limit: Duration) -> Result<Load> {
    let start_line = Arc::new(Barrier::new(conns + 1));
    let stop = Arc::new(AtomicBool::new(false));
    let deadline = Instant::now() + limit;
    let clients: Vec<_> = (0..conns)
        .map(|c| {
            let start_line = Arc::clone(&start_line);
            let mine = total / conns + usize::from(c < total % conns);
            std::thread::spawn(move || -> io::Result<Vec<Duration>> {
                let stream = TcpStream::connect(("127.0.0.1", port));
                start_line.wait(); // every client has connected (or failed) before any sends
                let mut stream = stream?;
                stream.set_nodelay(true)?;
                let mut latencies = Vec::with_capacity(mine);
                let mut answer = [0u8; 8];
                for i in 0..mine as u64 {
                    if Instant::now() > deadline {
                        break;
                    }
                    let sent = Instant::now();
                    stream.write_all(&i.to_le_bytes())?;
                    stream.read_exact(&mut answer)?;
                    latencies.push(sent.elapsed());
                    if u64::from_le_bytes(answer) != i + 1 {
                        return Err(io::Error::other("wrong answer"));
                    }
                }
                Ok(latencies)
            })
        })
        .collect();
    let sampler = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let (mut threads, mut rss) = (0, 0);
            while !stop.load(Ordering::Relaxed) {
                if let Some((t, r)) = threads_and_rss(server_pid) {
                    (threads, rss) = (threads.max(t), rss.max(r));
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            (threads, rss)
        })
    };
    start_line.wait();
    let start = Instant::now();
    let mut latencies = Vec::with_capacity(total);
    let mut failed = None;
    for client in clients {
        match client.join().expect("a client panicked") {
            Ok(l) => latencies.extend(l),
            Err(e) => failed = Some(e),
        }
    }
    let elapsed = start.elapsed();
    stop.store(true, Ordering::Relaxed);
    let (threads, rss_kib) = sampler.join().expect("the sampler panicked");
    if let Some(e) = failed {
        bail!("a client failed: {e}");
    }
    latencies.sort_unstable();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    Ok(Load {
        requests: latencies.len(),
        elapsed,
        p50: at(0.5),
        p99: at(0.99),
        threads,
        rss_kib,
    })
}
// ANCHOR_END: load

/// A free port on 127.0.0.1: bind port 0, read which port the kernel chose, let it go.
fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port())
}

/// Starts a server child, runs one load against it, asks it to quit, and reaps it.
fn measure(shape: &str, conns: usize, total: usize, limit: Duration) -> Result<Load> {
    let port = free_port()?;
    let port_arg = port.to_string();
    let shape_arg = shape.to_string();
    // crash::run_self waits for the child, so it runs on a thread of its own; it kills the
    // child's whole group after its time limit, and Ctrl-C kills and reaps it too.
    let server = std::thread::spawn(move || {
        support::crash::run_self(&["--serve", &shape_arg, "--port", &port_arg], limit * 3)
    });
    let ready_by = Instant::now() + Duration::from_secs(10);
    let probe = loop {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(s) => break s,
            Err(_) if Instant::now() < ready_by => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => bail!("the {shape} server did not start listening: {e}"),
        }
    };
    // Closed at once, so the probe does not hold one of the pool's workers.
    drop(probe);
    let pid = server_pid().context("finding the server's PID")?;
    let measured = load(port, pid, conns, total, limit);
    TcpStream::connect(("127.0.0.1", port))?.write_all(&QUIT.to_le_bytes())?;
    let finished = server.join().expect("the server thread panicked")?;
    if !finished.ending.success() {
        bail!(
            "the {shape} server {}: {}",
            finished.ending,
            finished.stderr.trim()
        );
    }
    measured
}

/// The PID of this process's child that is a server: the one whose command line has
/// `--serve` (there is one at a time).
fn server_pid() -> Option<i32> {
    let me = std::process::id() as i32;
    procfs::process::all_processes()
        .ok()?
        .flatten()
        .find_map(|p| {
            let is_mine = p.stat().ok()?.ppid == me;
            let serving = p.cmdline().ok()?.iter().any(|a| a == "--serve");
            (is_mine && serving).then_some(p.pid)
        })
}

pub fn show_servers(ctx: Ctx) -> Result<()> {
    fmt::step("Servers on loopback");
    let (levels, total): (&[usize], usize) = if ctx.quick {
        (&[1, 10], 400)
    } else {
        (&[1, 10, 100], 3_000)
    };
    let limit = Duration::from_secs(5);
    println!("  each server is this program run again as a child process on 127.0.0.1;");
    println!(
        "  per row: {total} requests of 8 bytes, each answered before the client sends the next,"
    );
    println!(
        "  shared by the connections, stopped at {} if not done",
        fmt::duration(limit)
    );
    let mut table = Table::new([
        "server",
        "conns",
        "requests/s",
        "p50",
        "p99",
        "threads",
        "RSS",
    ])
    .right(1)
    .right(2)
    .right(3)
    .right(4)
    .right(5)
    .right(6);
    let mut all_done = true;
    let mut answered = 0;
    let mut poll_single = true;
    for (shape, name) in [
        ("thread", "thread per connection"),
        ("pool", "fixed pool of 4"),
        ("poll", "one thread + poll"),
    ] {
        for &conns in levels {
            let l = measure(shape, conns, total, limit)?;
            all_done &= l.requests == total;
            answered += usize::from(l.requests == total);
            if shape == "poll" {
                poll_single &= l.threads == 1;
            }
            table.row([
                name.to_string(),
                conns.to_string(),
                format!("{:.0}", l.requests as f64 / l.elapsed.as_secs_f64()),
                fmt::duration(l.p50),
                fmt::duration(l.p99),
                l.threads.to_string(),
                fmt::bytes(l.rss_kib * 1024),
            ]);
        }
    }
    for line in table.to_string().lines() {
        println!("  {line}");
    }
    println!("  p50/p99: half / 99 % of requests were answered within this (one run per row)");
    println!("  threads, RSS: the most seen in /proc/<server>/status, sampled every 2 ms");
    support::checks::expectation(
        &format!(
            "every server answered all {total} requests within {}",
            fmt::duration(limit)
        ),
        &format!("{answered} of {} rows finished", 3 * levels.len()),
        all_done,
        "A row stops at its time limit; a busy machine or a debug build can make the \
         slowest server miss it.",
    );
    support::checks::invariant(
        "the event-loop server answered everyone with 1 thread",
        poll_single,
    );
    fmt::note(
        "The pool serves a whole connection per worker: with more connections than workers,\n\
         the rest wait their turn, which the p99 shows. The event loop never waits on one client.",
    );
    Ok(())
}
