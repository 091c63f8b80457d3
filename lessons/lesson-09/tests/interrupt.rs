//! Ctrl-C at several moments must leave nothing behind: no process, and no file, FIFO,
//! socket, shared-memory object or message queue. (Its own test binary: see
//! `support::sigint`.)

mod common;

use std::path::Path;
use std::time::Duration;

use support::sigint::{Target, interrupt};

#[test]
fn ctrl_c_at_any_moment_leaves_nothing_behind() {
    let exe = Path::new(env!("CARGO_BIN_EXE_lesson-09"));
    let (tmp, prefix) = common::private_run("interrupt");
    // SAFETY: this test binary runs this one test, on one thread; nothing reads the
    // environment concurrently. The lesson inherits both variables.
    unsafe {
        std::env::set_var("TMPDIR", &tmp);
        std::env::set_var("PTM_RUN_PREFIX", &prefix);
    }
    // --quick takes about 3 s: the file and pipes first, then sockets, shared memory and
    // queues (1-2 s), then the table.
    for ms in [50, 250, 450, 700, 1000, 1300, 1600, 2000, 2400, 2800] {
        for target in [Target::Process, Target::Group] {
            let after = Duration::from_millis(ms);
            if let Err(left) = interrupt(exe, &["--quick"], after, target) {
                panic!("{left}");
            }
            let left = common::leftovers(&tmp, &prefix);
            assert!(
                left.is_empty(),
                "SIGINT at {after:?} ({target:?}) left {left:?}"
            );
        }
    }
    std::fs::remove_dir(&tmp).ok();
}
