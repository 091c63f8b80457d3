use std::time::{Duration, Instant};

use crate::task_ids::{TaskReport, current_tid, listed_tasks, spawn_and_report, workers_belong};

#[test]
fn judges_made_up_reports() {
    let report = |worker_tids: &[i32], listed: &[i32]| TaskReport {
        pid: 100,
        caller_tid: 105,
        worker_tids: worker_tids.to_vec(),
        listed: listed.to_vec(),
    };
    let cases = [
        (
            "two workers, both listed",
            report(&[106, 107], &[100, 105, 106, 107]),
        ),
        ("no workers", report(&[], &[100, 105])),
        (
            "a worker missing from the list",
            report(&[106, 108], &[100, 105, 106]),
        ),
        ("the same TID twice", report(&[106, 106], &[100, 105, 106])),
        ("a worker claiming the PID", report(&[100], &[100, 105])),
        (
            "a worker claiming the caller's TID",
            report(&[105], &[100, 105]),
        ),
    ];
    let verdicts: String = cases
        .iter()
        .map(|(what, r)| format!("{what}: {}\n", workers_belong(r)))
        .collect();
    support::testing::settings()
        .bind(|| insta::assert_snapshot!("ch04-task_ids-verdicts", verdicts));
}

#[test]
fn reads_the_real_tids() {
    assert_eq!(
        current_tid(),
        support::threads::tid(),
        "current_tid is gettid()"
    );
    let on_a_thread = std::thread::spawn(|| (current_tid(), support::threads::tid()))
        .join()
        .expect("no panic");
    assert_eq!(
        on_a_thread.0, on_a_thread.1,
        "and on another thread its own TID"
    );
    let listed = listed_tasks().expect("/proc/self/task is readable");
    let pid = std::process::id() as i32;
    assert!(
        listed.contains(&pid),
        "the main thread (TID = PID) is listed"
    );
    assert!(
        listed.contains(&current_tid()),
        "the calling thread is listed"
    );
    assert!(listed.is_sorted(), "sorted ascending: {listed:?}");
}

#[test]
fn spawned_workers_are_tasks_of_this_process() {
    let report = spawn_and_report(4).expect("spawn_and_report works");
    assert_eq!(report.pid, std::process::id() as i32, "pid");
    assert_eq!(report.caller_tid, support::threads::tid(), "caller_tid");
    assert_eq!(report.worker_tids.len(), 4, "one TID per worker");
    assert!(
        report.worker_tids.iter().all(|t| report.listed.contains(t)),
        "every worker was alive and listed when the list was read: {report:?}"
    );
    assert!(workers_belong(&report), "{report:?}");
    // After join, the workers are gone. The kernel removes an exited thread's entry a
    // moment after join returns, so allow it a little time.
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let now = listed_tasks().expect("readable");
        if report.worker_tids.iter().all(|t| !now.contains(t)) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "workers still listed after join: were they joined? {now:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}
