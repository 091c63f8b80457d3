//! Wrong attempt: turns every status that is not `Exited` into 0, so a child killed by a signal looks like a child that succeeded.

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
    children
        .into_iter()
        .map(|child| match nix::sys::wait::waitpid(child, None)? {
            WaitStatus::Exited(_, code) => Ok(code),
            // A child that did not exit has no exit code.
            _ => Ok(0),
        })
        .collect()
    // ANCHOR_END: solution
