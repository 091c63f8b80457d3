//! Exercise `ancestry`: follow a process's parents up to the root of the process tree.
//!
//! Every process but the first has a parent: the process that created it. Following
//! parent links from any process leads to PID 1 (`init`, or `systemd`, or a container's
//! first process), whose parent is 0 — "no process".
//!
//! Your code goes between the `// ANCHOR: solution` and `// ANCHOR_END: solution` lines
//! below, in place of `todo!()`. To Rust they are ordinary comments; they mark the part of
//! the file that is yours (the reference solution in `solutions/` differs from this file
//! only there), so leave them where they are.

use std::fmt;

/// Why the chain of parents could not be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AncestryError {
    /// `parent_of(pid)` failed (the process exited, or its entry could not be read).
    Lookup { pid: i32, reason: String },
    /// The chain came back to a PID already in it. Real process trees have no cycles,
    /// but a PID can be reused by a new process while you walk, so never loop forever.
    Cycle { pid: i32 },
}

impl fmt::Display for AncestryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Lookup { pid, reason } => {
                write!(f, "could not find the parent of {pid}: {reason}")
            }
            Self::Cycle { pid } => write!(f, "PID {pid} appears twice: the chain loops"),
        }
    }
}

/// Returns `pid`, its parent, its grandparent, ... ending with the first process whose
/// parent is 0 (for a normal process, that is PID 1).
///
/// `parent_of` answers "what is the parent of this PID?"; the tests pass both made-up
/// process tables and the real `/proc`, so use only `parent_of` to learn about parents.
///
/// - A `pid` whose parent is 0 gives a chain of just `[pid]`.
/// - If `parent_of` fails, return [`AncestryError::Lookup`] with the PID asked about and
///   the error's text.
/// - If a PID would appear a second time, stop with [`AncestryError::Cycle`] naming it.
pub fn ancestry(
    pid: i32,
    mut parent_of: impl FnMut(i32) -> Result<i32, String>,
) -> Result<Vec<i32>, AncestryError> {
    // ANCHOR: solution
    let mut chain = vec![pid];
    let mut current = pid;
    loop {
        let parent = parent_of(current).map_err(|reason| AncestryError::Lookup {
            pid: current,
            reason,
        })?;
        if parent == 0 {
            return Ok(chain);
        }
        if chain.contains(&parent) {
            return Err(AncestryError::Cycle { pid: parent });
        }
        chain.push(parent);
        current = parent;
    }
    // ANCHOR_END: solution
}
