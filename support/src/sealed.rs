//! Test results that the code under test cannot forge: each line a test process reports is
//! sealed with a tag made from a key that only the process which started it knows.
//!
//! Whoever needs to know which tests passed — the grader, or a test that re-runs itself in a
//! fresh process ([`crate::crash::rerun_test`]) — makes a [`Seal`] and hands it to the
//! command it starts. The started process gets two inherited descriptors, named by the
//! [`ENV`] variable: one holding a random 128-bit key, and a write-only one for results.
//! The first grading test to start (`let _graded = support::sealed::graded();`, the first
//! line of every grading test) reads the key, closes that descriptor, marks the results
//! descriptor close-on-exec, and installs a panic hook that reports every panic there too.
//! When a test's body returns without panicking, its guard writes `<tag> ok <test>`, where
//! the tag is SipHash-2-4 of the line under the key: a keyed pseudorandom function built
//! for authenticating short messages (Aumasson and Bernstein, "SipHash: a fast short-input
//! PRF", 2012). Code that reopens the results file through `/proc/self/fd` and reads the
//! lines already there learns tags, not the key, and no tag serves another line.
//!
//! What this stops: learner code that prints `test … ok` or `test result: ok` (its stdout
//! is not the results channel), that writes `ok <test>` into an inherited descriptor (no
//! tag), that reads the lines already reported back (no key), that sets `INSTA_*`, `RUST_TEST_*` or `PTM_*` variables (the channel is found
//! from the environment the process *started* with, see [`crate::startup_env`]), or that
//! calls `exit(0)` before its tests end (no `ok` for them). A panic's message still reaches
//! the grader when the code has closed its stdout and stderr.
//!
//! What it cannot stop, and does not try to: code that reads the key from the test
//! process's own memory, that runs before `main` (an `.init_array` entry) to read it first,
//! or that reaches into another process's descriptors through `/proc/<pid>/fd` —
//! deliberate attacks on the harness, not mistakes or shortcuts.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::sync::{Mutex, Once, OnceLock};

/// The variable naming the two descriptors: `<key fd>,<results fd>`.
pub const ENV: &str = "PTM_SEALED";

/// Hex digits of a key as it is handed over: 128 random bits.
const SECRET_LEN: usize = 32;

/// The starting side: a fresh key, and the file the started process reports into.
pub struct Seal {
    key: [u8; 16],
    /// The read end of a pipe already holding the key; the child's copy is its only use.
    secret_for_child: OwnedFd,
    /// Write-only and appending: the child can add lines but never read what is there.
    results_for_child: File,
    /// The same (already unlinked) file, for reading the results back.
    results: File,
}

impl std::fmt::Debug for Seal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seal").finish_non_exhaustive() // never the key
    }
}

impl Seal {
    pub fn new() -> io::Result<Seal> {
        let mut key = [0u8; SECRET_LEN / 2];
        File::open("/dev/urandom")?.read_exact(&mut key)?;
        let (secret_for_child, mut give) = std::io::pipe()?;
        give.write_all(hex(&key).as_bytes())?;
        drop(give); // 32 bytes fit in any pipe's buffer; the reader gets them, then EOF
        let (results, results_for_child) = unlinked_file()?;
        Ok(Seal {
            key,
            secret_for_child: secret_for_child.into(),
            results_for_child,
            results,
        })
    }

    /// Makes `command` start with the two descriptors and [`ENV`] naming them. Both stay
    /// close-on-exec here (Rust opens every descriptor so), so no other program this
    /// process starts inherits them; only in `command`'s child, between fork and exec, is
    /// the flag taken off.
    pub fn hand_to(&self, command: &mut Command) {
        let secret_fd = self.secret_for_child.as_raw_fd();
        let results_fd = self.results_for_child.as_raw_fd();
        command.env(ENV, format!("{secret_fd},{results_fd}"));
        // SAFETY: runs in the forked child before exec and only calls fcntl(2), which is
        // async-signal-safe, on two descriptors this Seal keeps open until after the spawn.
        unsafe {
            command.pre_exec(move || {
                for fd in [secret_fd, results_fd] {
                    if libc::fcntl(fd, libc::F_SETFD, 0) == -1 {
                        return Err(io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
    }

    /// The lines the started process (and any process it forked) reported, each without
    /// its tag; a line whose tag is not the key's for it was not written by a grading
    /// test, and is dropped.
    pub fn reports(&mut self) -> io::Result<Vec<String>> {
        self.results.rewind()?;
        let mut bytes = Vec::new();
        self.results.read_to_end(&mut bytes)?;
        Ok(String::from_utf8_lossy(&bytes)
            .lines()
            .filter_map(|line| {
                let (tag, body) = line.split_once(' ')?;
                (tag == self::tag(&self.key, body)).then(|| unescape(body))
            })
            .collect())
    }
}

/// The test names that reported `ok` among `reports`.
pub fn passed(reports: &[String]) -> impl Iterator<Item = &str> {
    reports.iter().filter_map(|line| line.strip_prefix("ok "))
}

/// The panics reported among `reports`: `thread '<name>' panicked at <where>:\n<message>`.
pub fn panics(reports: &[String]) -> impl Iterator<Item = &str> {
    reports
        .iter()
        .filter_map(|line| line.strip_prefix("panic "))
}

/// A grading test's guard: bind it first in the test (`let _graded = graded();`). When the
/// test's body ends without a panic, it reports `ok <test name>` on the sealed channel,
/// if this process was given one; otherwise it does nothing.
#[must_use = "bind it with `let _graded = ...`: dropped at once, it reports nothing"]
#[derive(Debug)]
pub struct Graded {
    test: Option<String>,
}

pub fn graded() -> Graded {
    let test = channel().and_then(|_| std::thread::current().name().map(str::to_owned));
    static HOOK: Once = Once::new();
    if channel().is_some() {
        HOOK.call_once(report_panics);
    }
    Graded { test }
}

impl Drop for Graded {
    fn drop(&mut self) {
        if let (false, Some(test)) = (std::thread::panicking(), &self.test) {
            send(&format!("ok {test}"));
        }
    }
}

/// Reports `line` on the sealed channel, if this process has one; true if it was sent.
pub fn send(line: &str) -> bool {
    let Some(channel) = channel() else {
        return false;
    };
    let body = escape(line);
    let sealed = format!("{} {body}\n", tag(&channel.key, &body));
    let mut results = channel.results.lock().unwrap_or_else(|e| e.into_inner());
    // One write of the whole line, so lines of several threads or forked processes sharing
    // the (appending) descriptor never mix.
    results.write_all(sealed.as_bytes()).is_ok()
}

struct Channel {
    key: [u8; 16],
    results: Mutex<File>,
}

/// The tag of one (escaped) report line: SipHash-2-4 under `key`, as 32 hex digits.
fn tag(key: &[u8; 16], body: &str) -> String {
    use siphasher::sip128::Hasher128;
    use std::hash::Hasher;
    let mut hasher = siphasher::sip128::SipHasher24::new_with_key(key);
    hasher.write(body.as_bytes());
    format!("{:032x}", hasher.finish128().as_u128())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn channel() -> Option<&'static Channel> {
    static CHANNEL: OnceLock<Option<Channel>> = OnceLock::new();
    CHANNEL.get_or_init(open).as_ref()
}

/// Takes the descriptors named in the environment this process *started* with.
fn open() -> Option<Channel> {
    let named = crate::startup_env::var(ENV)?;
    let (secret_fd, results_fd) = named.split_once(',')?;
    let (secret_fd, results_fd): (RawFd, RawFd) =
        (secret_fd.parse().ok()?, results_fd.parse().ok()?);
    if !is_open(secret_fd) || !is_open(results_fd) {
        return None; // a program that inherited the variable but not the descriptors
    }
    // SAFETY: the process that started this one handed these two descriptors to it for this
    // use alone ([`Seal::hand_to`]); nothing else here opened them, so owning them is sound.
    let (mut secret_file, results) =
        unsafe { (File::from_raw_fd(secret_fd), File::from_raw_fd(results_fd)) };
    let mut secret = String::new();
    (&mut secret_file)
        .take(SECRET_LEN as u64)
        .read_to_string(&mut secret)
        .ok()?;
    drop(secret_file); // no code run later can read the key from a descriptor
    // SAFETY: fcntl(2) on a descriptor this process owns; sets close-on-exec so programs
    // this process starts never inherit the results channel.
    unsafe { libc::fcntl(results.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) };
    let mut key = [0u8; SECRET_LEN / 2];
    for (byte, pair) in key.iter_mut().zip(secret.as_bytes().chunks(2)) {
        *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    (secret.len() == SECRET_LEN).then(|| Channel {
        key,
        results: Mutex::new(results),
    })
}

fn is_open(fd: RawFd) -> bool {
    // SAFETY: F_GETFD only reads the descriptor's flags; a closed one gives EBADF.
    unsafe { libc::fcntl(fd, libc::F_GETFD) != -1 }
}

/// Reports every panic, on any thread, before the usual hook prints it: the message then
/// reaches the grader even if the code closed its stdout and stderr, or the process dies.
fn report_panics() {
    let usual = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let thread = std::thread::current();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "Box<dyn Any>".to_owned());
        // A grading test compiled into a crate names its file `<crate>/src/../../../tests/…`:
        // named from the repository's root instead.
        let at = info.location().map_or_else(String::new, |l| {
            let file = l.file();
            let file = file
                .find("src/../../../")
                .map_or(file, |cut| &file[cut + 13..]);
            format!(" at {file}:{}:{}", l.line(), l.column())
        });
        send(&format!(
            "panic thread '{}' panicked{at}:\n{message}",
            thread.name().unwrap_or("<unnamed>")
        ));
        usual(info);
    }));
}

/// One line per report: a backslash and a newline inside it are written `\\` and `\n`.
fn escape(line: &str) -> String {
    line.replace('\\', "\\\\").replace('\n', "\\n")
}

fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

/// An open, already-deleted temporary file ([`crate::crash::capture_file`]), twice:
/// read-write for this process, and write-only appending for the child, opened anew
/// through `/proc/self/fd` so the two do not share an access mode.
fn unlinked_file() -> io::Result<(File, File)> {
    let file = crate::crash::capture_file()?;
    let appending = OpenOptions::new()
        .append(true)
        .open(format!("/proc/self/fd/{}", file.as_raw_fd()))?;
    Ok((file, appending))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_one_report_on_one_line() {
        for text in ["plain", "two\nlines", "back\\slash\\n", "end\\"] {
            let escaped = escape(text);
            assert!(!escaped.contains('\n'));
            assert_eq!(unescape(&escaped), text);
        }
    }

    #[test]
    fn only_lines_tagged_under_the_key_are_reports() {
        let mut seal = Seal::new().unwrap();
        let good = format!("{} ok grading::a::b\n", tag(&seal.key, "ok grading::a::b"));
        // What code that read the file back could try: another line under a seen tag.
        let copied = good.replace("grading::a::b", "grading::a::c");
        for line in [good.as_str(), &copied, "ok grading::a::d\n"] {
            seal.results_for_child.write_all(line.as_bytes()).unwrap();
        }
        seal.results_for_child
            .write_all(b"00000000000000000000000000000000 ok grading::a::e\n")
            .unwrap();
        let reports = seal.reports().unwrap();
        assert_eq!(passed(&reports).collect::<Vec<_>>(), ["grading::a::b"]);
    }

    #[test]
    fn the_child_cannot_read_the_results_back() {
        let mut seal = Seal::new().unwrap();
        let mut read = [0u8; 1];
        assert!(seal.results_for_child.read(&mut read).is_err());
    }
}
