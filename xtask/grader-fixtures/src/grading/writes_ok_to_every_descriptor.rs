/// The learner's code writes libtest's log line for a pass (`ok <test>`) into every
/// descriptor it has open — the results channel among them — then ends the process with
/// status 0: without the run's secret, no line it writes is a result.
fn learners_code() -> u32 {
    use std::io::Write;
    use std::os::fd::FromRawFd;
    let line = b"ok grading::writes_ok_to_every_descriptor::answers_two\n";
    for entry in std::fs::read_dir("/proc/self/fd").unwrap().flatten() {
        let Ok(fd) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        if fd > 2 {
            // SAFETY: attempt data; the file is leaked with mem::forget, never closed twice.
            let mut file = unsafe { std::fs::File::from_raw_fd(fd) };
            let _ = file.write_all(line);
            std::mem::forget(file);
        }
    }
    std::process::exit(0)
}

#[test]
#[ignore = "grader test data"]
fn answers_two() {
    let _graded = support::sealed::graded();
    assert_eq!(learners_code(), 2);
}
