//! Wrong attempt: the workers send their TID and finish at once, so most of them are gone from `/proc/self/task` by the time the caller reads it.

    // ANCHOR: solution_spawn_and_report
    let (tid_tx, tid_rx) = std::sync::mpsc::channel();
    let mut handles = Vec::new();
    for index in 0..workers {
        let tid_tx = tid_tx.clone();
        // Each worker reports its TID; it has nothing else to do.
        handles.push(std::thread::spawn(move || {
            tid_tx.send((index, current_tid())).ok();
        }));
    }
    drop(tid_tx);
    let mut reported: Vec<(usize, i32)> = tid_rx.iter().take(workers).collect();
    reported.sort_unstable();
    let listed = listed_tasks();
    for handle in handles {
        handle.join().expect("a worker only sends");
    }
    Ok(TaskReport {
        pid: std::process::id() as i32,
        caller_tid: current_tid(),
        worker_tids: reported.into_iter().map(|(_, tid)| tid).collect(),
        listed: listed?,
    })
    // ANCHOR_END: solution_spawn_and_report
