//! Wrong attempt: I test the writable bit before the executable one, so a segment that is both comes out as data.

    // ANCHOR: solution_classify
    if header.segment_type != PT_LOAD {
        SegmentKind::NotLoaded
    } else if header.flags & PF_W != 0 {
        SegmentKind::Data
    } else if header.flags & PF_X != 0 {
        SegmentKind::Code
    } else {
        SegmentKind::ReadOnlyData
    }
    // ANCHOR_END: solution_classify
