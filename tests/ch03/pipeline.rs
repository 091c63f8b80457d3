use std::time::{Duration, Instant};

use crate::pipeline::run_pipeline;

/// Runs `work` on a thread of its own and fails the test if it takes longer than
/// `limit`: a stuck pipeline fails in seconds with a likely cause, instead of hanging.
fn within<T: Send + 'static>(limit: Duration, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, result) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(work()));
    result.recv_timeout(limit).unwrap_or_else(|_| {
        panic!(
            "run_pipeline did not return within {limit:?}: is the input written while the \
             output is read (a pipe holds only 64 KiB), is every stdin handle dropped so the \
             first stage sees the end of its input, and is every child waited for once?"
        )
    })
}

/// (what it shows, stages, input)
type Case<'a> = (&'a str, &'a [&'a [&'a str]], &'a str);

#[test]
fn runs_pipelines() {
    let _graded = support::sealed::graded();
    let report = within(Duration::from_secs(3), pipelines_report);
    support::assert_graded_snapshot!("ch03-pipeline-cases", report);
}

fn pipelines_report() -> String {
    let cases: &[Case] = &[
        ("one stage", &[&["cat"]], "hello\n"),
        (
            "tr | sort | uniq -c",
            &[&["tr", "a-z", "A-Z"], &["sort"], &["uniq", "-c"]],
            "pear\napple\npear\nfig\n",
        ),
        (
            "a stage that fails still passes on its output",
            &[&["sh", "-c", "cat; exit 3"], &["wc", "-l"]],
            "one\ntwo\n",
        ),
        (
            "a stage that reads nothing",
            &[&["false"], &["cat"]],
            "ignored\n",
        ),
        (
            "yes | head -n 2: head stops reading, and SIGPIPE kills yes",
            &[&["yes"], &["head", "-n", "2"]],
            "",
        ),
    ];
    let mut report = String::new();
    for (what, stages, input) in cases {
        match run_pipeline(stages, input) {
            Ok(run) => {
                report += &format!(
                    "{what}:\n  output {:?}\n  statuses {:?}\n  {} PIDs\n",
                    run.output,
                    run.statuses,
                    run.pids.len()
                )
            }
            Err(error) => report += &format!("{what}:\n  error {:?}\n", error.kind()),
        }
    }
    for (what, stages) in [
        ("no stages", &[][..]),
        ("an empty stage", &[&["cat"][..], &[][..]][..]),
        (
            "a program that does not exist",
            &[&["cat"][..], &["no-such-program-ch03"][..]][..],
        ),
    ] {
        let outcome = run_pipeline(stages, "").map(|_| ()).map_err(|e| e.kind());
        report += &format!("{what}:\n  {outcome:?}\n");
    }
    report
}

#[test]
fn runs_stages_at_once_and_waits_for_each() {
    let _graded = support::sealed::graded();
    // Three stages that each sleep 0.4 s: one after another would take 1.2 s.
    let start = Instant::now();
    let sleepy: &[&[&str]] = &[&["sleep", "0.4"], &["sleep", "0.4"], &["sleep", "0.4"]];
    let run = within(Duration::from_secs(3), move || run_pipeline(sleepy, ""))
        .expect("run_pipeline([[sleep 0.4], [sleep 0.4], [sleep 0.4]], \"\") runs");
    let took = start.elapsed();
    assert!(
        took < Duration::from_millis(1100),
        "run_pipeline([[sleep 0.4], [sleep 0.4], [sleep 0.4]], \"\") took {took:?}: all \
         stages must run at the same time (one after another takes 1.2 s)"
    );
    for pid in &run.pids {
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            "run_pipeline([[sleep 0.4], [sleep 0.4], [sleep 0.4]], \"\"): stage {pid} is \
             still there: every stage must be waited for (no zombie)"
        );
    }
    // 1 MiB is far more than a pipe holds, and `cat | cat` gives it all back: the output
    // must be read while the input is still being written.
    let big = "x".repeat(1 << 20);
    let echoed = within(Duration::from_secs(3), move || {
        run_pipeline(&[&["cat"], &["cat"]], &big)
    })
    .expect("run_pipeline([[cat], [cat]], 1 MiB of \"x\") runs");
    assert_eq!(
        echoed.output.len(),
        1 << 20,
        "run_pipeline([[cat], [cat]], 1 MiB of \"x\"): every byte comes back"
    );
}

/// Inputs that must fail, each after every stage already started is ended and waited for.
const FAILING: [(&str, &[&[&str]]); 2] = [
    (
        "[[cat], [sleep 30], [no-such-program-ch03], [cat]]",
        &[
            &["cat"],
            &["sleep", "30"],
            &["no-such-program-ch03"],
            &["cat"],
        ],
    ),
    ("[[cat], []]", &[&["cat"], &[]]),
];

#[test]
fn leaves_no_stage_behind_when_one_fails() {
    let _graded = support::sealed::graded();
    if support::crash::is_rerun() {
        // Only here, alone in its process, may the test ask for *any* child.
        for (index, (_, stages)) in FAILING.iter().enumerate() {
            let outcome = run_pipeline(stages, "").map(|_| ()).map_err(|e| e.kind());
            super::report(&format!("RESULT{index}"), format!("{outcome:?}"));
            super::report(
                &format!("NO_CHILD_LEFT{index}"),
                support::crash::no_child_left(),
            );
            // End and reap what a wrong answer left, so the next input starts clean.
            for (_, child) in super::children() {
                nix::sys::signal::kill(child, nix::sys::signal::Signal::SIGKILL).ok();
            }
            while nix::sys::wait::waitpid(None, None).is_ok() {}
        }
        return;
    }
    let run = super::isolated("grading::pipeline::leaves_no_stage_behind_when_one_fails");
    for (index, (input, _)) in FAILING.iter().enumerate() {
        let result = super::reported(&run, &format!("RESULT{index}"));
        assert!(
            result.starts_with("Err("),
            "run_pipeline({input}, \"\") must fail, and returned {result}"
        );
        assert_eq!(
            super::reported(&run, &format!("NO_CHILD_LEFT{index}")),
            "true",
            "run_pipeline({input}, \"\") returned {result} but left a stage it had started \
             running or unreaped: end (kill) and wait for every stage already started before \
             returning the error"
        );
    }
}
