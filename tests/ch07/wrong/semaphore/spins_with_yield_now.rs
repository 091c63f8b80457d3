//! Wrong attempt: `acquire` waits by yielding in a loop and looking again, never sleeping on the `Condvar`.

        // ANCHOR: solution_acquire
        loop {
            let mut free = self.permits.lock().unwrap();
            if *free > 0 {
                *free -= 1;
                return;
            }
            drop(free);
            std::thread::yield_now(); // let another thread release, then look again
        }
        // ANCHOR_END: solution_acquire
