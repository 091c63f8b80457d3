/// The learner's code prints what libtest prints for a pass, then ends the process with
/// status 0 before the real test can fail: the grader must not believe it.
fn learners_code() -> u32 {
    use std::io::Write;
    let mut out = std::io::stdout();
    let _ = writeln!(out, "test grading::prints_a_fake_pass::answers_two ... ok");
    let _ = writeln!(
        out,
        "\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; \
         finished in 0.00s\n"
    );
    let _ = writeln!(out, "ok grading::prints_a_fake_pass::answers_two");
    let _ = out.flush();
    std::process::exit(0)
}

#[test]
#[ignore = "grader test data"]
fn answers_two() {
    let _graded = support::sealed::graded();
    assert_eq!(learners_code(), 2);
}
