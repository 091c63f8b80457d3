//! Ctrl-C at several moments must leave no process behind — above all not the deadlocked
//! subprocess of step 8, which would otherwise hang forever. (Its own test binary: see
//! `support::sigint`.)

use std::path::Path;
use std::time::Duration;

use support::sigint::{Target, interrupt};

#[test]
fn ctrl_c_at_any_moment_leaves_no_process_behind() {
    let exe = Path::new(env!("CARGO_BIN_EXE_lesson-07"));
    // Under --quick, steps 1-7 take about half a second (step 4's litmus tests near 300
    // ms); the deadlock demonstration then hangs for 1.5 s, and step 9's threads contend
    // for two locks after it. The moments below fall in each of these.
    for ms in [30, 300, 800, 1200, 1600, 2000, 2500] {
        for target in [Target::Process, Target::Group] {
            if let Err(left) = interrupt(exe, &["--quick"], Duration::from_millis(ms), target) {
                panic!("{left}");
            }
        }
    }
}
