//! Wrong attempt: I asked region_of_line about each line on its own (a one-line slice), so no line ever has a line before it and bss is never found.

    // ANCHOR: solution
    let mut sizes = BTreeMap::new();
    for line in maps {
        let region = region_of_line(std::slice::from_ref(line), 0, exe);
        *sizes.entry(region).or_insert(0) += line.end - line.start;
    }
    sizes
    // ANCHOR_END: solution
