//! Wrong attempt: `add` and `update` read with `load` and write with `store`, both `SeqCst`, as two separate atomic steps.

        // ANCHOR: solution_add
        let v = self.value.load(SeqCst);
        self.value.store(v + n, SeqCst);
        // ANCHOR_END: solution_add

        // ANCHOR: solution_update
        let v = self.value.load(SeqCst);
        self.value.store(change(v), SeqCst);
        v
        // ANCHOR_END: solution_update
