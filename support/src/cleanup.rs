//! Named IPC objects that are removed on exit, on panic and on Ctrl-C.
//!
//! A FIFO, a socket file, a POSIX shared-memory object or a message queue lives on after
//! the process that made it, until someone unlinks it. A [`Named`] guard unlinks its object
//! when dropped (a normal return or a panic's unwinding). A Ctrl-C ends the process without
//! unwinding, so every guard's name is also kept in a fixed table that [`remove_all`]
//! walks; `support::child`'s Ctrl-C handler calls it after reaping the children. The
//! table is atomics and leaked C strings only, so a signal handler may read it.

use std::ffi::{CString, c_char};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicPtr, AtomicU8, Ordering};

/// What kind of name an entry is, which says how to remove it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    /// A file system entry that is not a directory (file, FIFO, socket): `unlink(2)`.
    Path = 1,
    /// An empty directory: `rmdir(2)`; removed after the entries listed before it.
    Dir = 2,
    /// A POSIX shared-memory object: `shm_unlink(3)`.
    Shm = 3,
    /// A POSIX message queue: `mq_unlink(3)`.
    Mq = 4,
}

const SLOTS: usize = 128;
static NAMES: [AtomicPtr<c_char>; SLOTS] = [const { AtomicPtr::new(std::ptr::null_mut()) }; SLOTS];
static KINDS: [AtomicU8; SLOTS] = [const { AtomicU8::new(0) }; SLOTS];

/// A registered name, removed when the guard is dropped.
#[derive(Debug)]
pub struct Named {
    slot: Option<usize>,
    name: CString,
    kind: Kind,
}

impl Named {
    /// Registers `name` (a path, or a `/name` for shm and queues) for removal. Call it just
    /// *before* creating the object, so there is no moment when it exists unlisted.
    pub fn register(name: impl AsRef<Path>, kind: Kind) -> io::Result<Self> {
        let name = CString::new(name.as_ref().as_os_str().as_bytes())
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        let leaked = name.clone().into_raw();
        let slot = (0..SLOTS).find(|&i| {
            NAMES[i]
                .compare_exchange(
                    std::ptr::null_mut(),
                    leaked,
                    Ordering::SeqCst,
                    Ordering::SeqCst,
                )
                .is_ok()
        });
        match slot {
            Some(i) => KINDS[i].store(kind as u8, Ordering::SeqCst),
            // SAFETY: `leaked` came from `into_raw` just above and was not stored.
            None => drop(unsafe { CString::from_raw(leaked) }),
        }
        Ok(Self { slot, name, kind })
    }

    /// The registered name as a path.
    pub fn path(&self) -> PathBuf {
        PathBuf::from(std::ffi::OsStr::from_bytes(self.name.as_bytes()))
    }
}

impl Drop for Named {
    fn drop(&mut self) {
        remove(self.kind, self.name.as_ptr());
        if let Some(i) = self.slot {
            KINDS[i].store(0, Ordering::SeqCst);
            let leaked = NAMES[i].swap(std::ptr::null_mut(), Ordering::SeqCst);
            if !leaked.is_null() {
                // SAFETY: only `register` stores into NAMES, always a pointer from
                // `CString::into_raw`; the swap took it out, so it is freed once.
                drop(unsafe { CString::from_raw(leaked) });
            }
        }
    }
}

fn remove(kind: Kind, name: *const c_char) {
    // SAFETY: `name` is a NUL-terminated string that lives as long as its table slot or
    // guard; each call only asks the kernel to remove a name (an error such as ENOENT,
    // when it is already gone, is harmless). unlink, rmdir and the mq_unlink system call
    // are async-signal-safe; glibc's shm_unlink is an unlink under /dev/shm.
    unsafe {
        match kind {
            Kind::Path => libc::unlink(name),
            Kind::Dir => libc::rmdir(name),
            Kind::Shm => libc::shm_unlink(name),
            Kind::Mq => libc::mq_unlink(name),
        };
    }
}

/// Removes every registered object: entries first, then directories, so a private
/// directory is empty when its turn comes. Async-signal-safe; the names stay registered
/// (the process is about to end).
/// Returns how many names it removed (async-signal-safe, like the rest: no allocation).
pub fn remove_all() -> usize {
    let mut removed = 0;
    for pass in [false, true] {
        for i in 0..SLOTS {
            let name = NAMES[i].load(Ordering::SeqCst);
            let kind = match KINDS[i].load(Ordering::SeqCst) {
                1 => Kind::Path,
                2 => Kind::Dir,
                3 => Kind::Shm,
                4 => Kind::Mq,
                _ => continue,
            };
            if !name.is_null() && (kind == Kind::Dir) == pass {
                remove(kind, name);
                removed += 1;
            }
        }
    }
    removed
}

/// Creates a private directory (mode 0700) under the temporary directory (`TMPDIR`),
/// named by `support::names`, registered so that it is removed with everything in it that
/// is registered too. Creation is exclusive: an existing directory of that name is an error.
pub fn private_dir(kind: &str) -> io::Result<Named> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    let name = crate::names::unique(kind);
    let path = std::env::temp_dir().join(name.trim_start_matches('/'));
    let guard = Named::register(&path, Kind::Dir)?;
    std::fs::DirBuilder::new().mode(0o700).create(&path)?;
    // The umask may have taken bits away; chmod is not masked.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700))?;
    Ok(guard)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guard_removes_its_file_and_remove_all_its_directory() {
        let dir = private_dir("cleanup-test").unwrap();
        let file = dir.path().join("f");
        let named = Named::register(&file, Kind::Path).unwrap();
        std::fs::write(&file, b"x").unwrap();
        remove_all();
        assert!(!file.exists() && !dir.path().exists());
        drop(named);
        drop(dir);
    }
}
