//! Wrong attempt: I counted each line as `end - start + 1` bytes, as if end were its last address.

    // ANCHOR: solution
    let mut sizes = BTreeMap::new();
    for (index, line) in maps.iter().enumerate() {
        *sizes.entry(region_of_line(maps, index, exe)).or_insert(0) += line.end - line.start + 1;
    }
    sizes
    // ANCHOR_END: solution
