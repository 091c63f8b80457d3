//! Wrong attempt: leaves the child's inherited copy of the request pipe's write end open, so the child never sees end-of-file and never ends.

    // ANCHOR: solution
    let (requests_read, requests_write) = pipe()?;
    let (answers_read, answers_write) = pipe()?;
    // SAFETY: the child only runs `child_body`.
    match unsafe { fork() }? {
        // The child only needs its two ends; the others are the parent's business.
        ForkResult::Child => child_body(requests_read, answers_write),
        ForkResult::Parent { child } => {
            drop(requests_read);
            drop(answers_write);
            let mut to_child = File::from(requests_write);
            let mut from_child = File::from(answers_read);
            let mut answers = Vec::new();
            let (written, read) = std::thread::scope(|scope| {
                let writer = scope.spawn(move || to_child.write_all(requests));
                let read = from_child.read_to_end(&mut answers);
                (writer.join(), read)
            });
            let status = waitpid(child, None)?;
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
