use std::sync::{Arc, Mutex};

use crate::panicking_worker::{Job, NOT_TEXT, failure_report, panic_message, run_workers};

#[test]
fn reads_every_kind_of_payload() {
    let formatted = format!("bad input {}", 7);
    assert_eq!(panic_message(&"disk full"), "disk full");
    assert_eq!(panic_message(&formatted), "bad input 7");
    assert_eq!(panic_message(&42u8), NOT_TEXT);
}

#[test]
fn reports_which_worker_failed() {
    let names = Arc::new(Mutex::new(Vec::new()));
    let record = |names: &Arc<Mutex<Vec<String>>>| {
        let name = std::thread::current()
            .name()
            .unwrap_or("unnamed")
            .to_owned();
        names.lock().unwrap_or_else(|e| e.into_inner()).push(name);
    };
    let job = |behaviour: u8| -> Job {
        let names = Arc::clone(&names);
        Box::new(move || {
            record(&names);
            match behaviour {
                1 => panic!("disk full"),
                3 => panic!("bad input {}", 7),
                4 => std::panic::panic_any(42u8),
                n => u64::from(n) * 10,
            }
        })
    };
    let results = run_workers((0..6).map(job).collect());
    let report = format!(
        "{}\n{}\n",
        results
            .iter()
            .map(|r| format!("{r:?}"))
            .collect::<Vec<_>>()
            .join("\n"),
        failure_report(&results)
    );
    support::testing::settings()
        .bind(|| insta::assert_snapshot!("ch05-panicking_worker-results", report));
    let mut seen = names.lock().unwrap_or_else(|e| e.into_inner()).clone();
    seen.sort();
    assert_eq!(
        seen,
        (0..6).map(|i| format!("worker-{i}")).collect::<Vec<_>>(),
        "every job ran, each on a thread named worker-<index>, even after others panicked"
    );
    assert_eq!(failure_report(&[Ok(1), Ok(2)]), "all 2 workers succeeded");
}
