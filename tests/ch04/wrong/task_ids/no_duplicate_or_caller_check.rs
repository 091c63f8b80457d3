//! Wrong attempt: `workers_belong` checks only that each worker is listed and is not the PID, forgetting duplicates and the caller's own TID.

    // ANCHOR: solution_workers_belong
    report
        .worker_tids
        .iter()
        .all(|tid| *tid != report.pid && report.listed.contains(tid))
    // ANCHOR_END: solution_workers_belong
