//! Deliberately bad attempts at exercises, one module each, for testing the grader: it
//! must stop each within seconds, name what probably happened, and leave nothing behind.
//!
//! Every test here is `#[ignore]`d, so `cargo test --workspace` never runs one; the
//! grader passes `--include-ignored`.

#[cfg(test)]
mod grading {
    mod aborts;
    mod blocks_on_a_pipe;
    mod closes_its_output_then_panics;
    mod deadlocks;
    mod exits_zero;
    mod fails;
    mod fakes_a_rerun_report;
    mod forks_forever;
    mod forks_in_a_rerun;
    mod grows_without_bound;
    mod leaves_a_grandchild;
    mod leaves_things_behind;
    mod passes;
    mod prints_a_fake_pass;
    mod reads_the_results_back;
    mod segfaults;
    mod sets_insta_force_pass;
    mod sets_the_rerun_marker;
    mod sleeps_for_long;
    mod spins;
    mod still_todo;
    mod writes_ok_to_every_descriptor;
}
