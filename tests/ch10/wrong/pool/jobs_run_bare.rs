//! Wrong attempt: each worker just calls `job()`: a job that panics is the job's own problem.

    // ANCHOR: solution_work
    for job in jobs {
        job();
    }
    // ANCHOR_END: solution_work

        // ANCHOR: solution_execute
        self.jobs.as_ref().unwrap().send(Box::new(job)).unwrap();
        // ANCHOR_END: solution_execute

        // ANCHOR: solution_drop
        drop(self.jobs.take());
        for worker in self.workers.drain(..) {
            worker.join().ok();
        }
        // ANCHOR_END: solution_drop
