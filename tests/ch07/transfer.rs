use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use support::crash::is_rerun;

use crate::transfer::{Bank, TransferError};

#[test]
fn transfers_move_money_or_say_why_not() {
    let _graded = support::sealed::graded();
    let bank = Bank::new(&[100, 50, 0]);
    assert_eq!(
        bank.transfer(0, 2, 30),
        Ok(()),
        "100 → 30 from account 0 to 2"
    );
    assert_eq!(
        bank.transfer(1, 0, 50),
        Ok(()),
        "all of account 1 to account 0"
    );
    assert_eq!(
        bank.balances(),
        [120, 0, 30],
        "balances after two transfers"
    );
    let refused = [
        (
            (1, 2, 1),
            TransferError::Insufficient {
                balance: 0,
                amount: 1,
            },
        ),
        ((0, 3, 1), TransferError::NoSuchAccount(3)),
        ((7, 0, 1), TransferError::NoSuchAccount(7)),
    ];
    for ((from, to, amount), why) in refused {
        assert_eq!(
            bank.transfer(from, to, amount),
            Err(why),
            "transfer({from}, {to}, {amount}) with balances [120, 0, 30]"
        );
    }
    assert_eq!(
        bank.balances(),
        [120, 0, 30],
        "refused transfers must change nothing"
    );
    // From an account to itself: on a thread of its own, since locking one `Mutex` twice
    // may block that thread for ever.
    let (said, answer) = mpsc::channel();
    thread::spawn(move || said.send(bank.transfer(2, 2, 1)).ok());
    match answer.recv_timeout(Duration::from_secs(3)) {
        Ok(result) => assert_eq!(
            result,
            Err(TransferError::SameAccount),
            "transfer(2, 2, 1) with balances [120, 0, 30]"
        ),
        Err(_) => panic!(
            "transfer(2, 2, 1) never returned: it locked account 2 twice and waits for itself. \
             Refuse `from == to` before locking anything."
        ),
    }
}

/// This test's full name: the isolated re-run is asked for it by name.
const OPPOSITE: &str = "grading::transfer::opposite_transfers_finish_and_keep_every_coin";

#[test]
fn opposite_transfers_finish_and_keep_every_coin() {
    let _graded = support::sealed::graded();
    if !is_rerun() {
        // A deadlock would hang this test for ever: run it in a copy that can be killed.
        support::crash::isolated_test(
            OPPOSITE,
            Duration::from_secs(6),
            "transfers in opposite directions deadlocked: each held one account's lock and \
             waited for the other's. Take the two locks in one fixed order.",
        );
        return;
    }
    // Threads move coins around a ring of 3 accounts in both directions while an auditor
    // reads all balances again and again: the total must never change.
    let start = [1_000, 1_000, 1_000];
    let bank = Bank::new(&start);
    let total: u64 = start.iter().sum();
    let done = AtomicBool::new(false);
    thread::scope(|s| {
        let auditor = s.spawn(|| {
            let mut audits = 0;
            while !done.load(SeqCst) {
                let seen: u64 = bank.balances().iter().sum();
                assert_eq!(
                    seen, total,
                    "an audit during the transfers found a total that differs from the \
                     {total} put in (is the money taken and added while both locks are held?)"
                );
                audits += 1;
                thread::yield_now();
            }
            audits
        });
        let movers: Vec<_> = (0..6)
            .map(|i| {
                let bank = &bank;
                s.spawn(move || {
                    let (from, to) = if i % 2 == 0 {
                        (i % 3, (i + 1) % 3)
                    } else {
                        ((i + 1) % 3, i % 3)
                    };
                    for _ in 0..20_000 {
                        let _ = bank.transfer(from, to, 1);
                        let _ = bank.transfer(to, from, 1);
                    }
                })
            })
            .collect();
        // Stop the audit before reporting a panicked transfer, or the scope waits for it.
        let panicked = movers.into_iter().filter_map(|m| m.join().err()).next();
        done.store(true, SeqCst);
        if let Some(why) = panicked {
            std::panic::resume_unwind(why);
        }
        assert!(
            auditor.join().expect("the audit") > 0,
            "the audit never ran"
        );
    });
    assert_eq!(
        bank.balances().iter().sum::<u64>(),
        total,
        "money was created or lost"
    );
}

/// Runs `transfer(from, to, amount)` on a thread of its own and waits at most `patience`:
/// `None` when it never returned (it waits for a lock it will never get). A panic in
/// `transfer` is passed on.
fn transfer_within(
    bank: &Arc<Bank>,
    (from, to, amount): (usize, usize, u64),
    patience: Duration,
) -> Option<Result<(), TransferError>> {
    let (said, answer) = mpsc::channel();
    let bank = Arc::clone(bank);
    let worker = thread::spawn(move || said.send(bank.transfer(from, to, amount)).ok());
    match answer.recv_timeout(patience) {
        Ok(result) => Some(result),
        Err(mpsc::RecvTimeoutError::Timeout) => None,
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(_) => unreachable!("the worker ended without saying anything"),
        },
    }
}

#[test]
fn a_fixed_set_of_transfers() {
    let _graded = support::sealed::graded();
    let bank = Arc::new(Bank::new(&[100, 50, 0, 7]));
    let mut report = String::from("start: [100, 50, 0, 7]\n");
    let transfers = [
        (0, 2, 30),
        (1, 0, 50),
        (1, 2, 1),
        (0, 4, 1),
        (9, 0, 1),
        (3, 1, 7),
        (2, 3, 30),
        (0, 1, 121),
        (0, 1, 60),
    ];
    for transfer in transfers {
        let (from, to, amount) = transfer;
        let result = match transfer_within(&bank, transfer, Duration::from_secs(3)) {
            Some(result) => format!("{result:?}"),
            None => "never returned".to_string(),
        };
        report += &format!("transfer({from}, {to}, {amount}): {result}\n");
    }
    let balances = bank.balances();
    report += &format!(
        "balances: {balances:?}, total {}\n",
        balances.iter().sum::<u64>()
    );

    // Two threads move coins between accounts 0 and 1 in opposite directions, many
    // times: taking the two locks in argument order deadlocks here sooner or later.
    let (finished, finished_rx) = mpsc::channel();
    let movers: Vec<_> = [(0, 1), (1, 0)]
        .into_iter()
        .map(|(from, to)| {
            let bank = Arc::clone(&bank);
            let finished = finished.clone();
            thread::spawn(move || {
                for _ in 0..20_000 {
                    let _ = bank.transfer(from, to, 1);
                    let _ = bank.transfer(to, from, 1);
                }
                finished.send(()).ok();
            })
        })
        .collect();
    drop(finished);
    // A correct bank does these in milliseconds; 3 s leaves room for a loaded machine.
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut both_finished = true;
    for _ in &movers {
        let left = deadline.saturating_duration_since(Instant::now());
        match finished_rx.recv_timeout(left) {
            Ok(()) => {}
            Err(mpsc::RecvTimeoutError::Timeout) => both_finished = false,
            // Every mover has ended, and one without finishing: it panicked.
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                if let Some(panic) = movers.into_iter().find_map(|m| m.join().err()) {
                    std::panic::resume_unwind(panic);
                }
                unreachable!("a mover ended without finishing or panicking");
            }
        }
        if !both_finished {
            break;
        }
    }
    report += &format!(
        "opposite transfers between 0 and 1, 2 threads × 20000 × 2: no deadlock: {}\n",
        if both_finished { "yes" } else { "no" }
    );
    if both_finished {
        let balances = bank.balances();
        report += &format!(
            "balances: {balances:?}, total {}\n",
            balances.iter().sum::<u64>()
        );
    }
    // Last, on a bank of its own: a transfer that locks one account twice blocks for ever
    // with that account's lock held.
    let alone = Arc::new(Bank::new(&[5]));
    let result = match transfer_within(&alone, (0, 0, 1), Duration::from_secs(3)) {
        Some(result) => format!("{result:?}"),
        None => "never returned".to_string(),
    };
    report += &format!("on a bank of its own, [5]: transfer(0, 0, 1): {result}\n");
    support::assert_graded_snapshot!("ch07-transfer-balances", report);
}

/// The model checker (loom) runs your `transfer`, compiled over its look-alike types, under
/// every interleaving of two opposite transfers and an audit: the audit must always see
/// every coin, and the transfers must always finish. A stress test catches money "in
/// flight" only when the audit happens to look at the wrong moment; loom tries every
/// moment, and shows the one that fails.
#[test]
fn model_every_interleaving_of_two_transfers_and_an_audit() {
    let _graded = support::sealed::graded();
    use crate::model::transfer::Bank;
    use support::model::loom::{sync::Arc, thread};
    use support::model::step;
    support::model::check(
        "grading::transfer::model_every_interleaving_of_two_transfers_and_an_audit",
        || {
            let bank = Arc::new(Bank::new(&[1, 1]));
            let movers: Vec<_> = [("A", 0, 1), ("B", 1, 0)]
                .into_iter()
                .map(|(name, from, to)| {
                    let bank = bank.clone();
                    thread::spawn(move || {
                        step(format!("thread {name} calls transfer({from}, {to}, 1)"));
                        let result = bank.transfer(from, to, 1);
                        step(format!("thread {name}: transfer returned {result:?}"));
                        assert_eq!(
                            result,
                            Ok(()),
                            "transfer({from}, {to}, 1) with 1 coin in each account"
                        );
                    })
                })
                .collect();
            step("the main thread calls balances()");
            let seen = bank.balances();
            step(format!("the main thread: balances() returned {seen:?}"));
            assert_eq!(
                seen.iter().sum::<u64>(),
                2,
                "an audit during transfer(0, 1, 1) and transfer(1, 0, 1), from [1, 1], saw \
                 {seen:?}: a coin was between accounts. Hold both accounts' locks while the \
                 money moves."
            );
            for mover in movers {
                mover.join().expect("a transfer panicked");
            }
            let after = bank.balances();
            assert_eq!(
                after,
                [1, 1],
                "transfer(0, 1, 1) and transfer(1, 0, 1) from [1, 1]"
            );
        },
    );
}
