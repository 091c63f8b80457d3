//! Unique names for named IPC objects (POSIX shared memory, message queues, semaphores).
//!
//! Such objects outlive the process that made them unless unlinked. Every name made here
//! starts with the run's prefix — `PTM_RUN_PREFIX`, which the grader sets for each
//! exercise and sweeps afterwards, or `ptm-<pid>-` otherwise — so anything left behind can
//! be found and removed.

use std::sync::atomic::{AtomicU32, Ordering};

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A name like `/ptm-4242-shm-0`, unique within this run: the leading slash is what
/// `shm_open` and `mq_open` expect.
pub fn unique(kind: &str) -> String {
    let prefix = crate::startup_env::var("PTM_RUN_PREFIX")
        .unwrap_or_else(|| format!("ptm-{}-", std::process::id()));
    format!("/{prefix}{kind}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_prefixed_and_distinct() {
        let (a, b) = (super::unique("shm"), super::unique("shm"));
        assert!(a.starts_with("/ptm-") && a.contains("shm-"), "{a}");
        assert_ne!(a, b);
    }
}
