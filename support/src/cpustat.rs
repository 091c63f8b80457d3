//! How busy each core was, sampled over time from the `cpuN` lines of `/proc/stat`.
//!
//! The kernel counts, per core, the clock ticks (`USER_HZ`, 100 a second) spent in each
//! state since boot: user, nice, system, idle, iowait, irq, softirq, steal, guest. A core's
//! utilisation over an interval is its busy ticks divided by all its ticks, both taken as
//! differences between two reads. *Steal* (time the hypervisor gave this virtual CPU's
//! turn to another guest) counts as busy: the core was not free for us. Guest time is
//! already included in user time by the kernel, so it is not added again.
//!
//! These are machine-wide figures: every process on the machine shows in them, not only
//! the caller's.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use procfs::{CpuTime, CurrentSI, KernelStats};

/// One core's tick counters at one moment, reduced to what utilisation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoreTicks {
    /// user + nice + system + irq + softirq + steal.
    pub busy: u64,
    /// busy + idle + iowait.
    pub total: u64,
}

impl From<&CpuTime> for CoreTicks {
    fn from(t: &CpuTime) -> Self {
        let opt = |v: Option<u64>| v.unwrap_or(0);
        let (irq, softirq, steal) = (opt(t.irq), opt(t.softirq), opt(t.steal));
        Self::of([
            t.user,
            t.nice,
            t.system,
            t.idle,
            opt(t.iowait),
            irq,
            softirq,
            steal,
        ])
    }
}

impl CoreTicks {
    /// From the first eight fields of a `cpuN` line, in the kernel's order: user, nice,
    /// system, idle, iowait, irq, softirq, steal. (Guest, the ninth, is part of user.)
    pub fn of(fields: [u64; 8]) -> Self {
        let [user, nice, system, idle, iowait, irq, softirq, steal] = fields;
        let busy = user + nice + system + irq + softirq + steal;
        Self {
            busy,
            total: busy + idle + iowait,
        }
    }
}

// ANCHOR: read
/// Reads every core's counters from `/proc/stat`, in core order.
pub fn read() -> procfs::ProcResult<Vec<CoreTicks>> {
    Ok(KernelStats::current()?
        .cpu_time
        .iter()
        .map(CoreTicks::from)
        .collect())
}

/// Each core's utilisation (0.0 to 1.0) between two reads; 0 for a core with no ticks.
pub fn utilisation(before: &[CoreTicks], after: &[CoreTicks]) -> Vec<f64> {
    before
        .iter()
        .zip(after)
        .map(|(b, a)| {
            let total = a.total.saturating_sub(b.total);
            let busy = a.busy.saturating_sub(b.busy);
            if total == 0 {
                0.0
            } else {
                busy as f64 / total as f64
            }
        })
        .collect()
}
// ANCHOR_END: read

/// A background thread that samples every core's utilisation at a fixed interval.
#[derive(Debug)]
pub struct Sampler {
    stop: Arc<AtomicBool>,
    samples: Arc<Mutex<Vec<Vec<f64>>>>,
    thread: Option<JoinHandle<()>>,
}

impl Sampler {
    /// Starts sampling every `interval`. Each sample holds one figure per core.
    pub fn start(interval: Duration) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let samples = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (stop, samples) = (Arc::clone(&stop), Arc::clone(&samples));
            std::thread::Builder::new()
                .name("cpustat".into())
                .spawn(move || {
                    let Ok(mut before) = read() else { return };
                    while !stop.load(Ordering::Relaxed) {
                        std::thread::sleep(interval);
                        let Ok(after) = read() else { return };
                        let sample = utilisation(&before, &after);
                        samples
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(sample);
                        before = after;
                    }
                })
                .ok()
        };
        Self {
            stop,
            samples,
            thread,
        }
    }

    /// How many samples have been taken so far: a mark to split the series by phase.
    pub fn mark(&self) -> usize {
        self.samples.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Stops sampling and returns the samples, oldest first.
    pub fn finish(mut self) -> Vec<Vec<f64>> {
        self.stop_thread();
        std::mem::take(&mut *self.samples.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn stop_thread(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
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
    fn utilisation_is_busy_over_total_per_core() {
        let t = |busy, total| CoreTicks { busy, total };
        let u = utilisation(
            &[t(10, 100), t(0, 100), t(5, 5)],
            &[t(60, 200), t(0, 200), t(5, 5)],
        );
        assert_eq!(u, vec![0.5, 0.0, 0.0]);
    }

    #[test]
    fn steal_counts_as_busy_and_iowait_as_idle() {
        let ticks = CoreTicks::of([30, 0, 10, 40, 10, 0, 0, 10]);
        assert_eq!(
            ticks,
            CoreTicks {
                busy: 50,
                total: 100
            }
        );
    }

    #[test]
    fn the_sampler_sees_every_core() {
        let cores = read().unwrap().len();
        let sampler = Sampler::start(Duration::from_millis(20));
        std::thread::sleep(Duration::from_millis(70));
        let samples = sampler.finish();
        assert!(!samples.is_empty());
        assert!(samples.iter().all(|s| s.len() == cores));
    }
}
