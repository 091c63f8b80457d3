//! Wrong attempt: I left out the ---p lines, since memory that nobody may read, write or run takes no space.

    // ANCHOR: solution
    let mut sizes = BTreeMap::new();
    for (index, line) in maps.iter().enumerate() {
        if !(line.perms.read || line.perms.write || line.perms.execute) {
            continue;
        }
        *sizes.entry(region_of_line(maps, index, exe)).or_insert(0) += line.end - line.start;
    }
    sizes
    // ANCHOR_END: solution
