//! Wrong attempt: `acquire` takes the permit count's lock and, to be safe, lets only one thread hold a permit at a time whatever the count.

        // ANCHOR: solution_acquire
        let mut free = self.permits.lock().unwrap();
        while *free == 0 {
            free = self.freed.wait(free).unwrap();
        }
        // One holder at a time is surely safe: take every permit.
        *free = 0;
        // ANCHOR_END: solution_acquire

        // ANCHOR: solution_release
        let mut free = self.permits.lock().unwrap();
        *free = 1;
        self.freed.notify_one();
        // ANCHOR_END: solution_release
