use nix::errno::Errno;
use nix::sys::wait::{WaitPidFlag, waitpid};

use crate::exit_codes::collect_exit_codes;

/// Five distinct codes; the children end in reverse order, last one first.
const CODES: [u8; 5] = [3, 14, 15, 92, 65];

/// In the isolated copy: no child may be left to wait for (no zombie, no runaway).
fn no_child_left() -> bool {
    matches!(
        waitpid(None, Some(WaitPidFlag::WNOHANG)),
        Err(Errno::ECHILD)
    )
}

#[test]
fn collects_codes_in_child_order() {
    if support::crash::is_rerun() {
        let codes = collect_exit_codes(&CODES);
        super::report("RESULT", format!("{codes:?}"));
        super::report("NO_CHILD_LEFT", no_child_left());
        return;
    }
    let run = super::isolated("grading::exit_codes::collects_codes_in_child_order");
    let report = format!(
        "collect_exit_codes({CODES:?}) = {}\nno child left afterwards: {}\n",
        super::reported(&run, "RESULT"),
        super::reported(&run, "NO_CHILD_LEFT")
    );
    support::testing::settings().bind(|| insta::assert_snapshot!("ch03-exit_codes-five", report));
}

#[test]
fn handles_no_child_and_one_child() {
    if support::crash::is_rerun() {
        super::report("NONE", format!("{:?}", collect_exit_codes(&[])));
        super::report("ONE", format!("{:?}", collect_exit_codes(&[7])));
        super::report("ZERO", format!("{:?}", collect_exit_codes(&[0, 0])));
        super::report("NO_CHILD_LEFT", no_child_left());
        return;
    }
    let run = super::isolated("grading::exit_codes::handles_no_child_and_one_child");
    assert_eq!(
        super::reported(&run, "NONE"),
        "Ok([])",
        "no codes, no children"
    );
    assert_eq!(super::reported(&run, "ONE"), "Ok([7])");
    assert_eq!(super::reported(&run, "ZERO"), "Ok([0, 0])");
    assert_eq!(
        super::reported(&run, "NO_CHILD_LEFT"),
        "true",
        "every child waited for"
    );
}
