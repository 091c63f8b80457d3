//! Wrong attempt: the result of `join()` is unwrapped, so the first worker's panic is raised again in the caller and takes it down.

    // ANCHOR: solution_run_workers
    let handles: Vec<_> = jobs
        .into_iter()
        .enumerate()
        .map(|(index, job)| {
            let name = format!("worker-{index}");
            let handle = std::thread::Builder::new().name(name.clone()).spawn(job);
            (index, name, handle)
        })
        .collect();
    handles
        .into_iter()
        .map(|(index, name, handle)| {
            let failure = |message| WorkerFailure {
                index,
                name: name.clone(),
                message,
            };
            match handle {
                Err(error) => Err(failure(error.to_string())),
                // A worker returns its value.
                Ok(handle) => Ok(handle.join().unwrap()),
            }
        })
        .collect()
    // ANCHOR_END: solution_run_workers
