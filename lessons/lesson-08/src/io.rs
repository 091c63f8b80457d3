//! I/O-bound threads, and one I/O-bound thread beside a CPU-bound one (the convoy effect).

use std::time::Duration;

use anyhow::Result;
use ch08_toyvm::{self as toyvm, Builtin, Mode, Vm};
use support::table::Table;

use crate::workloads::{self, sleep_releasing, vm_convoy, vm_sleeper};
use crate::{Options, python};

/// Where the sleeping threads run.
const IO_ROWS: [&str; 5] = [
    "toy VM, GIL released",
    "toy VM, GIL held (bug)",
    "toy VM, no GIL",
    "CPython threads",
    "CPython processes",
];

fn vm_sleepers(mode: Mode, builtin: Builtin, threads: usize, o: &Options) -> Duration {
    let vm = Vm::new(mode, 1);
    let report = vm.run_threads(&vm_sleeper(o.sleeps, o.sleep_ms), &[builtin], threads);
    workloads::take_responses();
    report.elapsed
}

/// N threads that each sleep `sleeps` × `sleep_ms`: their wall time per thread count.
pub fn show_io_bound(o: &Options, counts: &[usize], py: bool) -> Result<()> {
    let one = Duration::from_millis(o.sleeps * o.sleep_ms);
    println!(
        "  Each thread calls sleep({} ms) {} times: {} of waiting, no computing.",
        o.sleep_ms,
        o.sleeps,
        support::fmt::duration(one)
    );
    let mut headers = vec!["runtime".to_string()];
    headers.extend(
        counts
            .iter()
            .map(|&n| format!("{n} thread{}", if n == 1 { "" } else { "s" })),
    );
    let mut table = Table::new(headers);
    for c in 1..=counts.len() {
        table = table.right(c);
    }
    for (i, name) in IO_ROWS.iter().enumerate() {
        if i >= 3 && !py {
            continue;
        }
        let mut cells = vec![name.to_string()];
        for &n in counts {
            let wall = match i {
                0 => vm_sleepers(Mode::DEFAULT_GIL, sleep_releasing, n, o),
                1 => vm_sleepers(Mode::DEFAULT_GIL, toyvm::sleep_holding, n, o),
                2 => vm_sleepers(Mode::NoGil, sleep_releasing, n, o),
                _ => {
                    let how = if i == 3 { "threads" } else { "processes" };
                    let (n, s, ms) = (n.to_string(), o.sleeps.to_string(), o.sleep_ms.to_string());
                    python::timed(&["io", how, &n, &s, &ms])?
                }
            };
            cells.push(support::fmt::duration(wall));
        }
        table.row(cells);
    }
    print!("{table}");
    support::fmt::note(&format!(
        "Wall time of one run each. Overlapping sleepers take about {} whatever their number;\n\
         a builtin that keeps the GIL while it sleeps makes them take turns: n × {}.",
        support::fmt::duration(one),
        support::fmt::duration(one)
    ));
    Ok(())
}

/// What one I/O-bound VM thread waited, from waking to running bytecode again.
fn convoy(mode: Mode, threads: usize, o: &Options) -> (Vec<Duration>, Duration) {
    workloads::take_responses();
    let vm = Vm::new(mode, 1);
    let report = vm.run_threads(&vm_convoy(o.convoy_sleeps, 1), &[sleep_releasing], threads);
    let mut waits = workloads::take_responses();
    waits.sort_unstable();
    (waits, report.elapsed)
}

/// The I/O thread's response time alone, beside a CPU-bound thread with and without the GIL.
pub fn show_convoy(o: &Options) {
    let gil = |ms| Mode::Gil {
        switch_interval: Duration::from_millis(ms),
    };
    let cases = [
        ("GIL (5 ms), I/O thread alone", gil(5), 1),
        ("GIL (5 ms), beside a CPU-bound thread", gil(5), 2),
        ("GIL (1 ms), beside a CPU-bound thread", gil(1), 2),
        ("no GIL, beside a CPU-bound thread", Mode::NoGil, 2),
    ];
    println!(
        "  The I/O-bound VM thread calls sleep(1 ms) {} times; each time it wakes it must get\n  \
         the interpreter back before its next instruction. Its wait for that, per wake-up:",
        o.convoy_sleeps
    );
    let mut table = Table::new(["case", "median wait", "max wait", "all sleeps took"])
        .right(1)
        .right(2)
        .right(3);
    for (name, mode, threads) in cases {
        let (waits, took) = convoy(mode, threads, o);
        let summary = support::stats::Summary::of(waits).expect("one wait per sleep");
        table.row([
            name.to_string(),
            support::fmt::duration(summary.median),
            support::fmt::duration(summary.max),
            support::fmt::duration(took),
        ]);
    }
    print!("{table}");
    support::fmt::note(
        "A waiter asks the holder to let go only after a whole switch interval, so with the GIL\n\
         each wake-up costs about one interval: I/O done in 1 ms takes 1 ms + one interval.",
    );
}
