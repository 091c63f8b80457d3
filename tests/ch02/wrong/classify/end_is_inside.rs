//! Wrong attempt: I took a line's end address as part of the line, so `start <= addr && addr <= end`.

    // ANCHOR: solution_classify
    let index = maps
        .iter()
        .position(|line| line.start <= addr && addr <= line.end)?;
    Some(region_of_line(maps, index, exe))
    // ANCHOR_END: solution_classify
