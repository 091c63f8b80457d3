//! What every test of the lesson checks after a run: nothing named is left behind.

use std::path::Path;

/// A fresh, empty temporary directory and run prefix for one lesson run, so its leftovers
/// can be told apart from anything else on the machine.
pub fn private_run(tag: &str) -> (std::path::PathBuf, String) {
    let prefix = format!("ptm-test-{}-{tag}-", std::process::id());
    let dir = std::env::temp_dir().join(&prefix);
    std::fs::create_dir_all(&dir).expect("a private TMPDIR for the run");
    (dir, prefix)
}

/// Every FIFO, socket, file, shared-memory object and message queue the run with this
/// TMPDIR and prefix left behind (an empty list when there is none).
pub fn leftovers(tmpdir: &Path, prefix: &str) -> Vec<String> {
    let mut left: Vec<String> = std::fs::read_dir(tmpdir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path().display().to_string())
                .collect()
        })
        .unwrap_or_default();
    if let Ok(shm) = std::fs::read_dir("/dev/shm") {
        left.extend(
            shm.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(prefix))
                .map(|n| format!("/dev/shm/{n}")),
        );
    }
    // /dev/mqueue may not be mounted: try to open each name the run could have made.
    for n in 0..64 {
        let name = std::ffi::CString::new(format!("/{prefix}mq-{n}")).expect("no NUL");
        // SAFETY: mq_open without O_CREAT only looks the name up; we close what it opens.
        let q = unsafe { libc::mq_open(name.as_ptr(), libc::O_RDONLY) };
        if q >= 0 {
            // SAFETY: q was just opened by us.
            unsafe { libc::mq_close(q) };
            // SAFETY: removing a queue only this test's run could have named.
            unsafe { libc::mq_unlink(name.as_ptr()) };
            left.push(format!("message queue {}", name.to_string_lossy()));
        }
    }
    left
}
