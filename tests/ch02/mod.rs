//! Grading tests for chapter 02. Each submodule grades the exercise of the same name, and
//! is compiled into both `exercises-02` (grading) and `solutions-02` (verification).

mod classify;
mod maps_line;
mod region_sizes;

use support::proc::procfs::FromBufRead;
use support::proc::procfs::process::{MMPermissions, MMapPath, MemoryMaps};

use crate::maps_line::{MapsLine, Perms};

/// The shipped maps files: (name, program path, text).
pub const FIXTURES: &[(&str, &str, &str)] = &[
    (
        "hello (a small Rust program, position-independent)",
        "/home/reader/hello/target/debug/hello",
        include_str!("fixtures/hello.maps"),
    ),
    (
        "server (a static binary at 0x400000, a path with a space)",
        "/opt/my app/bin/server",
        include_str!("fixtures/server.maps"),
    ),
    (
        "pool (a C program with two worker threads, each with its own malloc arena)",
        "/home/reader/pool/pool",
        include_str!("fixtures/pool.maps"),
    ),
];

/// Parses a maps file with `procfs` (not the learner's parser, so the `classify` and
/// `region_sizes` tests do not depend on the `maps_line` exercise).
pub fn reference_lines(text: &str) -> Vec<MapsLine> {
    let maps = MemoryMaps::from_buf_read(text.as_bytes()).expect("a well-formed maps file");
    maps.into_iter()
        .map(|m| MapsLine {
            start: m.address.0,
            end: m.address.1,
            perms: Perms {
                read: m.perms.contains(MMPermissions::READ),
                write: m.perms.contains(MMPermissions::WRITE),
                execute: m.perms.contains(MMPermissions::EXECUTE),
                shared: m.perms.contains(MMPermissions::SHARED),
            },
            offset: m.offset,
            inode: m.inode,
            path: match m.pathname {
                MMapPath::Anonymous => None,
                MMapPath::Path(p) => Some(p.display().to_string()),
                MMapPath::Heap => Some("[heap]".into()),
                MMapPath::Stack => Some("[stack]".into()),
                MMapPath::Vdso => Some("[vdso]".into()),
                MMapPath::Vvar => Some("[vvar]".into()),
                MMapPath::Vsyscall => Some("[vsyscall]".into()),
                MMapPath::TStack(tid) => Some(format!("[stack:{tid}]")),
                MMapPath::Other(name) => Some(format!("[{name}]")),
                other => Some(format!("{other:?}")),
            },
        })
        .collect()
}

/// This test process's maps text and program path, read once.
pub fn live() -> (String, String) {
    // Read the maps after the caller's allocations, so they are in it.
    let text = std::fs::read_to_string("/proc/self/maps").expect("read /proc/self/maps");
    let exe = std::fs::read_link("/proc/self/exe").expect("read /proc/self/exe");
    (text, exe.display().to_string())
}
