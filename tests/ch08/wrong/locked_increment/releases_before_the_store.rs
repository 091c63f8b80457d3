//! Wrong attempt: Holds the lock while loading and adding, but releases it before the Store.

    // ANCHOR: solution
    vec![
        Op::Acquire(lock),
        Op::Load(x),
        Op::Push(1),
        Op::Add,
        Op::Release(lock),
        Op::Store(x),
    ]
    // ANCHOR_END: solution
