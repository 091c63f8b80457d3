//! Wrong attempt: writes every request before reading any answer, so once both pipes are full each process waits for the other for ever.

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
            drop(requests_read);
            drop(answers_write);
            let mut to_child = File::from(requests_write);
            let mut from_child = File::from(answers_read);
            // Send every request, close the pipe, then collect the answers.
            to_child.write_all(requests)?;
            drop(to_child);
            let mut answers = Vec::new();
            from_child.read_to_end(&mut answers)?;
            match waitpid(child, None)? {
                WaitStatus::Exited(_, 0) => Ok(answers),
                other => Err(io::Error::other(format!(
                    "the child ended badly: {other:?}"
                ))),
            }
        }
    }
    // ANCHOR_END: solution
