//! Wrong attempt: Takes the lock only around the Store, after loading and adding.

    // ANCHOR: solution
    vec![
        Op::Load(x),
        Op::Push(1),
        Op::Add,
        Op::Acquire(lock),
        Op::Store(x),
        Op::Release(lock),
    ]
    // ANCHOR_END: solution
