//! Wrong attempt: `transfer` avoids deadlock by holding one lock at a time: it takes the money under `from`'s lock, lets go, then adds it under `to`'s lock.

        // ANCHOR: solution
        for account in [from, to] {
            if account >= self.accounts.len() {
                return Err(TransferError::NoSuchAccount(account));
            }
        }
        if from == to {
            return Err(TransferError::SameAccount);
        }
        {
            let mut source = self.accounts[from].lock().unwrap();
            if *source < amount {
                return Err(TransferError::Insufficient {
                    balance: *source,
                    amount,
                });
            }
            *source -= amount;
        }
        *self.accounts[to].lock().unwrap() += amount;
        Ok(())
        // ANCHOR_END: solution
