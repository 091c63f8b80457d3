//! Ctrl-C at several moments must leave no process behind: not the strace of step 6, not
//! the lesson it traces. (Its own test binary: see `support::sigint`.)

use std::path::Path;
use std::time::Duration;

use support::sigint::{Target, interrupt};

#[test]
fn ctrl_c_at_any_moment_leaves_no_process_behind() {
    let exe = Path::new(env!("CARGO_BIN_EXE_lesson-04"));
    // From the first steps to step 6, where strace runs lesson-04 twice (about 150-300 ms
    // after the start with --quick, later on a busy machine).
    for ms in [20, 80, 140, 160, 180, 200, 230, 260, 300, 400, 600] {
        for target in [Target::Process, Target::Group] {
            let after = Duration::from_millis(ms);
            if let Err(left) = interrupt(exe, &["--quick"], after, target) {
                panic!("{left}");
            }
        }
    }
}
