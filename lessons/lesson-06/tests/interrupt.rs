//! Ctrl-C at several moments must leave no process behind: not a forked end of the
//! ping-pong, not perf. (Its own test binary: see `support::sigint`.)

use std::path::Path;
use std::time::Duration;

use support::sigint::{Target, interrupt};

#[test]
fn ctrl_c_at_any_moment_leaves_no_process_behind() {
    let exe = Path::new(env!("CARGO_BIN_EXE_lesson-06"));
    // Step 1 runs for ~50 ms, then the ping-pongs (forks) and perf, the cache rows (forks).
    for ms in [30, 80, 150, 300, 600, 1000, 1600, 2500] {
        for target in [Target::Process, Target::Group] {
            if let Err(left) = interrupt(exe, &["--quick"], Duration::from_millis(ms), target) {
                panic!("{left}");
            }
        }
    }
}
