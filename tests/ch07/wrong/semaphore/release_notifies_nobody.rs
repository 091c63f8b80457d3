//! Wrong attempt: `release` adds the permit back but notifies no waiter, so threads asleep in `acquire` never wake.

        // ANCHOR: solution_release
        *self.permits.lock().unwrap() += 1;
        // ANCHOR_END: solution_release
