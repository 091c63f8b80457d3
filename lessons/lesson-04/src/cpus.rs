//! Step 5: the CPU runs threads. Busy threads ask `sched_getcpu()` over and over which core
//! they are on, so the kernel's scheduling decisions become visible.

use std::collections::BTreeMap;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use support::fmt;
use support::table::Table;

/// What one busy thread saw.
#[derive(Debug, Clone)]
struct Trace {
    label: String,
    tid: i32,
    /// CPU number → how many samples found the thread there.
    samples: BTreeMap<usize, u64>,
    /// How many times consecutive samples saw different CPUs.
    migrations: u64,
}

// ANCHOR: sample_cpu
/// Spins for `how_long`, asking the kernel after every step which CPU this thread is on.
fn trace_cpus(label: String, how_long: Duration) -> Trace {
    let mut trace = Trace {
        label,
        tid: nix::unistd::gettid().as_raw(),
        samples: BTreeMap::new(),
        migrations: 0,
    };
    let mut last = None;
    let start = Instant::now();
    while start.elapsed() < how_long {
        // sched_getcpu is answered in user space (vDSO) from what the kernel last wrote.
        let Ok(cpu) = nix::sched::sched_getcpu() else {
            break;
        };
        *trace.samples.entry(cpu).or_default() += 1;
        trace.migrations += u64::from(last.is_some_and(|l| l != cpu));
        last = Some(cpu);
    }
    trace
}
// ANCHOR_END: sample_cpu

pub fn show_where_threads_ran(how_long: Duration) -> Result<()> {
    fmt::step("5. Which CPU each thread ran on");
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    // One more busy thread than cores, so the scheduler has to share.
    let busy = cores + 1;
    let traces = thread::scope(|s| -> Result<Vec<Trace>> {
        let handles = (1..=busy)
            .map(|i| {
                thread::Builder::new()
                    .name(format!("busy-{i}"))
                    .spawn_scoped(s, move || trace_cpus(format!("busy-{i}"), how_long))
                    .with_context(|| format!("could not start busy-{i}"))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(handles.into_iter().filter_map(|h| h.join().ok()).collect())
    })?;
    print_traces(&traces, cores, how_long);
    Ok(())
}

fn print_traces(traces: &[Trace], cores: usize, how_long: Duration) {
    let cpus: Vec<usize> = {
        let mut all: Vec<usize> = traces
            .iter()
            .flat_map(|t| t.samples.keys().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    let headers = ["thread".to_string(), "TID".to_string()]
        .into_iter()
        .chain(cpus.iter().map(|c| format!("on CPU {c}")))
        .chain(["samples".to_string(), "moves".to_string()]);
    let mut table = Table::new(headers).right(1);
    for column in 2..cpus.len() + 4 {
        table = table.right(column);
    }
    for trace in traces {
        let total: u64 = trace.samples.values().sum();
        let shares = cpus.iter().map(|c| {
            let n = trace.samples.get(c).copied().unwrap_or(0);
            format!("{:.0} %", 100.0 * n as f64 / total.max(1) as f64)
        });
        let row: Vec<String> = [trace.label.clone(), trace.tid.to_string()]
            .into_iter()
            .chain(shares)
            .chain([total.to_string(), trace.migrations.to_string()])
            .collect();
        table.row(row);
    }
    println!(
        "  {} busy threads on {} usable cores, each sampling sched_getcpu() for {}:",
        traces.len(),
        cores,
        fmt::duration(how_long)
    );
    print!("{table}");
    println!(
        "  → one process's threads were seen on {} different CPUs",
        cpus.len()
    );
    fmt::note(
        "The kernel schedules threads, not processes: each busy thread was placed on a core\n\
         on its own, and moved when the scheduler saw fit. With more threads than cores,\n\
         they take turns (a sample is only taken while the thread runs). Your counts\n\
         will differ from run to run and machine to machine; that is the point.",
    );
}
