//! Wrong attempt: I stop when I reach PID 1, since every process descends from init, instead of when the parent is 0.

    // ANCHOR: solution
    let mut chain = vec![pid];
    let mut current = pid;
    while current != 1 {
        let parent = parent_of(current).map_err(|reason| AncestryError::Lookup {
            pid: current,
            reason,
        })?;
        if chain.contains(&parent) {
            return Err(AncestryError::Cycle { pid: parent });
        }
        chain.push(parent);
        current = parent;
    }
    Ok(chain)
    // ANCHOR_END: solution
