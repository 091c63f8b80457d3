//! Wrong attempt: publishes each item at once without waiting for the consumer to take the last one, so a fast producer overwrites items nobody has read.

        // ANCHOR: solution_send
        let shared = self.shared();
        // The consumer sleeps until woken, so just publish and wake it.
        let sent = shared.sent.load(Ordering::Relaxed);
        shared.slot.store(item, Ordering::Relaxed);
        shared.sent.store(sent.wrapping_add(1), Ordering::Release);
        futex_wake(&shared.sent);
        // ANCHOR_END: solution_send
