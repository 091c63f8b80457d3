//! Wrong attempt: I compare the whole flags value with `==` against R+X for code and R+W for data, instead of testing one bit.

    // ANCHOR: solution_classify
    if header.segment_type != PT_LOAD {
        SegmentKind::NotLoaded
    } else if header.flags == PF_R | PF_X {
        SegmentKind::Code
    } else if header.flags == PF_R | PF_W {
        SegmentKind::Data
    } else {
        SegmentKind::ReadOnlyData
    }
    // ANCHOR_END: solution_classify
