//! Wrong attempt: `transfer` locks the `from` account and then the `to` account, in argument order.

        // ANCHOR: solution
        for account in [from, to] {
            if account >= self.accounts.len() {
                return Err(TransferError::NoSuchAccount(account));
            }
        }
        if from == to {
            return Err(TransferError::SameAccount);
        }
        let mut source = self.accounts[from].lock().unwrap();
        let mut target = self.accounts[to].lock().unwrap();
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
