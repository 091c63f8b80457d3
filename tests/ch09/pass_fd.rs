use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use support::crash::is_rerun;

use crate::pass_fd::{recv_fd, send_fd};

const LIMIT: Duration = Duration::from_secs(8);

const ON_TIMEOUT: &str = "does send_fd send one byte with the descriptor, and does recv_fd \
    receive exactly one message (not wait for more bytes than were sent)?";

/// What the child writes through each descriptor it is given.
const GREETING: &[u8] = b"written by the child, through a descriptor it never opened\n";

/// A fresh file in the private temporary folder, named by `support::names`, created
/// exclusively with mode 0600 and removed at once: it lives only as long as descriptors to
/// it are open, so nothing is left behind.
fn scratch_file() -> File {
    let path = std::env::temp_dir().join(support::names::unique("passed").trim_start_matches('/'));
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .expect("create a scratch file");
    std::fs::remove_file(&path).expect("remove its name");
    file
}

#[test]
fn another_process_writes_through_a_passed_descriptor() {
    let _graded = support::sealed::graded();
    if is_rerun() {
        let (parent_end, child_end) = UnixStream::pair().expect("socketpair");
        let child = support::child::fork_in_isolated_test(|| {
            // 2: a receive failed; 3: a write through a received descriptor failed.
            for _ in 0..2 {
                let Ok(fd) = recv_fd(&child_end) else {
                    return 2;
                };
                if File::from(fd).write_all(GREETING).is_err() {
                    return 3;
                }
            }
            0
        })
        .expect("fork");

        drop(child_end);
        // Opened only now, after the fork: the child cannot have inherited them.
        let mut file = scratch_file();
        let (mut pipe_read, pipe_write) = nix::unistd::pipe()
            .map(|(r, w)| (File::from(r), w))
            .expect("pipe");
        let sent = send_fd(&parent_end, file.as_fd())
            .and_then(|()| send_fd(&parent_end, pipe_write.as_fd()));
        super::report("SENT", format!("{:?}", sent.map_err(|e| e.kind())));
        // The child's copy of the pipe's write end is now the only one: end-of-file comes
        // when the child closes it.
        drop(pipe_write);
        let status = child.wait().expect("wait for the child");
        super::report("CHILD", support::child::describe(&status));
        let mut written = Vec::new();
        file.rewind()
            .and_then(|()| file.read_to_end(&mut written))
            .expect("read the file back");
        super::report("FILE", written == GREETING);
        let mut through_pipe = Vec::new();
        pipe_read
            .read_to_end(&mut through_pipe)
            .expect("read the pipe");
        super::report("PIPE", through_pipe == GREETING);
        return;
    }
    let run = super::isolated(
        "grading::pass_fd::another_process_writes_through_a_passed_descriptor",
        LIMIT,
        ON_TIMEOUT,
    );
    let input = "a file and a pipe's write end, both opened after the fork, sent with send_fd \
                 to a child that receives each with recv_fd and writes a line through it";
    assert_eq!(
        super::reported(&run, "SENT"),
        "Ok(())",
        "{input}: send_fd must succeed"
    );
    let child = super::reported(&run, "CHILD");
    assert!(
        child == "exited with status 0",
        "{input}: expected the child to exit with status 0; yours {child} (2: recv_fd \
         failed, 3: writing through the received descriptor failed). A descriptor's number \
         means nothing in another process: send the open file itself, as an SCM_RIGHTS \
         control message"
    );
    for (label, what) in [("FILE", "the file"), ("PIPE", "the pipe")] {
        assert_eq!(
            super::reported(&run, label),
            "true",
            "{input}: {what} should hold the child's line {:?}",
            String::from_utf8_lossy(GREETING)
        );
    }
}

#[test]
fn the_receiver_gets_a_new_descriptor_for_the_same_file() {
    let _graded = support::sealed::graded();
    let (sender, receiver) = UnixStream::pair().expect("socketpair");
    let file = scratch_file();
    send_fd(&sender, file.as_fd()).expect("send_fd(a scratch file)");
    let received: OwnedFd = recv_fd(&receiver).expect("recv_fd after send_fd");
    if received.as_raw_fd() == file.as_raw_fd() {
        // Two owners of one number: forget one, so it is closed once.
        std::mem::forget(received);
        panic!(
            "send_fd then recv_fd in one process gave back the same number {}: the number \
             travelled as data, not the open file. Send it as an SCM_RIGHTS control message; \
             the kernel then installs a new descriptor for the receiver",
            file.as_raw_fd()
        );
    }
    let (ours, theirs) = (
        file.metadata().expect("fstat the file"),
        File::from(received)
            .metadata()
            .expect("fstat the received descriptor"),
    );
    assert_eq!(
        (theirs.dev(), theirs.ino()),
        (ours.dev(), ours.ino()),
        "the received descriptor must be the same file (device, inode) as the one sent"
    );
}

#[test]
fn reports_a_missing_descriptor_and_a_closed_socket() {
    let _graded = support::sealed::graded();
    let mut report = String::new();
    let (mut sender, receiver) = UnixStream::pair().expect("socketpair");
    sender.write_all(b"F").expect("write a byte");
    // Closed at once, so a receiver that waits for more than one byte is not left hanging.
    drop(sender);
    report += &format!(
        "recv_fd after a plain byte with no descriptor: {:?}\n",
        recv_fd(&receiver).map(|_| ()).map_err(|e| e.kind())
    );
    report += &format!(
        "recv_fd after the sender closed its end: {:?}\n",
        recv_fd(&receiver).map(|_| ()).map_err(|e| e.kind())
    );
    support::assert_graded_snapshot!("ch09-pass_fd-errors", report);
}
