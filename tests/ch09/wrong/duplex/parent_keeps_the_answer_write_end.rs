//! Wrong attempt: keeps the parent's own copy of the answer pipe's write end open while reading, so the answers never reach end-of-file.

    // ANCHOR: solution
    let (requests_read, requests_write) = pipe()?;
    let (answers_read, answers_write) = pipe()?;
    // SAFETY: the child only closes descriptors and runs `child_body`.
    match unsafe { fork() }? {
        ForkResult::Child => {
            drop(requests_write);
            drop(answers_read);
            child_body(requests_read, answers_write)
        }
        ForkResult::Parent { child } => {
            // The child has the other ends; the parent keeps its copies "just in case".
            let mut to_child = File::from(requests_write);
            let mut from_child = File::from(answers_read);
            let mut answers = Vec::new();
            let (written, read) = std::thread::scope(|scope| {
                let writer = scope.spawn(move || to_child.write_all(requests));
                let read = from_child.read_to_end(&mut answers);
                (writer.join(), read)
            });
            let status = waitpid(child, None)?;
            drop((requests_read, answers_write));
            written.map_err(|_| io::Error::other("the writing thread panicked"))??;
            read?;
            match status {
                WaitStatus::Exited(_, 0) => Ok(answers),
                other => Err(io::Error::other(format!(
                    "the child ended badly: {other:?}"
                ))),
            }
        }
    }
    // ANCHOR_END: solution
