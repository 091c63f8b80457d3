//! Grading tests for chapter 05. Each submodule grades the exercise of the same name, and
//! is compiled into both `exercises-05` (grading) and `solutions-05` (verification).

mod child_result;
mod panicking_worker;
mod threads_or_processes;

/// Runs `f` on a thread of its own that may not create tasks: there, `fork` and thread
/// creation fail with `EAGAIN`, as they do when a user has reached `RLIMIT_NPROC` — the
/// error paths of the exercises, made to happen on purpose. Only that one thread is
/// affected (a seccomp filter applies to the thread that installs it), so other tests and
/// the caller go on as before.
fn without_new_tasks<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        s.spawn(|| {
            forbid_new_tasks_on_this_thread();
            f()
        })
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Installs a seccomp filter on the calling thread that answers `clone`, `clone3` (and,
/// where they exist, `fork` and `vfork`) with `EAGAIN`, and allows every other system call.
fn forbid_new_tasks_on_this_thread() {
    let mut denied = vec![libc::SYS_clone, libc::SYS_clone3];
    #[cfg(target_arch = "x86_64")]
    denied.extend([libc::SYS_fork, libc::SYS_vfork]);
    let statement = |code: u32, k: u32| libc::sock_filter {
        code: code as u16,
        jt: 0,
        jf: 0,
        k,
    };
    // Load the system call number (offset 0 of `struct seccomp_data`).
    let mut program = vec![statement(libc::BPF_LD | libc::BPF_W | libc::BPF_ABS, 0)];
    let deny_at = 1 + denied.len() + 1;
    for (i, nr) in denied.iter().enumerate() {
        program.push(libc::sock_filter {
            code: (libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K) as u16,
            jt: (deny_at - (1 + i) - 1) as u8,
            jf: 0,
            k: *nr as u32,
        });
    }
    program.push(statement(
        libc::BPF_RET | libc::BPF_K,
        libc::SECCOMP_RET_ALLOW,
    ));
    program.push(statement(
        libc::BPF_RET | libc::BPF_K,
        libc::SECCOMP_RET_ERRNO | libc::EAGAIN as u32,
    ));
    let fprog = libc::sock_fprog {
        len: program.len() as u16,
        filter: program.as_mut_ptr(),
    };
    // SAFETY: prctl reads the filter program during the call; `program` outlives it. Setting
    // no_new_privs first lets an unprivileged user install a filter.
    unsafe {
        assert_eq!(libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
        assert_eq!(
            libc::prctl(
                libc::PR_SET_SECCOMP,
                libc::SECCOMP_MODE_FILTER,
                &fprog as *const libc::sock_fprog
            ),
            0,
            "installing the seccomp filter: {}",
            std::io::Error::last_os_error()
        );
    }
}

#[test]
fn without_new_tasks_makes_spawning_fail_on_one_thread_only() {
    let _graded = support::sealed::graded();
    let spawned = without_new_tasks(|| std::thread::Builder::new().spawn(|| ()).map(|_| ()));
    assert_eq!(
        spawned.map_err(|e| e.raw_os_error()),
        Err(Some(libc::EAGAIN))
    );
    assert!(
        std::thread::spawn(|| ()).join().is_ok(),
        "other threads still spawn"
    );
}
