//! Wrong attempt: I check for a loop only by asking whether the walk came back to the PID it started from.

    // ANCHOR: solution
    let mut chain = vec![pid];
    let mut current = pid;
    loop {
        let parent = parent_of(current).map_err(|reason| AncestryError::Lookup {
            pid: current,
            reason,
        })?;
        if parent == 0 {
            return Ok(chain);
        }
        if parent == pid {
            return Err(AncestryError::Cycle { pid: parent });
        }
        chain.push(parent);
        current = parent;
    }
    // ANCHOR_END: solution
