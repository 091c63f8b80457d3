//! Wrong attempt: `drop` joins every worker first, so that all queued jobs are done, and closes the queue afterwards.

    // ANCHOR: solution_work
    for job in jobs {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
    }
    // ANCHOR_END: solution_work

        // ANCHOR: solution_execute
        self.jobs.as_ref().unwrap().send(Box::new(job)).unwrap();
        // ANCHOR_END: solution_execute

        // ANCHOR: solution_drop
        for worker in self.workers.drain(..) {
            worker.join().ok();
        }
        drop(self.jobs.take());
        // ANCHOR_END: solution_drop
