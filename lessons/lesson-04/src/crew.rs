//! The worker threads of steps 2, 3 and 4. They are started once and stay alive, blocked
//! on a channel, between the steps, so what one step sees (a TID, a stack mapping) can be
//! compared with what the next step sees: they are the same threads.

use std::sync::{Arc, mpsc};
use std::thread::{self, JoinHandle};

use anyhow::{Context, Result, bail};

/// Work sent to one worker; it runs on that worker's own thread.
type Job = Box<dyn FnOnce() + Send>;

/// One long-lived worker: its name, the stack size it asked for, and how to reach it.
#[derive(Debug)]
struct Worker {
    label: String,
    asked_stack: Option<usize>,
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

/// Threads named `worker-1` … `worker-n`, alive until the crew is dropped.
#[derive(Debug)]
pub struct Crew {
    workers: Vec<Worker>,
}

impl Crew {
    /// Starts `n` workers; worker `i` asks for `stack_size(i)` bytes of stack, or Rust's
    /// default when that is `None`.
    pub fn start(n: usize, stack_size: impl Fn(usize) -> Option<usize>) -> Result<Self> {
        let mut crew = Crew {
            workers: Vec::with_capacity(n),
        };
        for i in 1..=n {
            let label = format!("worker-{i}");
            let (jobs, inbox) = mpsc::channel::<Job>();
            let mut builder = thread::Builder::new().name(label.clone());
            let asked_stack = stack_size(i);
            if let Some(bytes) = asked_stack {
                builder = builder.stack_size(bytes);
            }
            // ANCHOR: worker_loop
            // Between jobs the worker sleeps in recv(): a thread that exists but waits.
            let thread = builder
                .spawn(move || inbox.iter().for_each(|job| job()))
                .with_context(|| format!("could not start {label}"))?;
            // ANCHOR_END: worker_loop
            crew.workers.push(Worker {
                label,
                asked_stack,
                jobs: Some(jobs),
                thread: Some(thread),
            });
        }
        Ok(crew)
    }

    /// The workers' names, in order.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        self.workers.iter().map(|w| w.label.as_str())
    }

    /// How many workers there are.
    pub fn len(&self) -> usize {
        self.workers.len()
    }

    /// The workers that asked for a stack size of their own: (name, bytes).
    pub fn asked_stacks(&self) -> Vec<(&str, usize)> {
        self.workers
            .iter()
            .filter_map(|w| w.asked_stack.map(|bytes| (w.label.as_str(), bytes)))
            .collect()
    }

    /// Runs `job(i)` on every worker `i` (1-based), each on its own thread, and returns the
    /// answers in worker order. The workers stay alive afterwards.
    pub fn ask<T: Send + 'static>(
        &self,
        job: impl Fn(usize) -> T + Send + Sync + 'static,
    ) -> Result<Vec<T>> {
        let job = Arc::new(job);
        let (answers, inbox) = mpsc::channel();
        for (i, worker) in self.workers.iter().enumerate() {
            let (job, answers) = (Arc::clone(&job), answers.clone());
            let sent = worker.jobs.as_ref().map(|jobs| {
                jobs.send(Box::new(move || {
                    answers.send((i, job(i + 1))).ok();
                }))
            });
            if !matches!(sent, Some(Ok(()))) {
                bail!("{} has stopped", worker.label);
            }
        }
        drop(answers);
        let mut got: Vec<(usize, T)> = inbox.iter().collect();
        if got.len() != self.workers.len() {
            bail!("a worker stopped before answering (it panicked)");
        }
        got.sort_by_key(|(i, _)| *i);
        Ok(got.into_iter().map(|(_, answer)| answer).collect())
    }
}

impl Drop for Crew {
    /// Closing each worker's channel ends its loop; then wait for every thread to end.
    fn drop(&mut self) {
        for worker in &mut self.workers {
            worker.jobs.take();
        }
        for worker in &mut self.workers {
            if let Some(thread) = worker.thread.take() {
                thread.join().ok();
            }
        }
    }
}
