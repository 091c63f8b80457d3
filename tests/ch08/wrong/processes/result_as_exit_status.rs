//! Wrong attempt: Sends each child's result back as its exit status instead of through a pipe.

    // ANCHOR: solution
    use nix::sys::wait::{WaitStatus, waitpid};
    use nix::unistd::{ForkResult, fork};

    let mut children = Vec::new();
    for program in programs {
        // SAFETY: the only other thread is blocked (see above); the child leaves with _exit.
        match unsafe { fork() }? {
            ForkResult::Child => {
                let value = run_one(program);
                // SAFETY: ends the child at once.
                unsafe { libc::_exit(value as i32) }
            }
            ForkResult::Parent { child } => children.push(child),
        }
    }
    let mut results = Vec::new();
    for child in children {
        match waitpid(child, None)? {
            WaitStatus::Exited(_, code) => results.push(i64::from(code)),
            _ => return Err(nix::errno::Errno::EIO),
        }
    }
    Ok(results)
    // ANCHOR_END: solution
