//! Wrong attempt: `update` tries `compare_exchange` once and gives up when another thread changed the counter first, instead of retrying.

        // ANCHOR: solution_update
        let v = self.value.load(SeqCst);
        let _ = self.value.compare_exchange(v, change(v), SeqCst, SeqCst);
        v
        // ANCHOR_END: solution_update
