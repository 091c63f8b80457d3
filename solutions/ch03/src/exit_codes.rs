//! Exercise `exit_codes`: fork several children and collect how each one ended.
//!
//! A parent learns how a child ended only by *waiting* for it: `waitpid(pid, None)` blocks
//! until that child ends and returns a [`WaitStatus`]; `wait()` does the same for
//! whichever child ends first. Until then, an ended child is a zombie.
//!
//! Here child `i` exits with status `codes[i]`, and the children end in *reverse* order
//! (the last one first), so the order in which they end is not the order you made them.
//!
//! The tests run your code in a separate process (forking from a test's thread is only
//! safe for code like [`child_body`]), with a time limit.
//!
//! Your code goes between the `// ANCHOR: solution` and `// ANCHOR_END: solution` lines
//! below, in place of `todo!()`. To Rust they are ordinary comments; they mark the part of
//! the file that is yours (the reference solution in `solutions/` differs from this file
//! only there), so leave them where they are.

use std::time::Duration;

use nix::sys::wait::WaitStatus;

/// What child number `index` (of `count`) does: sleeps so that later children end first,
/// then exits with status `code`. It never returns. Call it in the child right after
/// `fork`; it uses only calls that are safe in a forked child (`nanosleep`, `_exit`).
pub fn child_body(index: usize, count: usize, code: u8) -> ! {
    std::thread::sleep(Duration::from_millis(15 * (count - index) as u64));
    // SAFETY: `_exit` ends the child at once; nothing of the parent's copy runs again.
    unsafe { libc::_exit(i32::from(code)) }
}

/// Forks one child per entry of `codes` (child `i` runs `child_body(i, codes.len(),
/// codes[i])`), waits for every one of them, and returns their exit statuses **in the
/// order of `codes`** (not the order they ended in).
///
/// - Use `unsafe { nix::unistd::fork() }` with a `// SAFETY:` comment: the child only
///   calls `child_body`.
/// - A child killed by a signal instead counts as `-(signal number)`.
/// - Leave no zombie: when this returns, every child has been waited for.
/// - If `fork` fails, return its error (after waiting for the children already made).
pub fn collect_exit_codes(codes: &[u8]) -> nix::Result<Vec<i32>> {
    // ANCHOR: solution
    let mut children = Vec::new();
    for (index, &code) in codes.iter().enumerate() {
        // SAFETY: the child runs only `child_body`: a sleep and `_exit`.
        match unsafe { nix::unistd::fork() } {
            Ok(nix::unistd::ForkResult::Child) => child_body(index, codes.len(), code),
            Ok(nix::unistd::ForkResult::Parent { child }) => children.push(child),
            Err(error) => {
                for child in children {
                    let _ = nix::sys::wait::waitpid(child, None);
                }
                return Err(error);
            }
        }
    }
    children
        .into_iter()
        .map(|child| match nix::sys::wait::waitpid(child, None)? {
            WaitStatus::Exited(_, code) => Ok(code),
            WaitStatus::Signaled(_, signal, _) => Ok(-(signal as i32)),
            other => unreachable!("waitpid without flags reports only ends: {other:?}"),
        })
        .collect()
    // ANCHOR_END: solution
}
