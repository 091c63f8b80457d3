//! The two futex calls (`man 2 futex`): sleep in the kernel while a 32-bit word of memory
//! holds a value, and wake whoever sleeps on it. Neither uses `FUTEX_PRIVATE_FLAG`, so the
//! word may be in memory that processes share (a `MAP_SHARED` mapping), not only threads.

use std::sync::atomic::AtomicU32;

// ANCHOR: futex
/// Sleeps until another thread or process calls [`wake`] on `word` — unless `word` no
/// longer holds `expected`, in which case it returns at once (the kernel compares and
/// sleeps in one step, so a wake-up between the caller's check and this call is not lost).
/// It may also return early (a signal, a spurious wake-up): check the word again after it.
pub fn wait(word: &AtomicU32, expected: u32) {
    // SAFETY: FUTEX_WAIT reads the aligned u32 at this address, a live `AtomicU32`; the
    // timeout pointer is null (no timeout), and the last two arguments are unused.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT,
            expected,
            std::ptr::null::<libc::timespec>(),
        );
    }
}

/// Wakes every thread or process sleeping in [`wait`] on `word`.
pub fn wake(word: &AtomicU32) {
    // SAFETY: FUTEX_WAKE only uses the address as a key; it reads no memory through it.
    unsafe {
        libc::syscall(libc::SYS_futex, word.as_ptr(), libc::FUTEX_WAKE, i32::MAX);
    }
}
// ANCHOR_END: futex

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering::SeqCst;

    #[test]
    fn a_changed_word_returns_at_once_and_a_wake_ends_a_wait() {
        let word = AtomicU32::new(1);
        wait(&word, 0); // the word is not 0: returns at once
        std::thread::scope(|s| {
            let sleeper = s.spawn(|| {
                while word.load(SeqCst) == 1 {
                    wait(&word, 1);
                }
            });
            std::thread::sleep(std::time::Duration::from_millis(20));
            word.store(2, SeqCst);
            wake(&word);
            sleeper.join().unwrap();
        });
    }
}
