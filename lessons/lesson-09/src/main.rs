//! Chapter 09 — Inter-process communication.
//!
//! `cargo run -p lesson-09` moves bytes between two real processes through every channel
//! Linux offers — a file, pipes, FIFOs, Unix and TCP sockets, shared memory, message
//! queues, signals — and then measures each one's round trip and throughput in one table,
//! with shared memory both copied into and out of and used in place (zero-copy), beside a
//! plain memcpy and the in-place work done alone.
//!
//! Every named object (the private directory, FIFOs, socket files, shared memory, message
//! queues) is created exclusively under a per-run name (`support::names`) with mode 0600,
//! and removed on exit, on panic and on Ctrl-C (`support::cleanup`).

mod bench;
mod ends;
mod files_pipes;
mod gone;
mod messages;
mod shm;
mod sockets;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Arg, ArgAction, Command};
use support::fmt;

/// What every step needs: the private directory and how much to measure.
#[derive(Debug)]
pub struct Ctx {
    pub dir: PathBuf,
    pub quick: bool,
}

fn cli() -> Command {
    Command::new("lesson-09")
        .about("Chapter 09: inter-process communication — every channel, shown and measured")
        .arg(
            Arg::new("quick")
                .long("quick")
                .action(ArgAction::SetTrue)
                .help("Fewer runs and smaller transfers (for tests)"),
        )
        .arg(
            Arg::new("fifo-writer")
                .long("fifo-writer")
                .value_name("PATH")
                .hide(true)
                .help("Internal: be the unrelated process that writes into a FIFO"),
        )
}

fn main() -> ExitCode {
    let args = cli().get_matches();
    if let Some(path) = args.get_one::<String>("fifo-writer") {
        return files_pipes::be_fifo_writer(path);
    }
    fmt::chapter(9, "Inter-process communication");
    // Everything this run creates is for this user only: FIFOs and sockets get 0600
    // (socket files take their mode from the umask alone).
    nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o177));
    // Ctrl-C kills and reaps the children, then removes every registered name.
    if let Err(error) = support::child::reap_on_interrupt() {
        eprintln!("lesson-09: could not install the Ctrl-C handler: {error}");
    }
    let result = support::cleanup::private_dir("ipc").and_then(|dir| {
        let ctx = Ctx {
            dir: dir.path(),
            quick: args.get_flag("quick"),
        };
        println!("  private directory: {} (mode 0700)", ctx.dir.display());
        let told = tell_the_story(&ctx).map_err(std::io::Error::other);
        drop(dir);
        told
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "{}",
                support::fmt::stopped("lesson-09", &format!("{error:#}"))
            );
            ExitCode::FAILURE
        }
    }
}

fn tell_the_story(ctx: &Ctx) -> Result<()> {
    files_pipes::show_file(ctx)?;
    files_pipes::show_pipe_basics()?;
    files_pipes::show_pipe_capacity()?;
    files_pipes::show_pipe_atomicity()?;
    files_pipes::show_fifo(ctx)?;
    sockets::show_socketpair()?;
    sockets::show_listening_socket(ctx)?;
    sockets::show_datagrams()?;
    sockets::show_fd_passing(ctx)?;
    sockets::show_tcp()?;
    shm::show_shared_memory()?;
    messages::show_message_queue()?;
    messages::show_signals()?;
    bench::show_table(ctx)?;
    gone::show_when_the_other_end_is_gone()?;
    Ok(())
}
