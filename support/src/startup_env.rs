//! The environment this process was started with, as the kernel recorded it at `execve` —
//! not as code running in the process may since have changed it.
//!
//! proc(5) on `/proc/pid/environ`: "the initial environment that was set when the
//! currently executing program was started via execve(2) … If, after an execve(2), the
//! process modifies its environment (e.g., by calling functions such as putenv(3) or
//! modifying the environ(7) variable directly), this file will not reflect those changes."
//!
//! Grading reads its own settings here (a replay seed, the re-run marker, the IPC name
//! prefix), so a learner's `std::env::set_var` inside a test cannot change a verdict.

use std::sync::OnceLock;

/// The value of `name` in the environment this process started with.
pub fn var(name: &str) -> Option<String> {
    static AT_START: OnceLock<Vec<(String, String)>> = OnceLock::new();
    AT_START
        .get_or_init(read)
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
}

/// `/proc/self/environ`: `KEY=value` entries, each ended by a NUL byte.
fn read() -> Vec<(String, String)> {
    let bytes = std::fs::read("/proc/self/environ").unwrap_or_default();
    bytes
        .split(|&b| b == 0)
        .filter_map(|entry| {
            let text = String::from_utf8_lossy(entry);
            let (key, value) = text.split_once('=')?;
            Some((key.to_owned(), value.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variable_set_after_start_is_not_seen() {
        assert_eq!(var("PTM_NEVER_SET_AT_START"), None);
        // SAFETY: this test's process sets a variable no other thread reads.
        unsafe { std::env::set_var("PTM_NEVER_SET_AT_START", "1") };
        assert_eq!(var("PTM_NEVER_SET_AT_START"), None);
        assert!(
            var("PATH").is_some(),
            "a variable the test started with is seen"
        );
    }
}
