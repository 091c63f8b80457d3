//! Wrong attempt: the child `return`s its code from the function instead of ending with `_exit`, so it goes on running the caller's code (here the test's) as a second copy of the parent.

    // ANCHOR: solution
    let mut children = Vec::new();
    for &code in codes {
        // SAFETY: the child only returns its code.
        match unsafe { nix::unistd::fork() }? {
            // The child's job is done: hand its code back.
            nix::unistd::ForkResult::Child => return Ok(vec![i32::from(code)]),
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
