//! `x += 1` from several VM threads: the GIL does not make it atomic; a VM-level lock does.

use std::time::Duration;

use ch08_toyvm::{self as toyvm, Mode, Op, Vm};
use support::table::Table;

// ANCHOR: locked_increment
/// `with lock: x += 1` in bytecode: the four steps of the increment between taking and
/// releasing VM-level lock 0, so no other thread's increment can fall between them.
pub fn locked_increment(times: u64) -> Vec<Op> {
    let body = [
        Op::Acquire(0),
        Op::Load(0),
        Op::Push(1),
        Op::Add,
        Op::Store(0),
        Op::Release(0),
    ];
    toyvm::counting(times as i64, &body)
}
// ANCHOR_END: locked_increment

/// Runs the bare and the locked increment in 4 threads under each mode and counts.
pub fn show_lost_updates(times: u64) {
    let threads = 4;
    let fast = Mode::Gil {
        switch_interval: Duration::from_micros(50),
    };
    let cases = [
        ("x += 1, GIL (5 ms)", Mode::DEFAULT_GIL, false),
        ("x += 1, GIL (50 µs)", fast, false),
        ("x += 1, no GIL", Mode::NoGil, false),
        ("with lock: x += 1, GIL (50 µs)", fast, true),
        ("with lock: x += 1, no GIL", Mode::NoGil, true),
    ];
    println!(
        "  {threads} VM threads each add 1 to the shared global x {times} times \
         (Load, Push 1, Add, Store)."
    );
    let expected = threads as i64 * times as i64;
    let mut table = Table::new(["program", "expected", "x", "lost", "switches"])
        .right(1)
        .right(2)
        .right(3)
        .right(4);
    let mut locked_exact = true;
    for (name, mode, locked) in cases {
        let vm = Vm::new(mode, 1);
        let code = if locked {
            locked_increment(times)
        } else {
            toyvm::count_loop(0, times as i64)
        };
        let report = vm.run_threads(&code, &[], threads);
        locked_exact &= !locked || vm.global(0) == expected;
        let switches = if mode == Mode::NoGil {
            "-".to_string()
        } else {
            report.switches.to_string()
        };
        table.row([
            name.to_string(),
            expected.to_string(),
            vm.global(0).to_string(),
            (expected - vm.global(0)).to_string(),
            switches,
        ]);
    }
    print!("{table}");
    support::fmt::note(
        "One run each. A switch between a thread's Load and its Store lets the other threads'\n\
         increments be overwritten by a stale value: the GIL protects the interpreter's own\n\
         data, not your read-modify-write. The VM-level lock makes the count exact.",
    );
    support::checks::invariant(
        "with the VM-level lock, x ends at the expected count, with the GIL and without",
        locked_exact,
    );
}

/// The same race in the machine's CPython, where one is installed: `x += 1`, and the same
/// read-modify-write with a call between the read and the write.
pub fn show_cpython_race(py: Option<&crate::python::Python>) {
    let Some(py) = py else {
        println!("  python3 was not found: the same race in CPython is left out.");
        return;
    };
    let (threads, times, interval) = (3, 300_000, Duration::from_micros(50));
    println!(
        "  The same race in CPython {}: {threads} threads × {times} increments of a global,\n  \
         switch interval {}:",
        py.version,
        support::fmt::duration(interval)
    );
    let mut table = Table::new(["python", "expected", "x", "lost"])
        .right(1)
        .right(2)
        .right(3);
    for (how, code) in [
        ("plain", "x += 1"),
        ("call", "seen = x; abs(0); x = seen + 1"),
    ] {
        match crate::python::race(how, threads, times, interval) {
            Ok((x, expected)) => {
                table.row([
                    code.to_string(),
                    expected.to_string(),
                    x.to_string(),
                    expected.saturating_sub(x).to_string(),
                ]);
            }
            Err(error) => {
                table.row([code.to_string(), format!("did not run: {error:#}")]);
            }
        }
    }
    print!("{table}");
    support::fmt::note(
        "One run each. The toy VM may hand its lock over between any two instructions.\n\
         CPython 3.10 and later look for a request to hand the GIL over only at backward jumps,\n\
         calls and function entry (bpo-29988; from 3.11 entry is an instruction of its own,\n\
         RESUME). A bare `x += 1` in a loop is then rarely or never split; a call between the\n\
         read and the write is a place where the GIL can change hands, and updates are lost.\n\
         Neither is a promise: Python guarantees no atomicity for `+=`; use `threading.Lock`.",
    );
}
