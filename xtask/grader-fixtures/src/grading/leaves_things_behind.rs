use std::os::unix::process::CommandExt;

/// Its test passes, but it leaves a process that escaped into its own process group (a
/// failed verdict: leaving a process running is the bug), a FIFO in the
/// temporary folder, and a shared-memory object named with the run's prefix.
#[test]
#[ignore = "grader test data"]
fn leaves_things_behind() {
    let _graded = support::sealed::graded();
    let child = std::process::Command::new("sleep")
        .arg("600")
        .process_group(0)
        .spawn()
        .unwrap();
    std::mem::forget(child);
    let fifo = std::env::temp_dir().join("forgotten.fifo");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
    let prefix = std::env::var("PTM_RUN_PREFIX").unwrap_or_else(|_| "ptm-unset-".into());
    let name = format!("/{prefix}forgotten-shm");
    let mode = nix::sys::stat::Mode::S_IRUSR | nix::sys::stat::Mode::S_IWUSR;
    let flags = nix::fcntl::OFlag::O_CREAT | nix::fcntl::OFlag::O_RDWR;
    nix::sys::mman::shm_open(name.as_str(), flags, mode).unwrap();
}
