//! Wrong attempt: `acquire` waits in one lock scope until a permit is free, lets go of the lock, and takes the permit in a second lock scope.

        // ANCHOR: solution_acquire
        {
            let mut free = self.permits.lock().unwrap();
            while *free == 0 {
                free = self.freed.wait(free).unwrap();
            }
        }
        *self.permits.lock().unwrap() -= 1;
        // ANCHOR_END: solution_acquire
