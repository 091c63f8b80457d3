use std::time::{Duration, Instant};

use support::crash::is_rerun;

use crate::task_ids::{TaskReport, current_tid, listed_tasks, spawn_and_report, workers_belong};

#[test]
fn judges_made_up_reports() {
    let _graded = support::sealed::graded();
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
    support::assert_graded_snapshot!("ch04-task_ids-verdicts", verdicts);
}

#[test]
fn reads_the_real_tids() {
    let _graded = support::sealed::graded();
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
    let _graded = support::sealed::graded();
    // A fresh number of workers each run; with this many, workers that did not wait would
    // mostly be gone before the list is read.
    let seed = support::seeded::fresh();
    let workers = support::seeded::Rng::new(seed).between(6, 12) as usize;
    let report = spawn_and_report(workers).expect("spawn_and_report works");
    assert_eq!(report.pid, std::process::id() as i32, "pid");
    assert_eq!(report.caller_tid, support::threads::tid(), "caller_tid");
    assert_eq!(
        report.worker_tids.len(),
        workers,
        "one TID per worker ({workers} workers; seed {seed}: replay with PTM_SEED={seed})"
    );
    let missing: Vec<&i32> = report
        .worker_tids
        .iter()
        .filter(|t| !report.listed.contains(t))
        .collect();
    assert!(
        missing.is_empty(),
        "workers {missing:?} were not in the list: read /proc/self/task after every worker \
         reported its TID, while all of them are still waiting to be released: {report:?}"
    );
    assert!(workers_belong(&report), "{report:?}");
    // After join, the workers are gone. The kernel removes an exited thread's entry a
    // moment after join returns, so allow it some time (a busy machine is slower at it).
    let deadline = Instant::now() + Duration::from_secs(5);
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

/// This test's full name: the isolated re-run is asked for it by name.
const UNREADABLE: &str =
    "grading::task_ids::an_unreadable_list_is_an_error_and_releases_the_workers";

#[test]
fn an_unreadable_list_is_an_error_and_releases_the_workers() {
    let _graded = support::sealed::graded();
    if !is_rerun() {
        // Running out of file descriptors is set up in a fresh copy of this test binary,
        // where it cannot disturb other tests.
        support::crash::isolated_test(
            UNREADABLE,
            Duration::from_secs(6),
            "with /proc/self/task unreadable, did spawn_and_report release its workers \
             before returning the error?",
        );
        return;
    }
    // Make every new file descriptor fail with EMFILE ("too many open files"): the limit
    // is set to the lowest free descriptor, so opening the directory has no room.
    let lowest_free = std::fs::File::open("/dev/null").map(|f| {
        use std::os::fd::AsRawFd;
        f.as_raw_fd()
    });
    let lowest_free = lowest_free.expect("/dev/null opens") as libc::rlim_t;
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read and write the struct passed to them.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
        limit.rlim_cur = lowest_free;
        assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &limit), 0);
    }
    assert!(
        listed_tasks().is_err(),
        "listed_tasks returns the error of read_dir"
    );
    match spawn_and_report(3) {
        Err(error) => println!("spawn_and_report returned the error: {error}"),
        Ok(report) => panic!(
            "spawn_and_report could not read /proc/self/task (too many open files), yet \
             returned Ok: {report:?}. Return the error (after releasing the workers)."
        ),
    }
}
