//! Wrong attempt: `Builder::spawn` is unwrapped, so a thread that cannot be started (EAGAIN) panics the caller instead of counting as that worker's failure.

    // ANCHOR: solution_run_workers
    let handles: Vec<_> = jobs
        .into_iter()
        .enumerate()
        .map(|(index, job)| {
            let name = format!("worker-{index}");
            let handle = std::thread::Builder::new()
                .name(name.clone())
                .spawn(job)
                .expect("spawning a thread does not fail");
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
            handle
                .join()
                .map_err(|payload| failure(panic_message(payload.as_ref())))
        })
        .collect()
    // ANCHOR_END: solution_run_workers
