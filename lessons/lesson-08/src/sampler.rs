//! How busy each core was, sampled over time two ways: by everything on the machine
//! ([`crate::cpustat`], the `cpuN` lines of `/proc/stat`), and by this program alone,
//! from its threads and its child processes' threads ([`crate::owncpu`]). The difference
//! between the two is what other programs used.
//!
//! Why here, in the lesson: only lesson 08 samples while it runs (its CPU charts); no
//! exercise or other lesson does.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::cpustat::{CoreTicks, read, utilisation};
use crate::owncpu::{self, ThreadCpu};

/// One interval between two reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// How long the interval lasted, by the sampler's clock.
    pub interval: Duration,
    /// Each core's utilisation by everything on the machine (0.0 to 1.0), from `/proc/stat`.
    pub machine: Vec<f64>,
    /// The CPU time each core gave this program in the interval (see
    /// [`owncpu::attribute`]): its threads, except the sampler's own, and its descendant
    /// processes'. It can exceed `interval` by a little on one core: a thread that moved
    /// during the interval is charged to the core it moved to.
    pub program: Vec<Duration>,
}

/// Everything a [`Sampler`] collected.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sampled {
    /// The CPU numbers the figures are for, in order: every core online when sampling
    /// began.
    pub cpus: Vec<usize>,
    /// The samples, oldest first.
    pub samples: Vec<Sample>,
    /// The CPU time the sampling thread itself used, which no sample counts.
    pub sampler_cpu: Duration,
}

/// A background thread that samples, at a fixed interval, every core's utilisation by the
/// whole machine and by this program.
#[derive(Debug)]
pub struct Sampler {
    stop: Arc<AtomicBool>,
    shared: Arc<Mutex<Sampled>>,
    /// The sampling thread's CPU time so far, in nanoseconds, as it last read it.
    own_cpu: Arc<AtomicU64>,
    thread: Option<JoinHandle<()>>,
}

impl Sampler {
    /// Takes the first reads now, then starts a thread that samples every `interval`.
    pub fn start(interval: Duration) -> Self {
        let at = Instant::now();
        let machine = read().unwrap_or_default();
        let cpus: Vec<usize> = machine.iter().map(|t| t.cpu).collect();
        let program = owncpu::read(None);
        let shared = Arc::new(Mutex::new(Sampled {
            cpus: cpus.clone(),
            ..Sampled::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let own_cpu = Arc::new(AtomicU64::new(0));
        let thread = {
            let (stop, shared, own_cpu) = (stop.clone(), shared.clone(), own_cpu.clone());
            std::thread::Builder::new()
                .name("cpustat".into())
                .spawn(move || {
                    let me = support::threads::tid();
                    let mut last = Reads {
                        at,
                        machine,
                        program,
                    };
                    while !stop.load(Ordering::Relaxed) {
                        std::thread::sleep(interval);
                        let (sample, now) = last.sample(me, &cpus);
                        shared
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .samples
                            .push(sample);
                        last = now;
                        let used = owncpu::this_thread().as_nanos() as u64;
                        own_cpu.store(used, Ordering::Relaxed);
                    }
                })
                .ok()
        };
        Self {
            stop,
            shared,
            own_cpu,
            thread,
        }
    }

    /// How many samples have been taken so far: a mark to split the series by phase.
    pub fn mark(&self) -> usize {
        self.shared
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .samples
            .len()
    }

    /// The CPU time the sampling thread has used so far (as of its latest sample), to take
    /// away from the process's own totals when they should count the work alone.
    pub fn sampler_cpu(&self) -> Duration {
        Duration::from_nanos(self.own_cpu.load(Ordering::Relaxed))
    }

    /// Stops sampling and returns what was collected.
    pub fn finish(mut self) -> Sampled {
        self.stop_thread();
        let mut sampled =
            std::mem::take(&mut *self.shared.lock().unwrap_or_else(|e| e.into_inner()));
        sampled.sampler_cpu = self.sampler_cpu();
        sampled
    }

    fn stop_thread(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What one read of the machine and of this program found.
struct Reads {
    at: Instant,
    machine: Vec<CoreTicks>,
    /// Every thread of the program as last seen ([`owncpu::remember`]).
    program: Vec<ThreadCpu>,
}

impl Reads {
    /// Reads again, skipping the thread `me`, and returns the sample since these reads,
    /// with the reads to start the next one from.
    fn sample(&self, me: i32, cpus: &[usize]) -> (Sample, Reads) {
        let at = Instant::now();
        let machine = read().unwrap_or_default();
        let program = owncpu::read(Some(me));
        let sample = Sample {
            interval: at - self.at,
            machine: utilisation(&self.machine, &machine, cpus),
            program: owncpu::attribute(&self.program, &program, cpus),
        };
        let program = owncpu::remember(&self.program, &program);
        (
            sample,
            Reads {
                at,
                machine,
                program,
            },
        )
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.stop_thread();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sampler_sees_every_core_and_a_busy_thread_of_ours() {
        let cores = read().unwrap().len();
        let sampler = Sampler::start(Duration::from_millis(20));
        // 20 ms of this thread's CPU after the first reads, however long a busy machine
        // takes to give it. Blocking then brings its `schedstat` up to date, and while it
        // waits, the second sample pushed after that began reading after it.
        let until = owncpu::this_thread() + Duration::from_millis(20);
        while owncpu::this_thread() < until {
            std::hint::spin_loop();
        }
        std::thread::sleep(Duration::from_millis(1));
        let pushed = sampler.mark();
        while sampler.mark() < pushed + 2 {
            std::thread::sleep(Duration::from_millis(5));
        }
        let sampled = sampler.finish();
        assert_eq!(sampled.cpus.len(), cores);
        assert!(!sampled.samples.is_empty());
        assert!(sampled.samples.iter().all(|s| s.machine.len() == cores));
        let program: Duration = sampled.samples.iter().flat_map(|s| &s.program).sum();
        assert!(program >= Duration::from_millis(20), "{sampled:?}");
    }
}
