//! A child that reports back: it runs a closure in a forked child and sends the text the
//! closure returns to the parent through a pipe.

use std::fs::File;
use std::io::{Read, Write};

use support::child::Child;

/// A forked child and the read end of its report pipe.
#[derive(Debug)]
pub struct Reporting {
    pub child: Child,
    report: File,
}

impl Reporting {
    /// Waits for the child to end and returns its report.
    pub fn finish(mut self) -> Result<String, Box<dyn std::error::Error>> {
        let mut text = String::new();
        // The read ends when the child closes its end: when it exits.
        self.report.read_to_string(&mut text)?;
        self.child.wait()?;
        Ok(text)
    }
}

/// Forks a child that runs `body`, writes what it returns into a pipe, and exits 0.
pub fn fork_reporting(
    body: impl FnOnce() -> String,
) -> Result<Reporting, Box<dyn std::error::Error>> {
    let (read_end, write_end) = nix::unistd::pipe()?;
    let child = support::child::fork(move || {
        let mut pipe = File::from(write_end);
        match pipe.write_all(body().as_bytes()) {
            Ok(()) => 0,
            Err(_) => 1,
        }
    })?;
    // The parent's copy of the write end must close, or the read never sees the end.
    Ok(Reporting {
        child,
        report: File::from(read_end),
    })
}
