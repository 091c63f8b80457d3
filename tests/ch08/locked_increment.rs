use std::time::Duration;

use ch08_toyvm::{Mode, Op, Vm, counting};
use support::seeded::{Rng, fresh};

use crate::locked_increment::locked_increment;

const THREADS: usize = 4;

/// The stack depth after each instruction of a straight-line body, or what is wrong.
fn check_shape(body: &[Op]) -> Result<(), String> {
    let mut depth: i64 = 0;
    for op in body {
        depth += match op {
            Op::Push(_) | Op::Load(_) | Op::LoadLocal(_) => 1,
            Op::Store(_) | Op::StoreLocal(_) | Op::Add | Op::Less => -1,
            Op::Acquire(_) | Op::Release(_) => 0,
            Op::Call(_) => 0,
            Op::Jump(_) | Op::JumpIfZero(_) | Op::Halt => {
                return Err(format!("it contains {op:?}: the body may not jump or halt"));
            }
        };
        if depth < 0 {
            return Err(format!("{op:?} pops from an empty stack"));
        }
    }
    if depth != 0 {
        return Err(format!("it leaves {depth} value(s) on the stack"));
    }
    Ok(())
}

#[test]
fn the_body_is_straight_line_code() {
    let _graded = support::sealed::graded();
    let body = locked_increment(0, 1);
    if let Err(problem) = check_shape(&body) {
        panic!("locked_increment(0, 1) gave {body:?}: {problem}");
    }
}

#[test]
fn no_update_is_lost() {
    let _graded = support::sealed::graded();
    let seed = fresh();
    let mut rng = Rng::new(seed);
    let modes = [
        Mode::Gil {
            switch_interval: Duration::from_micros(20),
        },
        Mode::NoGil,
    ];
    for mode in modes {
        let (x, lock) = (rng.between(0, 2) as usize, rng.between(0, 3) as usize);
        let times = rng.between(20_000, 30_000) as i64;
        let body = locked_increment(x, lock);
        let vm = Vm::new(mode, 3);
        vm.run_threads(&counting(times, &body), &[], THREADS);
        let expected = times * THREADS as i64;
        assert_eq!(
            vm.global(x),
            expected,
            "{THREADS} VM threads in {mode:?} each ran locked_increment({x}, {lock}) {times} \
             times: expected global {x} = {expected}, yours {} (seed {seed}; replay with \
             PTM_SEED={seed}). Is the whole load-add-store inside one lock shared by all?",
            vm.global(x)
        );
    }
}

#[test]
fn exact_totals_for_fixed_runs() {
    let _graded = support::sealed::graded();
    // A body that loses no update always ends on threads × times, whatever the schedule:
    // the report holds only those totals.
    let (times, x, lock) = (5_000, 1, 2);
    let body = locked_increment(x, lock);
    let modes = [
        (
            "GIL, 20 µs switch interval",
            Mode::Gil {
                switch_interval: Duration::from_micros(20),
            },
        ),
        ("GIL, 5 ms switch interval", Mode::DEFAULT_GIL),
        ("no GIL", Mode::NoGil),
    ];
    let mut report = format!("locked_increment({x}, {lock}), each thread {times} times:\n");
    for (name, mode) in modes {
        report += &format!("  {name}:\n");
        for threads in [1, 2, 4] {
            let vm = Vm::new(mode, 2);
            vm.run_threads(&counting(times, &body), &[], threads);
            report += &format!(
                "    {threads} thread(s): global {x} = {}, global 0 = {}\n",
                vm.global(x),
                vm.global(0)
            );
        }
    }
    support::assert_graded_snapshot!("ch08-locked_increment-totals", report);
}
