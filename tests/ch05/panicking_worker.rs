use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::rendezvous::Rendezvous;
use support::seeded::{self, Rng};

use crate::panicking_worker::{
    Job, NOT_TEXT, WorkerFailure, failure_report, panic_message, run_workers,
};

/// How long a worker waits at the rendezvous for the others: generous, since spawning a
/// thread takes microseconds even on a loaded machine.
const MEET_WITHIN: Duration = Duration::from_secs(3);

#[test]
fn reads_every_kind_of_payload() {
    let _graded = support::sealed::graded();
    let formatted = format!("bad input {}", 7);
    assert_eq!(panic_message(&"disk full"), "disk full");
    assert_eq!(panic_message(&formatted), "bad input 7");
    assert_eq!(panic_message(&42u8), NOT_TEXT);
}

#[test]
fn reports_which_worker_failed() {
    let _graded = support::sealed::graded();
    let names = Arc::new(Mutex::new(Vec::new()));
    // Every worker waits here until all six are running at the same time.
    let meeting = Arc::new(Rendezvous::new(6, MEET_WITHIN));
    let record = |names: &Arc<Mutex<Vec<String>>>| {
        let name = std::thread::current()
            .name()
            .unwrap_or("unnamed")
            .to_owned();
        names.lock().unwrap_or_else(|e| e.into_inner()).push(name);
    };
    let job = |behaviour: u8| -> Job {
        let names = Arc::clone(&names);
        let meeting = Arc::clone(&meeting);
        Box::new(move || {
            record(&names);
            meeting.wait();
            match behaviour {
                1 => panic!("disk full"),
                3 => panic!("bad input {}", 7),
                4 => std::panic::panic_any(42u8),
                n => u64::from(n) * 10,
            }
        })
    };
    let results = run_workers((0..6).map(job).collect());
    assert!(
        meeting.met(),
        "your workers did not run at the same time: at most {} of the 6 were running at once \
         (each waited {MEET_WITHIN:?} for the others). Spawn every worker before you join any",
        meeting.most_together()
    );
    let report = format!(
        "{}\n{}\n",
        results
            .iter()
            .map(|r| format!("{r:?}"))
            .collect::<Vec<_>>()
            .join("\n"),
        failure_report(&results)
    );
    support::assert_graded_snapshot!("ch05-panicking_worker-results", report);
    let mut seen = names.lock().unwrap_or_else(|e| e.into_inner()).clone();
    seen.sort();
    assert_eq!(
        seen,
        (0..6).map(|i| format!("worker-{i}")).collect::<Vec<_>>(),
        "every job ran, each on a thread named worker-<index>, even after others panicked"
    );
    assert_eq!(failure_report(&[Ok(1), Ok(2)]), "all 2 workers succeeded");
}

#[test]
fn reports_fresh_failures() {
    let _graded = support::sealed::graded();
    // A fresh mix of jobs each run: no table copied from the snapshot fits.
    let seed = seeded::fresh();
    let mut rng = Rng::new(seed);
    let plan: Vec<(bool, u64)> = (0..rng.between(2, 7))
        .map(|_| (rng.between(0, 2) == 0, rng.between(0, 999)))
        .collect();
    let jobs: Vec<Job> = plan
        .iter()
        .map(|&(panics, n)| -> Job {
            Box::new(move || if panics { panic!("fault {n}") } else { n })
        })
        .collect();
    let expected: Vec<Result<u64, WorkerFailure>> = plan
        .iter()
        .enumerate()
        .map(|(index, &(panics, n))| {
            if panics {
                Err(WorkerFailure {
                    index,
                    name: format!("worker-{index}"),
                    message: format!("fault {n}"),
                })
            } else {
                Ok(n)
            }
        })
        .collect();
    let failures: Vec<String> = expected
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(|f| format!("{} ({})", f.name, f.message))
        .collect();
    let expected_report = if failures.is_empty() {
        format!("all {} workers succeeded", plan.len())
    } else {
        format!(
            "{} of {} workers failed: {}",
            failures.len(),
            plan.len(),
            failures.join(", ")
        )
    };
    let replay = format!("(seed {seed}: replay with PTM_SEED={seed})");
    let results = run_workers(jobs);
    assert_eq!(results, expected, "run_workers {replay}");
    assert_eq!(
        failure_report(&results),
        expected_report,
        "failure_report {replay}"
    );
}

#[test]
fn a_worker_that_cannot_start_is_a_failure() {
    let _graded = support::sealed::graded();
    // On this test's helper thread, creating a thread fails with EAGAIN ("Resource
    // temporarily unavailable"), as it does when the process limit is reached.
    let results = super::without_new_tasks(|| run_workers(vec![Box::new(|| 1), Box::new(|| 2)]));
    assert_eq!(results.len(), 2, "one entry per job: {results:?}");
    for (index, result) in results.iter().enumerate() {
        match result {
            Err(failure) => {
                assert_eq!(
                    (failure.index, failure.name.as_str()),
                    (index, format!("worker-{index}").as_str()),
                    "{results:?}"
                );
                assert!(
                    failure.message.contains("temporarily unavailable"),
                    "the message is the spawn error's text: {results:?}"
                );
            }
            Ok(value) => panic!(
                "no thread could be started, yet worker {index} returned Ok({value}): {results:?}"
            ),
        }
    }
}
