//! Wrong attempt: each line is found with `contains`, which also matches the nonvoluntary line.

    // ANCHOR: solution_parse_status
    let field = |name: &str| -> Option<u64> {
        let line = text.lines().find(|line| line.contains(name))?;
        line.split(':').nth(1)?.trim().parse().ok()
    };
    Some((
        field("voluntary_ctxt_switches")?,
        field("nonvoluntary_ctxt_switches")?,
    ))
    // ANCHOR_END: solution_parse_status
