//! Wrong attempt: waits for every child but returns the codes it asked for, not the statuses waitpid reported, so a child killed by a signal still counts as its code.

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
    // Every child was told its code, so once they are reaped the codes are known.
    for child in children {
        nix::sys::wait::waitpid(child, None)?;
    }
    Ok(codes.iter().map(|&code| i32::from(code)).collect())
    // ANCHOR_END: solution
