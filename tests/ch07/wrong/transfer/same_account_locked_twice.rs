//! Wrong attempt: `transfer` locks in a fixed order but does not refuse a transfer from an account to itself, so it locks the same `Mutex` twice.

        // ANCHOR: solution
        for account in [from, to] {
            if account >= self.accounts.len() {
                return Err(TransferError::NoSuchAccount(account));
            }
        }
        let (first, second) = (from.min(to), from.max(to));
        let mut low = self.accounts[first].lock().unwrap();
        let mut high = self.accounts[second].lock().unwrap();
        let (source, target) = if from < to {
            (&mut *low, &mut *high)
        } else {
            (&mut *high, &mut *low)
        };
        if *source < amount {
            return Err(TransferError::Insufficient {
                balance: *source,
                amount,
            });
        }
        *source -= amount;
        *target += amount;
        Ok(())
        // ANCHOR_END: solution
