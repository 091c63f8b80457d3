//! Wrong attempt: the threads are started with `std::thread::spawn`, unnamed; `worker-<index>` appears only in the report, not as the thread's name.

    // ANCHOR: solution_run_workers
    let handles: Vec<_> = jobs
        .into_iter()
        .enumerate()
        .map(|(index, job)| {
            let name = format!("worker-{index}");
            // The name is only needed for the report.
            let handle = Ok::<_, std::io::Error>(std::thread::spawn(job));
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
                Ok(handle) => handle
                    .join()
                    .map_err(|payload| failure(panic_message(payload.as_ref()))),
            }
        })
        .collect()
    // ANCHOR_END: solution_run_workers
