//! How busy each core was, by everything on the machine: the `cpuN` lines of `/proc/stat`.
//!
//! The kernel counts, per core, the clock ticks (`USER_HZ`, 100 a second) spent in each
//! state since boot: user, nice, system, idle, iowait, irq, softirq, steal, guest
//! (proc_stat(5)). A core's utilisation over an interval is its busy ticks divided by all
//! its ticks, both taken as differences between two reads. *Steal* (time the hypervisor
//! gave this virtual CPU's turn to another guest) counts as busy: the core was not free for
//! us. Guest time is already included in user time by the kernel, so it is not added again.
//! Every process on the machine shows in these figures, not only the caller's.
//!
//! Lesson 08's own, like the sampler that reads it over time (`sampler.rs`) and the chart
//! drawn from the samples (`cpuchart.rs`): no other lesson or test uses it.

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
}
