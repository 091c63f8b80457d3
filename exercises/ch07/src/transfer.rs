//! Exercise `transfer`: move money between accounts, with no deadlock and no money lost.
//!
//! Each account has a lock of its own, so transfers between different accounts can run at
//! the same time. A transfer must hold *both* accounts' locks while it moves the money:
//! if it takes from one, lets go, and only then adds to the other, anyone who looks in
//! between (the bank's audit, [`Bank::balances`]) sees money that exists nowhere.
//!
//! Holding two locks brings a new danger. If one thread moves money from account 0 to
//! account 1 and locks 0 then 1, while another moves money from 1 to 0 and locks 1 then 0,
//! each can end up holding one lock and waiting for the other, forever: a *deadlock*. It
//! takes four things at once (the Coffman conditions): locks held exclusively, held while
//! waiting for another, never taken away, and a cycle of threads each waiting for the
//! next. Break any one and there is no deadlock. The usual break is the cycle: every
//! thread takes locks in one global order, here the lower-numbered account first, so no
//! thread ever waits for a lock "below" one it holds.
//!
//! One more trap: a transfer from an account to itself would lock the same `Mutex` twice
//! on one thread, which the [`Mutex::lock`] documentation says "might panic or deadlock".
//! Refuse it before locking anything.
//!
//! Your code goes between the `// ANCHOR: solution` and `// ANCHOR_END: solution` lines
//! below, in place of `todo!()`. To Rust they are ordinary comments; they mark the part of
//! the file that is yours (the reference solution in `solutions/` differs from this file
//! only there), so leave them where they are.

use super::sync::Mutex;

/// Why a transfer was refused. A refused transfer changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferError {
    /// There is no account with this number.
    NoSuchAccount(usize),
    /// `from` and `to` are the same account.
    SameAccount,
    /// The account `from` holds less than the amount.
    Insufficient { balance: u64, amount: u64 },
}

/// Accounts numbered from 0, each behind its own lock.
#[derive(Debug)]
pub struct Bank {
    accounts: Vec<Mutex<u64>>,
}

impl Bank {
    /// A bank whose account `i` starts with `balances[i]`.
    pub fn new(balances: &[u64]) -> Self {
        Bank {
            accounts: balances.iter().map(|&b| Mutex::new(b)).collect(),
        }
    }

    /// Every account's balance at one moment: all the locks are taken, lowest number
    /// first (the same order `transfer` must use), before any is read.
    pub fn balances(&self) -> Vec<u64> {
        let guards: Vec<_> = self.accounts.iter().map(|a| a.lock().unwrap()).collect();
        guards.iter().map(|g| **g).collect()
    }

    /// Moves `amount` from account `from` to account `to`, holding both accounts' locks
    /// while it does, taken lower-numbered account first. Checks, in this order, that both
    /// accounts exist (`NoSuchAccount`, naming the first missing one), that they differ
    /// (`SameAccount`) and that `from` holds at least `amount` (`Insufficient`).
    pub fn transfer(&self, from: usize, to: usize, amount: u64) -> Result<(), TransferError> {
        // ANCHOR: solution
        todo!("write this, then run `cargo xtask grade`")
        // ANCHOR_END: solution
    }
}
