//! Wrong attempt: Believes an interpreter's threads and processes all run on one core, so nothing scales.

    // ANCHOR: solution
    1
    // ANCHOR_END: solution
