//! Wrong attempt: each worker is spawned and joined before the next is spawned, so the workers run one after another — serial in disguise.

    // ANCHOR: solution_run_workers
    jobs.into_iter()
        .enumerate()
        .map(|(index, job)| {
            let name = format!("worker-{index}");
            let failure = |message| WorkerFailure {
                index,
                name: name.clone(),
                message,
            };
            // Start the worker and collect its result.
            match std::thread::Builder::new().name(name.clone()).spawn(job) {
                Err(error) => Err(failure(error.to_string())),
                Ok(handle) => handle
                    .join()
                    .map_err(|payload| failure(panic_message(payload.as_ref()))),
            }
        })
        .collect()
    // ANCHOR_END: solution_run_workers
