//! Wrong attempt: Forks a child, reads its result and waits for it before forking the next one.

    // ANCHOR: solution
    use nix::sys::wait::{WaitStatus, waitpid};
    use nix::unistd::{ForkResult, fork, pipe, read, write};

    let mut results = Vec::new();
    for program in programs {
        let (reader, writer) = pipe()?;
        // SAFETY: the only other thread is blocked (see above); the child leaves with _exit.
        match unsafe { fork() }? {
            ForkResult::Child => {
                drop(reader);
                let value = run_one(program);
                let _ = write(&writer, &value.to_ne_bytes());
                // SAFETY: ends the child at once.
                unsafe { libc::_exit(0) }
            }
            ForkResult::Parent { child } => {
                drop(writer);
                let mut bytes = [0u8; 8];
                read(&reader, &mut bytes)?;
                match waitpid(child, None)? {
                    WaitStatus::Exited(_, 0) => results.push(i64::from_ne_bytes(bytes)),
                    _ => return Err(nix::errno::Errno::EIO),
                }
            }
        }
    }
    Ok(results)
    // ANCHOR_END: solution
