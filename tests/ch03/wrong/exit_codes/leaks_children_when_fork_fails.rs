//! Wrong attempt: returns fork's error with `?` at once, leaving the children it already made running and, once they end, zombies nobody waits for.

    // ANCHOR: solution
    let mut children = Vec::new();
    for (index, &code) in codes.iter().enumerate() {
        // SAFETY: the child runs only `child_body`: a sleep and `_exit`.
        match unsafe { nix::unistd::fork() }? {
            nix::unistd::ForkResult::Child => child_body(index, codes.len(), code),
            nix::unistd::ForkResult::Parent { child } => children.push(child),
        }
    }
    children
        .into_iter()
        .map(|child| match nix::sys::wait::waitpid(child, None)? {
            WaitStatus::Exited(_, code) => Ok(code),
            WaitStatus::Signaled(_, signal, _) => Ok(-(signal as i32)),
            other => unreachable!("waitpid without flags reports only ends: {other:?}"),
        })
        .collect()
    // ANCHOR_END: solution
