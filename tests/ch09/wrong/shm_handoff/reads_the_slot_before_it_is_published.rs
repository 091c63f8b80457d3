//! Wrong attempt: reads the slot first and only then waits for the producer's count, so it takes what was there before the item was published.

        // ANCHOR: solution_recv
        let shared = self.shared();
        // Take the item, then wait until the producer says it is there.
        let item = shared.slot.load(Ordering::Relaxed);
        let taken = shared.taken.load(Ordering::Relaxed);
        loop {
            let sent = shared.sent.load(Ordering::Acquire);
            if sent != taken {
                break;
            }
            futex_wait(&shared.sent, sent);
        }
        shared.taken.store(taken.wrapping_add(1), Ordering::Release);
        futex_wake(&shared.taken);
        item
        // ANCHOR_END: solution_recv
