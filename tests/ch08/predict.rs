use std::time::Duration;

use support::toyvm::{Interp, Mode, Op, Report, Vm, count_loop};

use crate::predict::{Runner, Speedup, Work, predict};

const THREADS: usize = 2;

/// A `sleep(ms)` that releases the interpreter lock while it blocks.
fn sleep_released(thread: &mut Interp<'_>, ms: i64) -> i64 {
    thread.release();
    std::thread::sleep(Duration::from_millis(ms.max(0) as u64));
    thread.reacquire();
    0
}

/// Runs `work` in `threads` threads of a VM in `mode`.
fn run(work: Work, mode: Mode, threads: usize) -> Report {
    let program = match work {
        Work::Cpu => count_loop(0, 100_000),
        Work::Sleep => vec![Op::Push(100), Op::Call(0), Op::StoreLocal(2), Op::Halt],
    };
    Vm::new(mode, 1).run_threads(&program, &[sleep_released], threads)
}

/// Work per second with `THREADS` threads over work per second with one (best of three,
/// so a moment of load on a shared machine does not decide it).
fn measured_speedup(work: Work, mode: Mode) -> f64 {
    let best = |threads| {
        (0..3)
            .map(|_| run(work, mode, threads).elapsed)
            .min()
            .expect("three runs")
            .as_secs_f64()
    };
    let (one, many) = (best(1), best(THREADS));
    THREADS as f64 * one / many
}

fn check(work: Work, runner: Runner, expected: Speedup, evidence: &str) {
    let yours = predict(work, runner);
    assert_eq!(
        yours, expected,
        "for {work:?} work run by {runner:?}: expected {expected:?}, yours {yours:?}. {evidence}"
    );
}

#[test]
fn cpu_bound_threads_under_the_gil_take_turns() {
    let speedup = measured_speedup(Work::Cpu, Mode::DEFAULT_GIL);
    let report = run(Work::Cpu, Mode::DEFAULT_GIL, THREADS);
    // Taking turns cannot do more than one thread's work per second; 1.6 leaves room for
    // a busy machine that slowed the one-thread runs.
    assert!(
        speedup < 1.6,
        "the toy VM's GIL let {THREADS} threads speed up {speedup:.2}x"
    );
    let evidence = format!(
        "Measured: {THREADS} counting threads with the GIL did {speedup:.2}x the work per \
         second of one, and at most {} of them ran bytecode at a time.",
        report.max_running
    );
    check(Work::Cpu, Runner::GilThreads, Speedup::AboutOne, &evidence);
}

#[test]
fn sleeping_threads_overlap_even_under_the_gil() {
    let speedup = measured_speedup(Work::Sleep, Mode::DEFAULT_GIL);
    assert!(
        speedup > 1.4,
        "sleeping threads did not overlap: {speedup:.2}x"
    );
    let evidence = format!(
        "Measured: {THREADS} threads sleeping 100 ms in a builtin that releases the GIL \
         got through {speedup:.2}x the sleeps per second of one."
    );
    check(Work::Sleep, Runner::GilThreads, Speedup::AboutN, &evidence);
    check(
        Work::Sleep,
        Runner::NoGilThreads,
        Speedup::AboutN,
        &evidence,
    );
    check(Work::Sleep, Runner::Processes, Speedup::AboutN, &evidence);
}

#[test]
fn without_a_shared_lock_cpu_bound_copies_run_at_once() {
    // How fast they go depends on idle cores, which a shared machine may not have; that
    // they are allowed to run at the same time is what the VM counts.
    let long_count = count_loop(0, 1_000_000);
    let report = Vm::new(Mode::NoGil, 1).run_threads(&long_count, &[], THREADS);
    assert_eq!(
        report.max_running, THREADS,
        "the no-GIL VM serialised its threads"
    );
    let evidence = format!(
        "Measured: without the GIL, {} of {THREADS} counting threads were executing \
         bytecode at the same moment; with idle cores each runs on its own. Processes \
         each have a lock of their own, so they never wait for each other's.",
        report.max_running
    );
    check(Work::Cpu, Runner::NoGilThreads, Speedup::AboutN, &evidence);
    check(Work::Cpu, Runner::Processes, Speedup::AboutN, &evidence);
}
