//! Where processes win: isolation, other programs, and a PID namespace seen from inside.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use support::fmt;

/// `--demo WHAT`: the child side of this step.
pub fn be_demo(what: &str) -> ExitCode {
    match what {
        "crash" => {
            eprintln!("child: a bug in this task: abort()");
            std::process::abort()
        }
        "pidns" => match pid_namespace() {
            Ok(code) => ExitCode::from(code),
            Err(e) => {
                println!("unshare(CLONE_NEWUSER | CLONE_NEWPID) failed: {e}");
                ExitCode::from(3)
            }
        },
        _ => ExitCode::from(2),
    }
}

// ANCHOR: pid_namespace
/// In a fresh single-threaded process: a new user namespace (in which this unprivileged
/// process holds every capability) and a new PID namespace. The caller stays where it is;
/// its next child is the first process of the new namespace, so it is PID 1 there.
fn pid_namespace() -> nix::Result<u8> {
    use nix::sched::{CloneFlags, unshare};
    use nix::unistd::{getpid, getppid};
    unshare(CloneFlags::CLONE_NEWUSER | CloneFlags::CLONE_NEWPID)?;
    println!("outside: I am PID {}", getpid());
    let child = support::child::fork(|| {
        // getppid() is 0: the parent lives outside this namespace, so it has no number here.
        println!(
            "inside:  I am PID {}, my parent is PID {}",
            getpid(),
            getppid()
        );
        0
    })
    .map_err(|_| nix::errno::Errno::EAGAIN)?;
    let outside_pid = child.pid();
    child.wait()?;
    println!("outside: that child was PID {outside_pid} out here");
    Ok(0)
}
// ANCHOR_END: pid_namespace

pub fn show_where_processes_win() -> Result<()> {
    fmt::step("Where processes win");
    let limit = Duration::from_secs(10);
    let crash = support::crash::run_self(&["--demo", "crash"], limit)?;
    println!("  isolation: a crashing task, run as a child process:");
    println!("    {}", crash.ending);
    support::checks::invariant(
        "the lesson is still running after its child crashed",
        !crash.ending.success(),
    );
    println!("    (a browser gives each site a process of its own for the same reason)");

    let mut uname = std::process::Command::new("uname");
    uname.arg("-sr");
    match support::child::output(&mut uname) {
        Ok(out) => println!(
            "  other programs: `uname -sr` ran as a child and said {:?}",
            String::from_utf8_lossy(&out.stdout).trim()
        ),
        Err(e) => println!("  other programs: could not run uname: {e}"),
    }

    let ns = support::crash::run_self(&["--demo", "pidns"], limit)?;
    println!("  a PID namespace, as a container starts (this program run again as a child):");
    for line in ns.stdout.lines() {
        println!("    {line}");
    }
    let inside_is_1 = ns.stdout.contains("inside:  I am PID 1,");
    if ns.ending.success() {
        support::checks::invariant(
            "the first process of a new PID namespace sees itself as PID 1",
            inside_is_1,
        );
    } else {
        println!("  the namespace could not be made here ({}).", ns.ending);
        fmt::note(
            "Unprivileged user namespaces must be allowed (kernel.unprivileged_userns_clone=1\n\
             on Debian-based kernels, user.max_user_namespaces > 0, and no AppArmor or seccomp\n\
             rule against them, as Docker's default profile has); or run as root.",
        );
    }
    Ok(())
}
