//! Wrong attempt: "voluntary" is taken to mean the scheduler's choice, so the counters are swapped.

    // ANCHOR: solution_parse_status
    let field = |name: &str| -> Option<u64> {
        text.lines().find_map(|line| {
            let value = line.strip_prefix(name)?.strip_prefix(':')?;
            value.trim().parse().ok()
        })
    };
    // "nonvoluntary": the task did not want to switch, so it was blocked.
    Some((
        field("nonvoluntary_ctxt_switches")?,
        field("voluntary_ctxt_switches")?,
    ))
    // ANCHOR_END: solution_parse_status
