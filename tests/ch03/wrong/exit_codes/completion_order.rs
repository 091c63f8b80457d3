//! Wrong attempt: waits with `wait()` (any child) and pushes each status as it comes, so the statuses are in the order the children ended, not the order they were made.

    // ANCHOR: solution
    let mut children = Vec::new();
    for (index, &code) in codes.iter().enumerate() {
        // SAFETY: the child runs only `child_body`: a sleep and `_exit`.
        match unsafe { nix::unistd::fork() } {
            Ok(nix::unistd::ForkResult::Child) => child_body(index, codes.len(), code),
            Ok(nix::unistd::ForkResult::Parent { child }) => children.push(child),
            Err(error) => {
                for child in children {
                    let _ = nix::sys::wait::waitpid(child, None);
                }
                return Err(error);
            }
        }
    }
    // Wait for any child, as many times as there are children.
    let mut statuses = Vec::new();
    for _ in &children {
        match nix::sys::wait::wait()? {
            WaitStatus::Exited(_, code) => statuses.push(code),
            WaitStatus::Signaled(_, signal, _) => statuses.push(-(signal as i32)),
            _ => {}
        }
    }
    Ok(statuses)
    // ANCHOR_END: solution
