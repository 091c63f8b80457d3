use std::io::Read;

/// Reads from a pipe whose write end is still open but never written.
#[test]
#[ignore = "grader test data"]
fn blocks_on_a_pipe() {
    let _graded = support::sealed::graded();
    let (reader, _writer) = std::io::pipe().unwrap();
    let mut buffer = [0u8; 1];
    let _ = (&reader).read(&mut buffer);
}
