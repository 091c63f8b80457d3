//! Wrong attempt: `acquire` waits on the condition variable with `if` instead of `while`, so a woken waiter never checks the count again.

        // ANCHOR: solution_acquire
        let mut free = self.permits.lock().unwrap();
        if *free == 0 {
            free = self.freed.wait(free).unwrap();
        }
        *free -= 1;
        // ANCHOR_END: solution_acquire
