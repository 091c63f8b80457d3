//! Steps 1-5: a file, pipes (blocking, capacity, atomicity, two for a conversation) and a
//! FIFO between a parent and a program it started.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use nix::errno::Errno;
use nix::fcntl::{FcntlArg, OFlag, fcntl};
use nix::sys::stat::Mode;
use nix::unistd::{mkfifo, pipe, pipe2};
use support::child::{describe, fork};
use support::cleanup::{Kind, Named};
use support::fmt;

use crate::Ctx;

/// Step 1: one process writes a file, the other reads it — and cannot tell when it is done.
pub fn show_file(ctx: &Ctx) -> Result<()> {
    fmt::step("1. A file");
    let path = ctx.dir.join("note.txt");
    let _named = Named::register(&path, Kind::Path)?;
    File::options().write(true).create_new(true).open(&path)?;
    // The child waits for the parent's nod between its two writes, so the parent's first
    // read always falls between them, however busy the machine is.
    let (nod_rx, nod_tx) = pipe()?;
    let writer = fork(|| {
        let Ok(mut file) = File::options().append(true).open(&path) else {
            return 1;
        };
        let _ = file.write_all(b"part 1\n");
        let mut nod = [0u8; 1];
        let _ = File::from(nod_rx).read(&mut nod); // until the reader has looked
        let _ = file.write_all(b"part 2\n");
        0
    })?;
    let first = loop {
        let text = std::fs::read_to_string(&path)?;
        if !text.is_empty() {
            break text;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    File::from(nod_tx).write_all(b"!")?;
    let status = writer.wait()?;
    let last = std::fs::read_to_string(&path)?;
    println!("  the child appends \"part 1\", waits until the parent has read, appends \"part 2\"");
    println!("  first non-empty read: {:?}", first);
    println!(
        "  after waitpid:        {:?} (the writer {})",
        last,
        describe(&status)
    );
    support::checks::invariant(
        "a file has no end-of-message: the first read saw only part",
        first.len() < last.len(),
    );
    fmt::note(
        "The reader must learn another way that the writer is done: wait for it to exit,\n\
         or have it write elsewhere and rename(2) the file into place in one atomic step.",
    );
    Ok(())
}

// ANCHOR: pipe_blocks
/// A child that writes `message` into a pipe after `delay`, then exits; the parent's read
/// blocks until the bytes arrive, and a read after the last writer closed returns 0.
fn read_from_slow_child(message: &[u8], delay: Duration) -> Result<(Vec<u8>, Duration, usize)> {
    let (read_end, write_end) = pipe()?;
    let start = Instant::now(); // before the fork: the child's sleep starts after this
    let child = fork(|| {
        std::thread::sleep(delay);
        let written = nix::unistd::write(&write_end, message);
        i32::from(written != Ok(message.len()))
    })?;
    drop(write_end); // the parent's copy: otherwise the pipe never reaches end-of-file
    let mut reader = File::from(read_end);
    let mut buf = vec![0; 64];
    let n = reader.read(&mut buf)?; // blocks until the child writes
    let waited = start.elapsed();
    let at_end = reader.read(&mut buf[n..])?; // 0: every write end is closed
    child.wait()?;
    buf.truncate(n);
    Ok((buf, waited, at_end))
}
// ANCHOR_END: pipe_blocks

/// Step 2: a pipe is one-way, and `read` blocks.
pub fn show_pipe_basics() -> Result<()> {
    fmt::step("2. Pipes: one way, and read blocks");
    let (got, waited, at_end) =
        read_from_slow_child(b"hello through a pipe", Duration::from_millis(200))?;
    println!(
        "  the child sleeps 200 ms, then writes; the parent's read() returned {} after the fork",
        fmt::duration(waited)
    );
    println!(
        "  it returned {:?}; the next read returned {at_end} (end of file)",
        String::from_utf8_lossy(&got)
    );
    support::checks::invariant(
        "read blocked until the data came (200 ms or more after the fork)",
        waited >= Duration::from_millis(200),
    );
    let (answer, elapsed) = converse(21)?;
    println!(
        "  two pipes, a question and an answer: sent 21, the child answered {answer} in {}",
        fmt::duration(elapsed)
    );
    Ok(())
}

// ANCHOR: two_pipes
/// A conversation needs a pipe each way: the parent writes a number into one, the child
/// answers its double through the other.
fn converse(question: u64) -> Result<(u64, Duration)> {
    let (ask_rx, ask_tx) = pipe()?;
    let (answer_rx, answer_tx) = pipe()?;
    let child = fork(|| {
        let mut buf = [0u8; 8];
        let mut ask = File::from(ask_rx);
        let mut answer = File::from(answer_tx);
        if ask.read_exact(&mut buf).is_err() {
            return 1;
        }
        let doubled = u64::from_le_bytes(buf) * 2;
        i32::from(answer.write_all(&doubled.to_le_bytes()).is_err())
    })?;
    let start = Instant::now();
    File::from(ask_tx).write_all(&question.to_le_bytes())?;
    let mut buf = [0u8; 8];
    File::from(answer_rx).read_exact(&mut buf)?;
    let elapsed = start.elapsed();
    child.wait()?;
    Ok((u64::from_le_bytes(buf), elapsed))
}
// ANCHOR_END: two_pipes

// ANCHOR: capacity
/// Fills a non-blocking pipe 1 KiB at a time until `write` fails with `EAGAIN`:
/// the bytes it took are its capacity.
fn fill_until_eagain(write_end: &OwnedFd) -> Result<usize> {
    let chunk = [0u8; 1024];
    let mut total = 0;
    loop {
        match nix::unistd::write(write_end, &chunk) {
            Ok(n) => total += n,
            Err(Errno::EAGAIN) => return Ok(total),
            Err(e) => return Err(e.into()),
        }
    }
}

/// The capacity of a fresh pipe, and of one resized with `F_SETPIPE_SZ` to `bytes`.
fn capacities(bytes: i32) -> Result<(usize, i32, usize)> {
    let (_r, w) = pipe2(OFlag::O_NONBLOCK)?;
    let default = fill_until_eagain(&w)?;
    let (_r2, w2) = pipe2(OFlag::O_NONBLOCK)?;
    let granted = fcntl(w2.as_fd(), FcntlArg::F_SETPIPE_SZ(bytes))?;
    Ok((default, granted, fill_until_eagain(&w2)?))
}
// ANCHOR_END: capacity

/// Step 3: what a full pipe does.
pub fn show_pipe_capacity() -> Result<()> {
    fmt::step("3. Pipe capacity, and a full pipe");
    let max: i32 = std::fs::read_to_string("/proc/sys/fs/pipe-max-size")?
        .trim()
        .parse()?;
    let (default, granted, resized) = capacities(max)?;
    println!(
        "  a new pipe took {} before write() returned EAGAIN (non-blocking)",
        fmt::bytes(default as u64)
    );
    println!(
        "  F_SETPIPE_SZ to {} (/proc/sys/fs/pipe-max-size): granted {}, took {}",
        fmt::bytes(max as u64),
        fmt::bytes(granted as u64),
        fmt::bytes(resized as u64)
    );
    let (state, wchan, drained, looked) = blocked_writer(default)?;
    println!(
        "  a child writes {} + 1 byte into a blocking pipe nobody reads yet:",
        fmt::bytes(default as u64)
    );
    println!(
        "    the pipe full, {} after the fork: state {state} ({}), in the kernel at: {wchan}",
        fmt::duration(looked),
        support::threads::state_word(state.chars().next().unwrap_or('?'))
    );
    println!("    the parent then read {drained} bytes and the child finished");
    support::checks::invariant(
        "a full pipe blocks the writer; nothing overflows or is lost",
        state == "S" && drained == default + 1,
    );
    Ok(())
}

/// A child that writes one byte more than the pipe holds: where is it once the pipe is
/// full? The parent looks after 200 ms, and again every 10 ms until the pipe holds
/// `capacity` bytes and the child is asleep (up to 10 s: a busy machine may be slow to
/// run the child at all). Returns the state seen, the kernel function it sleeps in, the
/// bytes then read, and when the parent looked.
fn blocked_writer(capacity: usize) -> Result<(String, String, usize, Duration)> {
    let (read_end, write_end) = pipe()?;
    let start = Instant::now();
    let child = fork(|| {
        let data = vec![7u8; capacity + 1];
        i32::from(File::from(write_end).write_all(&data).is_err())
    })?; // the closure owned the parent's copy of write_end, and fork dropped it
    std::thread::sleep(Duration::from_millis(200));
    let state = loop {
        let state = support::proc::open(child.pid().as_raw())?.stat()?.state;
        let full = bytes_waiting(&read_end)? == capacity;
        if (full && state == 'S') || start.elapsed() > Duration::from_secs(10) {
            break state.to_string();
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let looked = start.elapsed();
    let wchan = std::fs::read_to_string(format!("/proc/{}/wchan", child.pid()))
        .ok()
        .filter(|w| !w.is_empty() && w != "0")
        .unwrap_or_else(|| "(hidden)".into());
    let mut all = Vec::new();
    File::from(read_end).read_to_end(&mut all)?;
    let status = child.wait()?;
    if !matches!(status, nix::sys::wait::WaitStatus::Exited(_, 0)) {
        bail!("the blocked writer {}", describe(&status));
    }
    Ok((state, wchan, all.len(), looked))
}

/// How many bytes wait in a pipe to be read (`ioctl(FIONREAD)`, see pipe(7)).
fn bytes_waiting(read_end: &OwnedFd) -> Result<usize> {
    let mut waiting: libc::c_int = 0;
    // SAFETY: FIONREAD writes one int through the pointer, which points at `waiting`.
    let rc = unsafe { libc::ioctl(read_end.as_raw_fd(), libc::FIONREAD, &mut waiting) };
    if rc == -1 {
        return Err(std::io::Error::last_os_error().into());
    }
    Ok(waiting as usize)
}

// ANCHOR: atomicity
/// Two children write `records` records of `size` bytes each (all 'A' or all 'B') into
/// one pipe at once; the parent reads everything and counts records that arrived cut
/// into pieces by the other writer's bytes.
fn interleaving(size: usize, records: usize) -> Result<usize> {
    let (read_end, write_end) = pipe()?;
    let mut writers = Vec::new();
    for letter in [b'A', b'B'] {
        writers.push(fork(|| {
            let record = vec![letter; size];
            for _ in 0..records {
                // One write(2) per record: the kernel decides if it stays in one piece.
                if nix::unistd::write(&write_end, &record) != Ok(size) {
                    return 1;
                }
            }
            0
        })?);
    }
    drop(write_end);
    let mut all = Vec::new();
    File::from(read_end).read_to_end(&mut all)?;
    for writer in writers {
        writer.wait()?;
    }
    // Each run of one letter should be a whole number of records; a run that is not
    // means another writer's bytes landed inside a record.
    let runs = all.chunk_by(|a, b| a == b);
    Ok(runs.filter(|run| run.len() % size != 0).count())
}
// ANCHOR_END: atomicity

/// Step 4: writes of up to PIPE_BUF bytes are never interleaved.
pub fn show_pipe_atomicity() -> Result<()> {
    fmt::step("4. Several writers: PIPE_BUF");
    let small = libc::PIPE_BUF;
    let big = 256 * 1024;
    let torn_small = interleaving(small, 2000)?;
    let torn_big = interleaving(big, 40)?;
    println!("  two children, one pipe, each write() one whole record of 'A's or 'B's:");
    println!(
        "    records of {} (PIPE_BUF), 2 × 2000: runs cut by the other writer: {torn_small}",
        fmt::bytes(small as u64)
    );
    println!(
        "    records of {}, 2 × 40:               runs cut by the other writer: {torn_big}",
        fmt::bytes(big as u64)
    );
    support::checks::invariant(
        "writes of at most PIPE_BUF bytes stayed whole",
        torn_small == 0,
    );
    fmt::note(
        "POSIX promises only that writes of up to PIPE_BUF bytes are atomic. A larger write\n\
         is copied as room frees up, and the other writer's bytes may land in between.",
    );
    Ok(())
}

/// Step 5: a FIFO is a pipe with a name, so a process that shares no descriptor with us
/// can open it.
pub fn show_fifo(ctx: &Ctx) -> Result<()> {
    fmt::step("5. FIFOs: a pipe with a name");
    let (path, mode, text) = fifo_from_another_program(ctx)?;
    println!(
        "  mkfifo {} (mode {mode:o}, type p in ls -l)",
        path.file_name().unwrap_or_default().to_string_lossy()
    );
    println!("  the lesson started itself again as a new program; it opened the FIFO by name:");
    println!("    {text:?}");
    support::checks::invariant("the FIFO's name is gone afterwards", !path.exists());
    Ok(())
}

// ANCHOR: fifo
fn fifo_from_another_program(ctx: &Ctx) -> Result<(std::path::PathBuf, u32, String)> {
    use std::os::unix::fs::PermissionsExt;
    let path = ctx.dir.join("fifo");
    let named = Named::register(&path, Kind::Path)?;
    mkfifo(&path, Mode::from_bits_truncate(0o600))?; // fails with EEXIST if the name exists
    let mode = std::fs::metadata(&path)?.permissions().mode() & 0o777;
    let exe = std::env::current_exe()?;
    let writer = fork(|| {
        use std::os::unix::process::CommandExt;
        // exec replaces the child with a fresh copy of the program: no shared descriptors.
        let error = std::process::Command::new(&exe)
            .arg("--fifo-writer")
            .arg(&path)
            .exec();
        eprintln!("exec failed: {error}");
        1
    })?;
    // open() for reading blocks until a writer opens the other end.
    let mut text = String::new();
    File::open(&path)?.read_to_string(&mut text)?;
    writer.wait()?;
    drop(named);
    Ok((path, mode, text))
}

/// The other program's side: open the FIFO by its name and write one line.
pub fn be_fifo_writer(path: &str) -> ExitCode {
    let line = format!(
        "hello from PID {}, which opened the FIFO by name",
        std::process::id()
    );
    match File::options()
        .write(true)
        .open(path)
        .and_then(|mut f| f.write_all(line.as_bytes()))
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}
// ANCHOR_END: fifo

/// Used by the table: the private path of a FIFO pair, created and registered.
pub fn make_fifo(ctx: &Ctx, name: &str) -> Result<Named> {
    let path = ctx.dir.join(name);
    let named = Named::register(&path, Kind::Path)?;
    mkfifo(&path, Mode::from_bits_truncate(0o600))
        .with_context(|| format!("mkfifo {}", path.display()))?;
    Ok(named)
}
