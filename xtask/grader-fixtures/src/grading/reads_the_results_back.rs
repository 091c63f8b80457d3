/// The learner's code finds the results file (named in its environment), reopens it for
/// reading through `/proc/self/fd`, takes the tag of the line the first test reported,
/// writes it before an `ok` for its own test, and ends the process with status 0: a tag
/// serves only the line it was made for.
fn learners_code() -> u32 {
    use std::io::{Read, Write};
    let environ = std::fs::read("/proc/self/environ").unwrap_or_default();
    let environ = String::from_utf8_lossy(&environ);
    let results_fd = environ
        .split('\0')
        .find_map(|entry| entry.strip_prefix("PTM_SEALED="))
        .and_then(|fds| fds.split(',').nth(1))
        .unwrap_or("3")
        .to_owned();
    let path = format!("/proc/self/fd/{results_fd}");
    let mut reported = String::new();
    let _ = std::fs::File::open(&path).and_then(|mut f| f.read_to_string(&mut reported));
    let tag = reported.split(' ').next().unwrap_or("").to_owned();
    if let Ok(mut results) = std::fs::OpenOptions::new().append(true).open(&path) {
        let forged = format!("{tag} ok grading::reads_the_results_back::b_answers_two\n");
        let _ = results.write_all(forged.as_bytes());
    }
    std::process::exit(0)
}

#[test]
#[ignore = "grader test data"]
fn a_passes() {
    let _graded = support::sealed::graded();
}

#[test]
#[ignore = "grader test data"]
fn b_answers_two() {
    let _graded = support::sealed::graded();
    assert_eq!(learners_code(), 2);
}
