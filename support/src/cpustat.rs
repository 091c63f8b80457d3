//! How busy each core was, sampled over time two ways: by everything on the machine, from
//! the `cpuN` lines of `/proc/stat`, and by this program alone, from its threads and its
//! child processes' threads ([`crate::owncpu`]).
//!
//! For the machine, the kernel counts, per core, the clock ticks (`USER_HZ`, 100 a second)
//! spent in each state since boot: user, nice, system, idle, iowait, irq, softirq, steal,
//! guest (proc_stat(5)). A core's utilisation over an interval is its busy ticks divided by
//! all its ticks, both taken as differences between two reads. *Steal* (time the hypervisor
//! gave this virtual CPU's turn to another guest) counts as busy: the core was not free for
//! us. Guest time is already included in user time by the kernel, so it is not added again.
//! Every process on the machine shows in these figures, not only the caller's; the
//! difference between the two is what other programs used.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::owncpu::{self, ThreadCpu};

/// One core's tick counters at one moment, reduced to what utilisation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoreTicks {
    /// The CPU number (`N` of `cpuN`). Offline CPUs have no line, so the numbers of the
    /// lines need not run 0, 1, 2 ….
    pub cpu: usize,
    /// user + nice + system + irq + softirq + steal.
    pub busy: u64,
    /// busy + idle + iowait.
    pub total: u64,
}

impl CoreTicks {
    /// From the first eight fields of a `cpuN` line, in the kernel's order: user, nice,
    /// system, idle, iowait, irq, softirq, steal. (Guest, the ninth, is part of user.)
    pub fn of(cpu: usize, fields: [u64; 8]) -> Self {
        let [user, nice, system, idle, iowait, irq, softirq, steal] = fields;
        let busy = user + nice + system + irq + softirq + steal;
        Self {
            cpu,
            busy,
            total: busy + idle + iowait,
        }
    }
}

// ANCHOR: read
/// Reads every online core's counters from `/proc/stat`, in the kernel's order.
pub fn read() -> std::io::Result<Vec<CoreTicks>> {
    Ok(parse(&std::fs::read_to_string("/proc/stat")?))
}

/// The `cpuN` lines of a `/proc/stat` text (not the `cpu` line, which sums them all).
/// Fields a kernel does not have yet (steal arrived in 2.6.11) count as 0.
pub fn parse(text: &str) -> Vec<CoreTicks> {
    text.lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let cpu = words.next()?.strip_prefix("cpu")?.parse().ok()?;
            let mut fields = [0u64; 8];
            for (field, word) in fields.iter_mut().zip(words) {
                *field = word.parse().ok()?;
            }
            Some(CoreTicks::of(cpu, fields))
        })
        .collect()
}

/// Each core's utilisation (0.0 to 1.0) between two reads, in the order of `cpus`: 0 for a
/// core with no ticks in between or missing from either read (offline meanwhile).
pub fn utilisation(before: &[CoreTicks], after: &[CoreTicks], cpus: &[usize]) -> Vec<f64> {
    let find = |ticks: &[CoreTicks], cpu| ticks.iter().find(|t| t.cpu == cpu).copied();
    cpus.iter()
        .map(|&cpu| match (find(before, cpu), find(after, cpu)) {
            (Some(b), Some(a)) if a.total > b.total => {
                a.busy.saturating_sub(b.busy) as f64 / (a.total - b.total) as f64
            }
            _ => 0.0,
        })
        .collect()
}
// ANCHOR_END: read

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
                    let me = crate::threads::tid();
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
    fn utilisation_is_busy_over_total_per_core() {
        let t = |cpu, busy, total| CoreTicks { cpu, busy, total };
        let u = utilisation(
            &[t(0, 10, 100), t(1, 0, 100), t(2, 5, 5)],
            &[t(0, 60, 200), t(1, 0, 200), t(2, 5, 5)],
            &[0, 1, 2, 3],
        );
        assert_eq!(u, vec![0.5, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn steal_counts_as_busy_and_iowait_as_idle() {
        let ticks = CoreTicks::of(3, [30, 0, 10, 40, 10, 0, 0, 10]);
        assert_eq!(
            ticks,
            CoreTicks {
                cpu: 3,
                busy: 50,
                total: 100
            }
        );
    }

    #[test]
    fn only_the_numbered_cpu_lines_are_cores() {
        let text = "cpu  9 9 9 9 9 9 9 9 0 0\n\
                    cpu0 30 0 10 40 10 0 0 10 0 0\n\
                    cpu2 1 2 3 4 5 6 7 8 0 0\n\
                    intr 123 4 5\n";
        let cores = parse(text);
        assert_eq!(cores.iter().map(|c| c.cpu).collect::<Vec<_>>(), [0, 2]);
        assert_eq!((cores[0].busy, cores[0].total), (50, 100));
    }

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
