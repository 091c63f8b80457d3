//! Wrong attempt: I push every parent I am given before looking at it, so the chain ends with the 0 that means no parent.

    // ANCHOR: solution
    let mut chain = vec![pid];
    let mut current = pid;
    loop {
        let parent = parent_of(current).map_err(|reason| AncestryError::Lookup {
            pid: current,
            reason,
        })?;
        if chain.contains(&parent) {
            return Err(AncestryError::Cycle { pid: parent });
        }
        chain.push(parent);
        if parent == 0 {
            return Ok(chain);
        }
        current = parent;
    }
    // ANCHOR_END: solution
