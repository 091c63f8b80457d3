//! Wrong attempt: Reads every child's result from its pipe but never waits for the children.

    // ANCHOR: solution
    use nix::unistd::{ForkResult, fork, pipe, read, write};

    let mut readers = Vec::new();
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
            ForkResult::Parent { .. } => {
                drop(writer);
                readers.push(reader);
            }
        }
    }
    let mut results = Vec::new();
    for reader in readers {
        let mut bytes = [0u8; 8];
        read(&reader, &mut bytes)?;
        results.push(i64::from_ne_bytes(bytes));
    }
    Ok(results)
    // ANCHOR_END: solution
