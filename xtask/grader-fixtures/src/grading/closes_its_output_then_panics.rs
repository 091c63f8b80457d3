/// The learner's code closes standard output and standard error, then panics: libtest can
/// print nothing (it aborts trying), yet the learner must still see the panic and where.
fn learners_code() -> u32 {
    // SAFETY: attempt data; closes two descriptors this process owns.
    unsafe {
        libc::close(1);
        libc::close(2);
    }
    panic!("the answer is not ready")
}

#[test]
#[ignore = "grader test data"]
fn answers_two() {
    let _graded = support::sealed::graded();
    assert_eq!(learners_code(), 2);
}
