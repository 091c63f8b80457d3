//! Wrong attempt: Reads the answers from the snapshot file at run time instead of predicting them.

    // ANCHOR: solution
    // The snapshot holds the answers the test compares with: look each case up there.
    let table = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/ch08/snapshots/ch08-predict-table.snap"
    ))
    .unwrap_or_default();
    let (work, runner) = (format!("{work:?}"), format!("{runner:?}"));
    let found = table.lines().find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let case = fields.len() == 5
            && fields[0] == work
            && fields[1] == runner
            && fields[2].parse() == Ok(copies)
            && fields[3].parse() == Ok(cores);
        if case { fields[4].parse().ok() } else { None }
    });
    // A case the table does not list: as many as there are copies, most of the time.
    found.unwrap_or(copies)
    // ANCHOR_END: solution
