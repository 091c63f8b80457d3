//! Wrong attempt: uses `Relaxed` for every load and store of the counters (each is atomic anyway, and x86 never shows the difference), so the consumer may see the new count and still read the slot from before the item was written.

        // ANCHOR: solution_send
        let shared = self.shared();
        // Only this side changes `sent`.
        let sent = shared.sent.load(Ordering::Relaxed);
        loop {
            let taken = shared.taken.load(Ordering::Relaxed);
            if taken == sent {
                break;
            }
            futex_wait(&shared.taken, taken);
        }
        shared.slot.store(item, Ordering::Relaxed);
        shared.sent.store(sent.wrapping_add(1), Ordering::Relaxed);
        futex_wake(&shared.sent);
        // ANCHOR_END: solution_send

        // ANCHOR: solution_recv
        let shared = self.shared();
        // Only this side changes `taken`.
        let taken = shared.taken.load(Ordering::Relaxed);
        loop {
            let sent = shared.sent.load(Ordering::Relaxed);
            if sent != taken {
                break;
            }
            futex_wait(&shared.sent, sent);
        }
        let item = shared.slot.load(Ordering::Relaxed);
        shared.taken.store(taken.wrapping_add(1), Ordering::Relaxed);
        futex_wake(&shared.taken);
        item
        // ANCHOR_END: solution_recv
