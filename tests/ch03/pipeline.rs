use std::time::{Duration, Instant};

use crate::pipeline::run_pipeline;

/// (what it shows, stages, input)
type Case<'a> = (&'a str, &'a [&'a [&'a str]], &'a str);

#[test]
fn runs_pipelines() {
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
    support::testing::settings().bind(|| insta::assert_snapshot!("ch03-pipeline-cases", report));
}

#[test]
fn runs_stages_at_once_and_waits_for_each() {
    // Three stages that each sleep 0.4 s: one after another would take 1.2 s.
    let start = Instant::now();
    let sleepy: &[&[&str]] = &[&["sleep", "0.4"], &["sleep", "0.4"], &["sleep", "0.4"]];
    let run = run_pipeline(sleepy, "").expect("the pipeline runs");
    let took = start.elapsed();
    assert!(
        took < Duration::from_millis(1100),
        "all stages run at the same time: took {took:?}"
    );
    for pid in &run.pids {
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            "stage {pid} was waited for (no zombie)"
        );
    }
    // 1 MiB is far more than a pipe holds: written while the last stage is being read.
    let big = "x".repeat(1 << 20);
    let counted = run_pipeline(&[&["cat"], &["wc", "-c"]], &big).expect("no deadlock");
    assert_eq!(counted.output.trim(), (1 << 20).to_string());
}
