//! Exercise `pool`: a thread pool that survives a panicking job and, when dropped, finishes
//! every job and joins every worker.
//!
//! Starting a thread costs a system call (`clone`), a fresh stack and a little scheduler
//! work. A *thread pool* pays that once: it starts `size` *workers* (threads) that each loop
//! "take a job from the queue, run it", and `execute` only puts a job in the queue. A job
//! is a closure, boxed so that closures of different types fit in one queue ([`Job`]).
//!
//! The queue here is a [`crossbeam_channel`] channel. Unlike `std::sync::mpsc`, its
//! `Receiver` can be cloned: every worker gets a clone, and each job is received by exactly
//! one of them (a multi-producer, *multi-consumer* channel).
//!
//! Three things make the difference between a pool and a good pool:
//!
//! - **Graceful shutdown.** Dropping the pool must not throw queued jobs away, nor leave
//!   workers running after the pool is gone. Drop the `Sender` first: each worker's loop
//!   over the receiver then ends once the queue is empty. Then `join` every worker, so
//!   `drop` returns only when every job has run and every thread has ended.
//! - **A panicking job.** A panic unwinds the thread it happens on. In a worker, that
//!   would end the worker: the pool would shrink by one for each bad job, and with none
//!   left, the queue would never be served. [`std::panic::catch_unwind`] runs a closure and
//!   returns `Err` if it panicked, so the worker can carry on with the next job.
//!   (`AssertUnwindSafe` tells the compiler we accept that the job's own data may be left
//!   half-changed; the worker's state is just the receiver.)
//! - **No lost results.** A job that panics must not stop the other jobs: they all run.
//!
//! Your code goes between each `// ANCHOR: solution_…` line below and its
//! `// ANCHOR_END: solution_…`, in place of `todo!()`. To Rust they are ordinary comments;
//! they mark the parts of the file that are yours (the reference solution in `solutions/`
//! differs from this file only there), so leave them where they are.

use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender};

/// A job: any closure that can be sent to another thread and run once.
pub type Job = Box<dyn FnOnce() + Send + 'static>;

/// A fixed number of worker threads that run the jobs given to [`ThreadPool::execute`].
#[derive(Debug)]
pub struct ThreadPool {
    /// The sending end of the job queue. `None` once `drop` has closed it.
    jobs: Option<Sender<Job>>,
    /// One handle per worker, to join it when the pool is dropped.
    workers: Vec<JoinHandle<()>>,
}

/// A worker's life: run each job the queue gives it, until the queue is closed and empty.
/// A job that panics is caught, and the worker goes on to the next job.
pub fn work(jobs: Receiver<Job>) {
    // ANCHOR: solution_work
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution_work
}

impl ThreadPool {
    /// A pool of `size` workers, each running [`work`] on its own clone of the queue's
    /// receiver. Panics if `size` is 0.
    pub fn new(size: usize) -> Self {
        assert!(size > 0, "a thread pool needs at least one worker");
        // ANCHOR: solution_new
        todo!("write this, then run `cargo xtask grade`")
        // ANCHOR_END: solution_new
    }

    /// Queues `job` to run on one of the workers, and returns at once.
    pub fn execute(&self, job: impl FnOnce() + Send + 'static) {
        // ANCHOR: solution_execute
        todo!("write this, then run `cargo xtask grade`")
        // ANCHOR_END: solution_execute
    }
}

impl Drop for ThreadPool {
    /// Closes the queue, then waits for every worker to finish the jobs left in it and end.
    fn drop(&mut self) {
        // ANCHOR: solution_drop
        todo!("write this, then run `cargo xtask grade`")
        // ANCHOR_END: solution_drop
    }
}
