//! Ctrl-C at several moments must leave no process behind — above all not the deadlocked
//! subprocess of step 7, which would otherwise hang forever. (Its own test binary: see
//! `support::sigint`.)

use std::path::Path;
use std::time::Duration;

use support::sigint::{Target, interrupt};

#[test]
fn ctrl_c_at_any_moment_leaves_no_process_behind() {
    let exe = Path::new(env!("CARGO_BIN_EXE_lesson-07"));
    // Steps 1-3 count first; the deadlock demonstration starts about a second in and
    // hangs for 1.5 s under --quick.
    for ms in [30, 300, 800, 1200, 1600, 2000, 2500] {
        for target in [Target::Process, Target::Group] {
            if let Err(left) = interrupt(exe, &["--quick"], Duration::from_millis(ms), target) {
                panic!("{left}");
            }
        }
    }
}
