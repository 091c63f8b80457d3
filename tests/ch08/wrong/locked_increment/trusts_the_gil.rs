//! Wrong attempt: Relies on the GIL and emits a plain load-add-store with no lock.

    // ANCHOR: solution
    vec![Op::Load(x), Op::Push(1), Op::Add, Op::Store(x)]
    // ANCHOR_END: solution
