//! Wrong attempt: `update` is a correct compare-and-swap loop, but `add` is still a `load` then a `store`.

        // ANCHOR: solution_add
        let v = self.value.load(SeqCst);
        self.value.store(v + n, SeqCst);
        // ANCHOR_END: solution_add

        // ANCHOR: solution_update
        let mut seen = self.value.load(SeqCst);
        loop {
            match self.value.compare_exchange(seen, change(seen), SeqCst, SeqCst) {
                Ok(replaced) => return replaced,
                Err(now) => seen = now,
            }
        }
        // ANCHOR_END: solution_update
