#[test]
#[ignore = "grader test data"]
fn spins() {
    let _graded = support::sealed::graded();
    let mut n = 0u64;
    loop {
        n = std::hint::black_box(n.wrapping_add(1));
    }
}
