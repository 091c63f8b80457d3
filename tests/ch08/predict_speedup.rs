use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;

use ch08_toyvm::{Interp, Mode, Op, Report, Vm, count_loop};

use crate::predict_speedup::{Runner, Work, predict};

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

/// CPU time used by the VM threads of [`cores_used`]'s run, in nanoseconds.
static CPU_NS: AtomicU64 = AtomicU64::new(0);

/// A builtin that adds the calling thread's CPU time so far to [`CPU_NS`].
fn add_my_cpu_time(_thread: &mut Interp<'_>, _: i64) -> i64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec, which `now` is.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    CPU_NS.fetch_add(
        now.tv_sec as u64 * 1_000_000_000 + now.tv_nsec as u64,
        Relaxed,
    );
    0
}

/// Runs `THREADS` counting threads in `mode` and returns the CPU time they used over the
/// wall-clock time they took: how many cores' worth they kept busy. Load from other
/// programs can only lower it, so an upper bound holds on a busy machine.
fn cores_used(mode: Mode) -> f64 {
    let mut program = count_loop(0, 300_000);
    program.pop(); // the final Halt
    program.extend([Op::Push(0), Op::Call(0), Op::StoreLocal(2), Op::Halt]);
    CPU_NS.store(0, Relaxed);
    let report = Vm::new(mode, 1).run_threads(&program, &[add_my_cpu_time], THREADS);
    CPU_NS.load(Relaxed) as f64 / 1e9 / report.elapsed.as_secs_f64()
}

fn check(work: Work, runner: Runner, expected: usize, evidence: &str) {
    // The measurements run `THREADS` copies; the prediction is asked for as many cores.
    let yours = predict(work, runner, THREADS, THREADS);
    assert_eq!(
        yours, expected,
        "for {THREADS} copies of {work:?} work run by {runner:?} on {THREADS} cores: expected a \
         speedup of {expected}, yours {yours}. {evidence}"
    );
}

#[test]
fn cpu_bound_threads_under_the_gil_take_turns() {
    let _graded = support::sealed::graded();
    let speedup = measured_speedup(Work::Cpu, Mode::DEFAULT_GIL);
    let report = run(Work::Cpu, Mode::DEFAULT_GIL, THREADS);
    // What the GIL guarantees by construction: one thread runs bytecode at a time. (The
    // speedup itself is evidence for the message, not a check: a machine busy with other
    // programs can slow the one-thread runs and make it look larger than 1.)
    assert_eq!(
        report.max_running, 1,
        "the toy VM's GIL let {} threads run bytecode at once",
        report.max_running
    );
    let evidence = format!(
        "Measured: {THREADS} counting threads with the GIL did {speedup:.2}x the work per \
         second of one, and at most {} of them ran bytecode at a time.",
        report.max_running
    );
    check(Work::Cpu, Runner::GilThreads, 1, &evidence);
}

#[test]
fn sleeping_threads_overlap_even_under_the_gil() {
    let _graded = support::sealed::graded();
    let speedup = measured_speedup(Work::Sleep, Mode::DEFAULT_GIL);
    assert!(
        speedup > 1.4,
        "sleeping threads did not overlap: {speedup:.2}x"
    );
    let evidence = format!(
        "Measured: {THREADS} threads sleeping 100 ms in a builtin that releases the GIL \
         got through {speedup:.2}x the sleeps per second of one."
    );
    check(Work::Sleep, Runner::GilThreads, THREADS, &evidence);
    check(Work::Sleep, Runner::NoGilThreads, THREADS, &evidence);
    check(Work::Sleep, Runner::Processes, THREADS, &evidence);
}

#[test]
fn without_a_shared_lock_cpu_bound_copies_run_at_once() {
    let _graded = support::sealed::graded();
    // How fast they go depends on idle cores, which a shared machine may not have; that
    // they are allowed to run at the same time is what the VM counts.
    let long_count = count_loop(0, 1_000_000);
    let report = Vm::new(Mode::NoGil, 1).run_threads(&long_count, &[], THREADS);
    assert_eq!(
        report.max_running, THREADS,
        "the no-GIL VM serialised its threads"
    );
    let cores = cores_used(Mode::NoGil);
    let evidence = format!(
        "Measured: without the GIL, {} of {THREADS} counting threads were executing \
         bytecode at the same moment, keeping {cores:.2} cores' worth busy (with idle \
         cores, up to {THREADS}). Processes each have a lock of their own, so they never \
         wait for each other's.",
        report.max_running
    );
    check(Work::Cpu, Runner::NoGilThreads, THREADS, &evidence);
    check(Work::Cpu, Runner::Processes, THREADS, &evidence);
}

/// The answer for every case, from the three questions the chapter asks of each: does a
/// copy need the interpreter lock to progress, does it need a core, how many can have it.
fn ideal(work: Work, runner: Runner, copies: usize, cores: usize) -> usize {
    match (work, runner) {
        (Work::Cpu, Runner::GilThreads) => 1,
        (Work::Cpu, _) => copies.min(cores),
        (Work::Sleep, _) => copies,
    }
}

#[test]
fn the_table_of_predictions() {
    let _graded = support::sealed::graded();
    // Every pair of a workload and a runner, for a few machines, in a fixed order: the
    // answers do not depend on the machine the test runs on.
    let mut table = format!(
        "{:<6} {:<13} {:>6} {:>5}  speedup\n",
        "work", "runner", "copies", "cores"
    );
    for (copies, cores) in [(4, 2), (3, 8), (1, 1)] {
        for work in [Work::Cpu, Work::Sleep] {
            for runner in [Runner::GilThreads, Runner::NoGilThreads, Runner::Processes] {
                let yours = predict(work, runner, copies, cores);
                table += &format!(
                    "{:<6} {:<13} {copies:>6} {cores:>5}  {yours}\n",
                    format!("{work:?}"),
                    format!("{runner:?}")
                );
            }
        }
    }
    support::assert_graded_snapshot!("ch08-predict_speedup-table", table);
}

#[test]
fn copies_and_cores_drawn_fresh_each_run() {
    let _graded = support::sealed::graded();
    // Numbers no snapshot shows: a table of answers copied from one cannot pass.
    let seed = support::seeded::fresh();
    let mut rng = support::seeded::Rng::new(seed);
    let works = [Work::Cpu, Work::Sleep];
    let runners = [Runner::GilThreads, Runner::NoGilThreads, Runner::Processes];
    for _ in 0..40 {
        let work = works[rng.between(0, 1) as usize];
        let runner = runners[rng.between(0, 2) as usize];
        let copies = rng.between(1, 64) as usize;
        let cores = rng.between(1, 64) as usize;
        let yours = predict(work, runner, copies, cores);
        let expected = ideal(work, runner, copies, cores);
        assert_eq!(
            yours, expected,
            "for {copies} copies of {work:?} work run by {runner:?} on {cores} cores: expected \
             a speedup of {expected}, yours {yours} (seed {seed}; replay with PTM_SEED={seed})"
        );
    }
}
