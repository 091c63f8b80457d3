use crate::proc_stat::{StatError, parse_stat};

/// Lines a learner's parser must get right, from the easy to the tricky.
const FIXTURES: &[(&str, &str)] = &[
    (
        "a shell",
        "4242 (bash) S 4100 4242 4242 34816 4242 4194560 1003 0 0 0 1 2 0 0 20 0 1 0 123 9142272 1360 18446744073709551615",
    ),
    (
        "a busy server with 12 threads",
        "981 (nginx) R 1 981 981 0 -1 4194624 90 0 0 0 5 3 0 0 20 0 12 0 77 123456 789 18446744073709551615",
    ),
    (
        "a name with spaces and parentheses",
        "77 (my (weird) prog) Z 76 77 77 0 -1 4227084 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0 18446744073709551615",
    ),
    (
        "an empty name",
        "5 () S 2 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 9 0 0 18446744073709551615",
    ),
    ("no parentheses", "4242 bash S 4100"),
    ("cut short after the state", "4242 (bash) S"),
    (
        "cut short before the thread count",
        "4242 (bash) S 4100 4242 4242 34816 4242",
    ),
    (
        "a PPID that is not a number",
        "4242 (bash) S parent 4242 4242 34816 4242 4194560 1003 0 0 0 1 2 0 0 20 0 1 0 123",
    ),
    (
        "a state that is not one letter",
        "4242 (bash) Sleeping 4100 4242 4242 34816 4242 4194560 1003 0 0 0 1 2 0 0 20 0 1 0 123",
    ),
];

#[test]
fn parses_every_fixture() {
    let _graded = support::sealed::graded();
    let report: String = FIXTURES
        .iter()
        .map(|(what, line)| format!("{what}:\n  {:?}\n", parse_stat(line)))
        .collect();
    support::assert_graded_snapshot!("ch01-proc_stat-fixtures", report);
}

#[test]
fn reads_this_very_process() {
    let _graded = support::sealed::graded();
    let line = std::fs::read_to_string("/proc/self/stat").expect("read /proc/self/stat");
    let stat = parse_stat(&line).expect("the kernel's own line parses");
    assert_eq!(
        stat.pid,
        std::process::id() as i32,
        "pid is this test process's PID"
    );
    assert_eq!(
        stat.ppid,
        std::os::unix::process::parent_id() as i32,
        "ppid is this process's parent"
    );
    // The test runs on a thread of its own; /proc/self describes the main thread, which is
    // asleep waiting for it, so the state is R or S depending on who looks when.
    assert!(
        "RS".contains(stat.state),
        "state letter of a live process: {:?}",
        stat.state
    );
    assert!(
        stat.num_threads >= 1,
        "every process has at least one thread"
    );
    assert_ne!(parse_stat("1 (x) S"), Err(StatError::MissingParens));
}

/// A thread of this process, named with spaces and parentheses that no fixture shows (the
/// digits come from the clock), reads its own stat line: `/proc/thread-self/stat` is the
/// same format, with the thread's ID and name in the first two fields.
#[test]
fn reads_a_thread_with_an_odd_name() {
    let _graded = support::sealed::graded();
    let digits = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos()
        % 100;
    // At most 15 bytes: the kernel keeps a thread's name in 16, with the final zero.
    let name = format!("w) R {digits} (x) 9");
    let (line, tid) = std::thread::Builder::new()
        .name(name.clone())
        .spawn(|| {
            let line = std::fs::read_to_string("/proc/thread-self/stat").expect("read stat");
            let link = std::fs::read_link("/proc/thread-self").expect("read /proc/thread-self");
            let tid: i32 = link
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.parse().ok())
                .expect("/proc/thread-self is <pid>/task/<tid>");
            (line, tid)
        })
        .expect("start a thread")
        .join()
        .expect("the thread read its stat line");
    let stat = parse_stat(&line)
        .unwrap_or_else(|e| panic!("the kernel's line {line:?} should parse, got {e:?}"));
    let expected = (
        tid,
        name.as_str(),
        std::os::unix::process::parent_id() as i32,
    );
    assert_eq!(
        (stat.pid, stat.comm.as_str(), stat.ppid),
        expected,
        "(pid, comm, ppid) from the line {line:?}"
    );
    assert!(
        stat.num_threads >= 2,
        "a process with this thread and the test harness has at least 2 threads, not {} \
         (from the line {line:?})",
        stat.num_threads
    );
}
