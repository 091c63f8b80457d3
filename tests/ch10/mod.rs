//! Grading tests for chapter 10. Each submodule grades the exercise of the same name, and
//! is compiled into both `exercises-10` (grading) and `solutions-10` (verification).

mod channel_pipeline;
mod par_map;
mod pool;
mod server;

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Runs `work` on a thread and returns its result. Panics, saying `stuck` (what probably
/// keeps it from ending), if it has not finished within `patience`, or with the work's own
/// panic message if it panicked.
fn within_patience<R: Send + 'static>(
    what: &str,
    patience: Duration,
    stuck: &str,
    work: impl FnOnce() -> R + Send + 'static,
) -> R {
    let (done_tx, done_rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        done_tx.send(work()).ok();
    });
    match done_rx.recv_timeout(patience) {
        Ok(result) => {
            worker.join().ok();
            result
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what}: not finished within {patience:?}. {stuck}")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let why = worker.join().err();
            let why = why
                .as_ref()
                .and_then(|p| {
                    p.downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                })
                .unwrap_or_default();
            panic!("{what}: panicked: {why}")
        }
    }
}
