//! Ctrl-C at several moments must leave nothing behind: no server process, no crashing
//! child, no interpreter. Threads and sockets end with the process; a server child that
//! outlived the lesson would be found here. (Its own test binary: see `support::sigint`.)

use std::path::Path;
use std::time::Duration;

use support::sigint::{Target, interrupt};

#[test]
fn ctrl_c_at_any_moment_leaves_nothing_behind() {
    let exe = Path::new(env!("CARGO_BIN_EXE_lesson-10"));
    // --quick takes about 2.5 s: the pool and rayon first, false sharing near 0.6 s, the
    // pipeline near 0.7 s, the servers (a child process each) from about 0.9 s, then the
    // processes, the cgroups and the interpreters.
    for ms in [30, 200, 450, 600, 700, 1000, 1300, 1600, 1900, 2200, 2500] {
        for target in [Target::Process, Target::Group] {
            if let Err(left) = interrupt(exe, &["--quick"], Duration::from_millis(ms), target) {
                panic!("{left}");
            }
        }
    }
}
