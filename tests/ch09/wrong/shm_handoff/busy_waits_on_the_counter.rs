//! Wrong attempt: waits for the counters by checking them in a loop, which burns a whole CPU while nothing arrives.

        // ANCHOR: solution_send
        let shared = self.shared();
        let sent = shared.sent.load(Ordering::Relaxed);
        // Wait for the slot to empty: the consumer will take it any moment now.
        while shared.taken.load(Ordering::Acquire) != sent {
            std::hint::spin_loop();
        }
        shared.slot.store(item, Ordering::Relaxed);
        shared.sent.store(sent.wrapping_add(1), Ordering::Release);
        // ANCHOR_END: solution_send

        // ANCHOR: solution_recv
        let shared = self.shared();
        let taken = shared.taken.load(Ordering::Relaxed);
        // Wait for the producer's count to move: checking a flag is cheap.
        while shared.sent.load(Ordering::Acquire) == taken {
            std::hint::spin_loop();
        }
        let item = shared.slot.load(Ordering::Relaxed);
        shared.taken.store(taken.wrapping_add(1), Ordering::Release);
        item
        // ANCHOR_END: solution_recv
