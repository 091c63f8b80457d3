//! Step 7: a bounded buffer: producers wait while it is full, consumers while it is empty.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread;

use support::fmt;

// ANCHOR: buffer
/// A queue of at most `capacity` items shared by producers and consumers.
#[derive(Debug)]
pub struct BoundedBuffer<T> {
    items: Mutex<VecDeque<T>>,
    capacity: usize,
    not_full: Condvar,
    not_empty: Condvar,
}

impl<T> BoundedBuffer<T> {
    pub fn new(capacity: usize) -> Self {
        Self {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            capacity,
            not_full: Condvar::new(),
            not_empty: Condvar::new(),
        }
    }

    /// Adds an item, waiting while the buffer is full. Returns the length it
    /// left.
    pub fn put(&self, item: T) -> usize {
        let mut items = self.items.lock().unwrap();
        while items.len() == self.capacity {
            items = self.not_full.wait(items).unwrap();
        }
        items.push_back(item);
        self.not_empty.notify_one();
        items.len()
    }

    /// Takes the oldest item, waiting while the buffer is empty.
    pub fn take(&self) -> T {
        let mut items = self.items.lock().unwrap();
        while items.is_empty() {
            items = self.not_empty.wait(items).unwrap();
        }
        let item = items
            .pop_front()
            .expect("not empty: checked under the lock");
        self.not_full.notify_one();
        item
    }
}
// ANCHOR_END: buffer

/// What the step measured.
#[derive(Debug, Clone, Copy)]
pub struct Traffic {
    pub sent: u64,
    pub received: u64,
    pub sum_matches: bool,
    pub longest: usize,
    pub capacity: usize,
}

/// Two producers send `per_producer` numbers each through a buffer of `capacity`; two
/// consumers add up what they take. `None` tells a consumer to stop.
pub fn pass_through(per_producer: u64, capacity: usize) -> Traffic {
    let buffer = BoundedBuffer::new(capacity);
    let longest = AtomicUsize::new(0);
    let (received, sum) = thread::scope(|s| {
        let consumers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let (mut n, mut sum) = (0u64, 0u64);
                    while let Some(value) = buffer.take() {
                        n += 1;
                        sum += value;
                    }
                    (n, sum)
                })
            })
            .collect();
        let producers: Vec<_> = (0..2)
            .map(|p| {
                let (buffer, longest) = (&buffer, &longest);
                s.spawn(move || {
                    for i in 0..per_producer {
                        let len = buffer.put(Some(p * per_producer + i + 1));
                        longest.fetch_max(len, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        for producer in producers {
            producer.join().unwrap();
        }
        buffer.put(None);
        buffer.put(None);
        consumers
            .into_iter()
            .map(|c| c.join().unwrap())
            .fold((0, 0), |(n, t), (a, b)| (n + a, t + b))
    });
    let sent = 2 * per_producer;
    Traffic {
        sent,
        received,
        sum_matches: sum == sent * (sent + 1) / 2,
        longest: longest.into_inner(),
        capacity,
    }
}

pub fn show(per_producer: u64) {
    fmt::step("7. A bounded buffer, and why the wait is a loop");
    let t = pass_through(per_producer, 4);
    fmt::note(&format!(
        "2 producers put the numbers 1..={} through a buffer of {} slots; 2 consumers take\n\
         them and add them up; a None each tells the consumers to stop.",
        t.sent, t.capacity
    ));
    println!(
        "  received {} of {}, each exactly once (the sums match): {}",
        t.received,
        t.sent,
        support::checks::yes_no(t.received == t.sent && t.sum_matches)
    );
    println!(
        "  longest the buffer ever got: {} (never above its {} slots: {})",
        t.longest,
        t.capacity,
        support::checks::yes_no(t.longest <= t.capacity)
    );
}
