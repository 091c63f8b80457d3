//! Wrong attempt: returns the answers without waiting for the child, which stays a zombie.

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
            let mut answers = Vec::new();
            let (written, read) = std::thread::scope(|scope| {
                let writer = scope.spawn(move || to_child.write_all(requests));
                let read = from_child.read_to_end(&mut answers);
                (writer.join(), read)
            });
            // The answers are all in: the child is done, no need to wait for it.
            written.map_err(|_| io::Error::other("the writing thread panicked"))??;
            read?;
            let _ = child;
            Ok(answers)
        }
    }
    // ANCHOR_END: solution
