//! Wrong attempt: I started the map with every region at 0, so the table always has the same nine rows.

    // ANCHOR: solution
    let mut sizes: BTreeMap<Region, u64> = [
        Region::Code,
        Region::ReadOnlyData,
        Region::Data,
        Region::Bss,
        Region::Heap,
        Region::Stack,
        Region::AnonMmap,
        Region::FileMmap,
        Region::Kernel,
    ]
    .into_iter()
    .map(|region| (region, 0))
    .collect();
    for (index, line) in maps.iter().enumerate() {
        *sizes.entry(region_of_line(maps, index, exe)).or_insert(0) += line.end - line.start;
    }
    sizes
    // ANCHOR_END: solution
