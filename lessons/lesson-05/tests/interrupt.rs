//! Ctrl-C at several moments must leave no process behind: not a forked child, not a
//! crash demonstration's subprocess. (Its own test binary: see `support::sigint`.)

use std::path::Path;
use std::time::Duration;

use support::sigint::{Target, interrupt};

#[test]
fn ctrl_c_at_any_moment_leaves_no_process_behind() {
    let exe = Path::new(env!("CARGO_BIN_EXE_lesson-05"));
    // The crash demonstrations of steps 1-3 come first, then the timing loops of steps 4-6.
    for ms in [20, 60, 120, 200, 350, 500, 800, 1500] {
        for target in [Target::Process, Target::Group] {
            let after = Duration::from_millis(ms);
            if let Err(left) = interrupt(exe, &["--quick"], after, target) {
                panic!("{left}");
            }
        }
    }
}
