//! Step 9: open files across fork and exec — one shared offset, dup2 wiring a pipeline the
//! way a shell does, and close-on-exec.

use std::fs::File;
use std::io::{Seek, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::FileExt;

use nix::fcntl::{FcntlArg, FdFlag, OFlag, fcntl};
use nix::unistd::{dup, dup2_stdin, dup2_stdout, execvp, pipe2};
use support::fmt;

pub fn show_files_across_fork() -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("9. Between fork and exec: open files, dup2 and a pipe");
    show_shared_offset()?;
    show_a_pipeline()?;
    show_close_on_exec()
}

// ANCHOR: offset
/// Parent and child write through the same descriptor: after fork both point at one open
/// file description in the kernel, and its offset moves for both.
fn show_shared_offset() -> Result<(), Box<dyn std::error::Error>> {
    let file = tempfile::tempfile()?; // already unlinked: nothing is left on disk
    (&file).write_all(b"parent, before fork\n")?;
    let before = (&file).stream_position()?;
    let child = support::child::fork(|| match (&file).write_all(b"child\n") {
        Ok(()) => 0,
        Err(_) => 1,
    })?;
    child.wait()?;
    let after = (&file).stream_position()?;
    (&file).write_all(b"parent, after the child\n")?;
    // ANCHOR_END: offset
    println!("  the parent's file offset: {before} before fork, {after} after the child wrote");
    let mut text = vec![0u8; 200];
    let read = file.read_at(&mut text, 0)?; // pread: reads at 0, leaves the offset alone
    let text = String::from_utf8_lossy(&text[..read]);
    println!("  the file now holds: {:?}", text);
    fmt::note(
        "The child's write moved the parent's offset: after fork both descriptors point to\n\
         one *open file description* in the kernel, which holds the offset. So the parent's\n\
         next write went after the child's, not over it. (Opened again, the file would get\n\
         a description and an offset of its own.)",
    );
    Ok(())
}

// ANCHOR: pipeline
/// `echo … | tr a-z A-Z`, wired by hand: between fork and exec, each child makes one end
/// of a pipe its standard output or input with dup2.
fn show_a_pipeline() -> Result<(), Box<dyn std::error::Error>> {
    // O_CLOEXEC: the two pipe descriptors close by themselves at exec; only the copies
    // dup2 makes (0 and 1, which never have the flag) live on into echo and tr.
    let (read_end, write_end) = pipe2(OFlag::O_CLOEXEC)?;
    let echo = support::child::fork(|| {
        if dup2_stdout(&write_end).is_err() {
            return 126;
        }
        let _ = execvp(
            c"echo",
            &[c"echo", c"  fork, then dup2, then exec: a pipeline"],
        );
        127 // only reached if exec failed
    })?;
    let tr = support::child::fork(|| {
        if dup2_stdin(&read_end).is_err() {
            return 126;
        }
        let _ = execvp(c"tr", &[c"tr", c"a-z", c"A-Z"]);
        127
    })?;
    // The parent's copies must close, or tr would wait for more input forever.
    drop((read_end, write_end));
    let (echo, tr) = (echo.wait()?, tr.wait()?);
    // ANCHOR_END: pipeline
    println!(
        "  (that was `echo … | tr a-z A-Z`: echo {}, tr {})",
        support::child::describe(&echo),
        support::child::describe(&tr)
    );
    Ok(())
}

/// Which descriptors survive exec: those without the close-on-exec flag.
fn show_close_on_exec() -> Result<(), Box<dyn std::error::Error>> {
    let file = File::open("/proc/self/stat")?;
    let copy = dup(&file)?; // dup's copy never has FD_CLOEXEC
    let flagged = |fd: i32| {
        fcntl(
            // SAFETY: `fd` is open for the whole of this function (file and copy live).
            unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) },
            FcntlArg::F_GETFD,
        )
        .map(|bits| FdFlag::from_bits_truncate(bits).contains(FdFlag::FD_CLOEXEC))
        .unwrap_or(false)
    };
    let (fd, copy_fd) = (file.as_raw_fd(), copy.as_raw_fd());
    let script = format!(
        "for fd in {fd} {copy_fd}; do if [ -e /proc/$$/fd/$fd ]; then echo open; \
         else echo closed; fi; done"
    );
    let output = support::child::output(std::process::Command::new("sh").args(["-c", &script]))?;
    let seen: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let after = |i: usize| seen.get(i).map_or("?", String::as_str).to_owned();
    println!(
        "  descriptor {fd}, opened by std: FD_CLOEXEC {}; after exec: {}",
        flagged(fd),
        after(0)
    );
    println!(
        "  descriptor {copy_fd}, its dup:        FD_CLOEXEC {}; after exec: {}",
        flagged(copy_fd),
        after(1)
    );
    fmt::note(
        "exec closes every descriptor marked close-on-exec. Rust's std opens every file,\n\
         pipe and socket with O_CLOEXEC, so a program it execs inherits only 0, 1 and 2 —\n\
         and what you dup2 onto them on purpose, as the pipeline above did.",
    );
    Ok(())
}
