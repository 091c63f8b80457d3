use std::collections::HashMap;

use crate::ancestry::{AncestryError, ancestry};

/// A test case: what it shows, the PID to start from, and the process table.
type Case<'a> = (&'a str, i32, &'a [(i32, i32)]);

/// A made-up process table: child → parent. A walk that asks about more PIDs than the
/// table holds is looping: the table panics instead of letting it run forever.
fn table(pairs: &[(i32, i32)]) -> impl FnMut(i32) -> Result<i32, String> {
    let parents: HashMap<i32, i32> = pairs.iter().copied().collect();
    let mut asked = 0;
    move |pid| {
        asked += 1;
        assert!(
            asked <= parents.len() + 1,
            "parent_of was called {asked} times for a table of {} processes: \
             the walk loops (is every PID already in the chain checked?)",
            parents.len()
        );
        parents
            .get(&pid)
            .copied()
            .ok_or_else(|| format!("no process {pid}"))
    }
}

#[test]
fn walks_made_up_trees() {
    let _graded = support::sealed::graded();
    // init(1) ─ sshd(500) ─ bash(900) ─ cargo(1200) ─ lesson(1300); a kernel thread 2.
    let tree = [
        (1, 0),
        (2, 0),
        (500, 1),
        (900, 500),
        (1200, 900),
        (1300, 1200),
    ];
    let cases: &[Case] = &[
        ("a lesson started from a shell", 1300, &tree),
        ("init itself", 1, &tree),
        ("a kernel thread", 2, &tree),
        (
            "a process that exited while we walked",
            1300,
            &[(1300, 1200), (1200, 900)],
        ),
        (
            "a reused PID that makes a loop",
            40,
            &[(40, 41), (41, 42), (42, 40)],
        ),
        (
            "a loop that does not come back to the start",
            30,
            &[(30, 40), (40, 41), (41, 42), (42, 40)],
        ),
    ];
    let report: String = cases
        .iter()
        .map(|(what, pid, pairs)| format!("{what}:\n  {:?}\n", ancestry(*pid, table(pairs))))
        .collect();
    support::assert_graded_snapshot!("ch01-ancestry-tables", report);
}

#[test]
fn walks_the_real_process_tree() {
    let _graded = support::sealed::graded();
    let me = std::process::id() as i32;
    let chain = ancestry(me, |pid| {
        support::proc::parent_pid(pid).map_err(|e| e.to_string())
    })
    .expect("the live chain can be followed");
    assert_eq!(
        chain.first(),
        Some(&me),
        "the chain starts with this process"
    );
    assert_eq!(
        chain.get(1).copied(),
        Some(std::os::unix::process::parent_id() as i32),
        "then its parent"
    );
    let root = *chain.last().unwrap();
    assert_eq!(
        support::proc::parent_pid(root).unwrap(),
        0,
        "it ends at a process whose parent is 0"
    );
    assert!(
        ancestry(me, |_| Err("gone".into())).is_err(),
        "a failed lookup is an error"
    );
    assert!(matches!(
        ancestry(7, |_| Ok(7)),
        Err(AncestryError::Cycle { pid: 7 })
    ));
}
