use std::time::{Duration, Instant};

use ch08_toyvm::{Op, counting};
use support::crash::{Finished, is_rerun, isolated_test};
use support::seeded::{Rng, fresh};

use crate::processes::run_in_children;

/// How long each child's program sleeps before it counts.
const NAP_MS: i64 = 300;
const CHILDREN: usize = 4;

/// `sleep(NAP_MS)`, then `times` times `globals[0] += 1`: the result is `times`.
fn nap_then_count(times: i64) -> Vec<Op> {
    let mut program = vec![Op::Push(NAP_MS), Op::Call(0), Op::StoreLocal(2)];
    let offset = program.len();
    program.extend(
        counting(times, &[Op::Load(0), Op::Push(1), Op::Add, Op::Store(0)])
            .into_iter()
            .map(|op| match op {
                Op::Jump(n) => Op::Jump(n + offset),
                Op::JumpIfZero(n) => Op::JumpIfZero(n + offset),
                op => op,
            }),
    );
    program
}

/// Runs this test again alone, in a process with one thread, where it may fork.
fn isolated(test: &str) -> Finished {
    isolated_test(
        &format!("grading::processes::{test}"),
        Duration::from_secs(8),
        "does every child end with `_exit`, is each pipe's write end closed in the parent, \
         and does the parent wait for each child exactly once?",
    )
}

#[test]
fn children_run_at_once_and_results_come_back_in_order() {
    let _graded = support::sealed::graded();
    if !is_rerun() {
        isolated("children_run_at_once_and_results_come_back_in_order");
        return;
    }
    let seed = fresh();
    let mut rng = Rng::new(seed);
    let counts: Vec<i64> = (0..CHILDREN)
        .map(|_| rng.between(300, 3_000) as i64)
        .collect();
    let programs: Vec<Vec<Op>> = counts.iter().map(|&n| nap_then_count(n)).collect();
    let me = std::process::id();
    let start = Instant::now();
    let results = run_in_children(&programs);
    let elapsed = start.elapsed();
    if std::process::id() != me {
        // A child came back from run_in_children: end it before it runs the test's code.
        eprintln!("a forked child returned from run_in_children instead of calling _exit");
        // SAFETY: leaves this (child) process at once.
        unsafe { libc::_exit(101) }
    }
    assert_eq!(
        results,
        Ok(counts.clone()),
        "run_in_children on {CHILDREN} programs that count to {counts:?}: expected \
         Ok({counts:?}) in that order (seed {seed}; replay with PTM_SEED={seed})"
    );
    assert!(
        support::crash::no_child_left(),
        "after run_in_children returned, a child was still there to wait for (a zombie): \
         wait for every child with waitpid"
    );
    let serial = Duration::from_millis((NAP_MS as u64) * CHILDREN as u64);
    assert!(
        elapsed < serial * 3 / 4,
        "{CHILDREN} children that each sleep {NAP_MS} ms took {elapsed:?}: expected about \
         {NAP_MS} ms, since they run at the same time; yours took about {serial:?}, one \
         after another. Start every child before you wait for any"
    );
}

#[test]
fn no_programs_no_children() {
    let _graded = support::sealed::graded();
    if !is_rerun() {
        isolated("no_programs_no_children");
        return;
    }
    assert_eq!(
        run_in_children(&[]),
        Ok(vec![]),
        "run_in_children(&[]): expected Ok([])"
    );
    assert!(
        support::crash::no_child_left(),
        "run_in_children(&[]) left a child behind"
    );
}

/// `sleep(NAP_MS)`, then `globals[0] = value`: the result is `value`.
fn nap_then_store(value: i64) -> Vec<Op> {
    vec![
        Op::Push(NAP_MS),
        Op::Call(0),
        Op::StoreLocal(2),
        Op::Push(value),
        Op::Store(0),
        Op::Halt,
    ]
}

use support::crash::{report, reported};

fn yes(property: bool) -> &'static str {
    if property { "yes" } else { "no" }
}

#[test]
fn fixed_programs_report() {
    let _graded = support::sealed::graded();
    // Results that no exit status (0 to 255) can carry: a count above 255, a negative
    // number, one that needs more than 32 bits; and 0.
    let programs = [
        nap_then_count(1_000),
        nap_then_store(-42),
        nap_then_store(0),
        nap_then_store(1 << 40),
    ];
    if is_rerun() {
        let me = std::process::id();
        let start = Instant::now();
        let results = run_in_children(&programs);
        let elapsed = start.elapsed();
        if std::process::id() != me {
            eprintln!("a forked child returned from run_in_children instead of calling _exit");
            // SAFETY: leaves this (child) process at once.
            unsafe { libc::_exit(101) }
        }
        report("RESULTS", format!("{results:?}"));
        report("NO_CHILD", yes(support::crash::no_child_left()));
        let serial = Duration::from_millis((NAP_MS as u64) * programs.len() as u64);
        report("AT_ONCE", yes(elapsed < serial * 3 / 4));
        report("EMPTY", format!("{:?}", run_in_children(&[])));
        report("EMPTY_NO_CHILD", yes(support::crash::no_child_left()));
        return;
    }
    let run = isolated("fixed_programs_report");
    let serial = NAP_MS * programs.len() as i64;
    let report = format!(
        "{} programs, each sleeping {NAP_MS} ms first, then storing 1000 (by counting), \
         -42, 0, 2^40:\n  results: {}\n  no child left afterwards: {}\n  the children \
         ran at the same time (done in under 3/4 of {serial} ms): {}\nno programs: {}, no \
         child left: {}\n",
        programs.len(),
        reported(&run, "RESULTS"),
        reported(&run, "NO_CHILD"),
        reported(&run, "AT_ONCE"),
        reported(&run, "EMPTY"),
        reported(&run, "EMPTY_NO_CHILD"),
    );
    support::assert_graded_snapshot!("ch08-processes-fixed", report);
}
