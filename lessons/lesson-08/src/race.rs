//! `x += 1` from several VM threads: the GIL does not make it atomic; a VM-level lock does.

use std::time::Duration;

use support::table::Table;
use support::toyvm::{self, Mode, Op, Vm};

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
    for (name, mode, locked) in cases {
        let vm = Vm::new(mode, 1);
        let code = if locked {
            locked_increment(times)
        } else {
            toyvm::count_loop(0, times as i64)
        };
        let report = vm.run_threads(&code, &[], threads);
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
}
