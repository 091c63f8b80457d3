//! Wrong attempt: `drop` closes the queue, and the workers finish the jobs left in it on their own, so there is no need to wait for them.

    // ANCHOR: solution_work
    for job in jobs {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
    }
    // ANCHOR_END: solution_work

        // ANCHOR: solution_execute
        self.jobs.as_ref().unwrap().send(Box::new(job)).unwrap();
        // ANCHOR_END: solution_execute

        // ANCHOR: solution_drop
        // The workers see the queue closed and end by themselves.
        drop(self.jobs.take());
        // ANCHOR_END: solution_drop
