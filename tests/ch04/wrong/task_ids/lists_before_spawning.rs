//! Wrong attempt: `/proc/self/task` is read before the workers are started, so none of them is in the list.

    // ANCHOR: solution_spawn_and_report
    // Read the task list first, then start the workers.
    let listed = listed_tasks();
    let (tid_tx, tid_rx) = std::sync::mpsc::channel();
    let mut releases = Vec::new();
    let mut handles = Vec::new();
    for index in 0..workers {
        let tid_tx = tid_tx.clone();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        releases.push(release_tx);
        handles.push(std::thread::spawn(move || {
            tid_tx.send((index, current_tid())).ok();
            release_rx.recv().ok();
        }));
    }
    drop(tid_tx);
    let mut reported: Vec<(usize, i32)> = tid_rx.iter().take(workers).collect();
    reported.sort_unstable();
    drop(releases);
    for handle in handles {
        handle.join().expect("a worker only sends and waits");
    }
    Ok(TaskReport {
        pid: std::process::id() as i32,
        caller_tid: current_tid(),
        worker_tids: reported.into_iter().map(|(_, tid)| tid).collect(),
        listed: listed?,
    })
    // ANCHOR_END: solution_spawn_and_report
