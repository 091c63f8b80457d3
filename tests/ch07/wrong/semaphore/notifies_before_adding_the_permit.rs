//! Wrong attempt: `release` wakes a waiter first and gives the permit back after, so a waiter that wakes in between finds no permit, sleeps again, and nobody wakes it for the one that arrives.

        // ANCHOR: solution_release
        self.freed.notify_one();
        *self.permits.lock().unwrap() += 1;
        // ANCHOR_END: solution_release
