use std::time::{Duration, Instant};

use support::crash::is_rerun;
use support::seeded::{self, Rng};

use crate::shm_handoff::Mailbox;

const LIMIT: Duration = Duration::from_secs(8);

const ON_TIMEOUT: &str = "does every wait sleep in futex_wait only while the word still \
    holds the value you just loaded, and does every change of `sent` or `taken` come \
    with a futex_wake on that word?";

/// Items the producer sends slowly (one every `SLOW_GAP`), while the consumer's CPU time
/// is measured, then quickly (no pause) while the consumer takes its time.
const SLOW_ITEMS: usize = 25;
const SLOW_GAP: Duration = Duration::from_millis(12);
const FAST_ITEMS: usize = 300;

#[test]
fn hands_over_every_item_once_in_order_without_spinning() {
    let _graded = support::sealed::graded();
    if is_rerun() {
        let seed = seeded::fresh();
        let mut rng = Rng::new(seed);
        let items: Vec<u64> = (0..SLOW_ITEMS + FAST_ITEMS)
            .map(|_| rng.between(1, u64::MAX - 1))
            .collect();
        super::report("SEED", seed);
        let mailbox = Mailbox::create().expect("Mailbox::create");
        super::report("SHM_AFTER_CREATE", format!("{:?}", super::shm_leftovers()));
        let producer = support::child::fork_in_isolated_test(|| {
            for (index, item) in items.iter().enumerate() {
                if index < SLOW_ITEMS {
                    std::thread::sleep(SLOW_GAP);
                }
                mailbox.send(*item);
            }
            0
        })
        .expect("fork");

        let (cpu_before, start) = (super::thread_cpu(), Instant::now());
        let mut received: Vec<u64> = (0..SLOW_ITEMS).map(|_| mailbox.recv()).collect();
        let (cpu, wall) = (super::thread_cpu() - cpu_before, start.elapsed());
        for index in 0..FAST_ITEMS {
            // A slow consumer at first: the producer must wait for the slot to empty.
            if index < 20 {
                std::thread::sleep(Duration::from_millis(2));
            }
            received.push(mailbox.recv());
        }
        let status = producer.wait().expect("wait for the producer");
        super::report(
            "PRODUCER_OK",
            matches!(status, nix::sys::wait::WaitStatus::Exited(_, 0)),
        );
        super::report("PRODUCER", support::child::describe(&status));
        let first_wrong = received
            .iter()
            .zip(&items)
            .position(|(got, sent)| got != sent);
        super::report(
            "FIRST_WRONG",
            match first_wrong {
                None => "none".to_owned(),
                Some(at) => format!(
                    "item {at}: expected {}, yours received {} (and the items sent \
                     around it were {:?})",
                    items[at],
                    received[at],
                    &items[at.saturating_sub(1)..(at + 2).min(items.len())]
                ),
            },
        );
        super::report("CPU_MICROS", cpu.as_micros());
        super::report("WALL_MICROS", wall.as_micros());
        drop(mailbox);
        super::report("SHM_AT_END", format!("{:?}", super::shm_leftovers()));
        super::report("NO_CHILD_LEFT", support::crash::no_child_left());
        return;
    }
    let run = super::isolated(
        "grading::shm_handoff::hands_over_every_item_once_in_order_without_spinning",
        LIMIT,
        ON_TIMEOUT,
    );
    let seed = super::reported(&run, "SEED");
    let input = format!(
        "{SLOW_ITEMS} items sent one every {SLOW_GAP:?}, then {FAST_ITEMS} at once (seed \
         {seed}, replay with PTM_SEED={seed})"
    );
    assert_eq!(
        super::reported(&run, "SHM_AFTER_CREATE"),
        "[]",
        "after Mailbox::create, /dev/shm still holds its object: shm_unlink the name once \
         the object is mapped"
    );
    assert!(
        super::reported(&run, "PRODUCER_OK") == "true",
        "{input}: the producer (a child calling send) should exit with status 0; it ended {}",
        super::reported(&run, "PRODUCER")
    );
    assert_eq!(
        super::reported(&run, "FIRST_WRONG"),
        "none",
        "{input}: every item must arrive exactly once, in order. Does send wait until the \
         slot is empty before writing, and does recv wait for `sent` to move before it \
         reads the slot?"
    );
    let cpu: u64 = super::reported(&run, "CPU_MICROS")
        .parse()
        .expect("a number");
    let wall: u64 = super::reported(&run, "WALL_MICROS")
        .parse()
        .expect("a number");
    // Asleep in the kernel, a waiting consumer uses a few microseconds per item (about
    // 0.1 % of the wait, measured on a loaded 2-core machine); a spinning one uses whatever
    // CPU it is given: its whole wait on an idle machine, and 8 to 13 % of it with six
    // busy loops beside it on 2 cores.
    assert!(
        cpu * 50 < wall,
        "{input}: while recv waited {} ms for the slow items, its thread used {} ms of \
         CPU: expected less than 2 % of the wait. recv must sleep in futex_wait while \
         nothing has been sent, not check `sent` again and again",
        wall / 1000,
        cpu / 1000
    );
    assert_eq!(
        super::reported(&run, "SHM_AT_END"),
        "[]",
        "nothing of the run may be left in /dev/shm"
    );
    assert_eq!(
        super::reported(&run, "NO_CHILD_LEFT"),
        "true",
        "the test's producer child was not reaped"
    );
}

#[test]
fn starts_empty_and_shares_across_fork() {
    let _graded = support::sealed::graded();
    if is_rerun() {
        let mailbox = Mailbox::create().expect("Mailbox::create");
        let shared = mailbox.shared();
        super::report(
            "START",
            format!(
                "sent {}, taken {}, slot {}",
                shared.sent.load(std::sync::atomic::Ordering::SeqCst),
                shared.taken.load(std::sync::atomic::Ordering::SeqCst),
                shared.slot.load(std::sync::atomic::Ordering::SeqCst)
            ),
        );
        let child = support::child::fork_in_isolated_test(|| {
            mailbox
                .shared()
                .slot
                .store(42, std::sync::atomic::Ordering::SeqCst);
            0
        })
        .expect("fork");

        child.wait().expect("wait");
        super::report(
            "SEEN",
            mailbox
                .shared()
                .slot
                .load(std::sync::atomic::Ordering::SeqCst),
        );
        return;
    }
    let run = super::isolated(
        "grading::shm_handoff::starts_empty_and_shares_across_fork",
        LIMIT,
        ON_TIMEOUT,
    );
    let report = format!(
        "a new mailbox: {}\nslot after a child stored 42: {}\n",
        super::reported(&run, "START"),
        super::reported(&run, "SEEN")
    );
    support::assert_graded_snapshot!("ch09-shm_handoff-shared", report);
}

/// The model checker (loom) runs your `send` and `recv`, compiled over its look-alike
/// atomics, on two threads under every interleaving and every value the C11 memory model
/// lets each atomic load return. On x86 a `Relaxed` where `Release`/`Acquire` is needed
/// still works in practice (its stores are not reordered with each other); the memory
/// model does not promise it, ARM does reorder them, and loom finds the load that sees the
/// old slot on every run.
#[test]
fn model_every_interleaving_and_every_allowed_value() {
    let _graded = support::sealed::graded();
    use crate::model::shm_handoff::{Mailbox, Shared};
    use support::model::loom::{sync::Arc, thread};
    use support::model::step;
    support::model::check(
        "grading::shm_handoff::model_every_interleaving_and_every_allowed_value",
        || {
            let shared = Arc::new(Shared::default());
            let producer = {
                let shared = shared.clone();
                thread::spawn(move || {
                    // SAFETY: `shared` lives until the end of this closure, after the mailbox.
                    let mailbox = unsafe { Mailbox::over(&shared) };
                    for item in [7, 8] {
                        step(format!("the producer calls send({item})"));
                        mailbox.send(item);
                        step(format!("the producer: send({item}) returned"));
                    }
                })
            };
            // SAFETY: `shared` lives until the end of this closure, after the mailbox.
            let mailbox = unsafe { Mailbox::over(&shared) };
            for expected in [7, 8] {
                step("the consumer calls recv()");
                let got = mailbox.recv();
                step(format!("the consumer: recv() returned {got}"));
                assert_eq!(
                    got, expected,
                    "the consumer received {got} where {expected} was sent. Can it see the new \
                     `sent` and still read the slot from before the item was written? Only if \
                     the store that raises `sent` is `Release` and the load that sees it is \
                     `Acquire` does the item written before come with it."
                );
            }
            producer.join().expect("the producer panicked");
        },
    );
}
