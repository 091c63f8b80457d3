//! Ctrl-C at several moments must leave no process behind: not a toy-VM process, not
//! python3, not a `multiprocessing` worker. (Its own test binary: see `support::sigint`.)

use std::path::Path;
use std::time::Duration;

use support::sigint::{Target, interrupt};

#[test]
fn ctrl_c_at_any_moment_leaves_no_process_behind() {
    let exe = Path::new(env!("CARGO_BIN_EXE_lesson-08"));
    // Calibration (python3 included) comes first, then the runtimes in turn: the VM
    // processes near 1 s, CPython from about 1.5 s, then the I/O step's CPython pools.
    for ms in [30, 200, 600, 1000, 1400, 1800, 2300, 2800, 3400, 4200] {
        for target in [Target::Process, Target::Group] {
            if let Err(left) = interrupt(exe, &["--quick"], Duration::from_millis(ms), target) {
                panic!("{left}");
            }
        }
    }
}
