//! Ctrl-C at several moments must leave no process behind: not the copies of itself the
//! lesson runs to show ASLR, not the child it forks to show isolation. (Its own test
//! binary: see `support::sigint`.)

use std::path::Path;
use std::time::Duration;

use support::sigint::{Target, interrupt};

#[test]
fn ctrl_c_at_any_moment_leaves_no_process_behind() {
    let exe = Path::new(env!("CARGO_BIN_EXE_lesson-02"));
    // The whole lesson takes some tens of milliseconds: the moments fall inside it.
    for ms in [1, 3, 5, 8, 12, 16, 20, 25, 30, 40] {
        for target in [Target::Process, Target::Group] {
            let after = Duration::from_millis(ms);
            if let Err(left) = interrupt(exe, &[], after, target) {
                panic!("{left}");
            }
        }
    }
}
