//! A process's memory map (`/proc/<pid>/maps`), sorted into the regions a textbook names.
//!
//! The parsing is done by [`procfs`](support::proc::procfs); this module adds the one
//! thing the kernel does not print: which *region* each mapping is (code, data, bss, heap,
//! stack, ...). The kernel only knows address ranges, permissions and what backs them;
//! "region" is our reading of those facts, made by the rules of [`Region::of`], the same
//! rules chapter 02's exercises ask the learner to write.
//!
//! Why here, in the lesson, and not in `support`: those rules are the answer to the
//! `classify` exercise, and every exercises crate depends on `support`, so there a
//! learner's code could call them. No exercise depends on a lesson, and no other lesson
//! needs the regions. (The grading tests check the learner's rules against snapshots.)

use std::fmt;
use std::path::Path;

use support::proc::procfs::process::{MMPermissions, MMapPath, MemoryMap};
use support::proc::{ProcessError, explain, open};

/// The region a mapping belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Region {
    /// The program's machine code: mapped from its file, executable (`r-x`).
    Code,
    /// Constants and string literals from the program file, read-only (`r--`).
    ReadOnlyData,
    /// Initialised statics from the program file, writable (`rw-`).
    Data,
    /// Zero-initialised statics: anonymous memory right after the data (`rw-`). The first
    /// part of the bss may share the last page of the data, and is then counted as data.
    Bss,
    /// The main arena of glibc's `malloc` (and so of `Box`, `Vec`), grown with `brk`:
    /// `[heap]`. Other threads' small allocations come from further arenas, which are
    /// anonymous mappings ([`Region::AnonMmap`]), not this region.
    Heap,
    /// The main thread's stack: `[stack]`.
    Stack,
    /// Any other anonymous memory: large allocations, other threads' malloc arenas, thread
    /// stacks, thread-local blocks.
    AnonMmap,
    /// A mapped file other than the program: shared libraries, locale files.
    FileMmap,
    /// Pages the kernel provides (`[vdso]`, `[vvar]`, `[vsyscall]`).
    Kernel,
}

impl Region {
    /// The region of `maps[index]`, given the path of the program file (`/proc/<pid>/exe`).
    ///
    /// Rules, in order: a mapping of the program file is code if executable, data if
    /// writable, else read-only data; `[heap]` is heap; `[stack]` is the stack; other
    /// bracketed names are the kernel's; an anonymous mapping that starts exactly where a
    /// writable mapping of the program file ends is bss; other anonymous memory is an
    /// anonymous mmap; any other file is a file mapping.
    pub fn of(maps: &[MemoryMap], index: usize, exe: &Path) -> Region {
        let map = &maps[index];
        let is_program = |m: &MemoryMap| matches!(&m.pathname, MMapPath::Path(p) if p == exe);
        match &map.pathname {
            MMapPath::Path(_) if is_program(map) => {
                if map.perms.contains(MMPermissions::EXECUTE) {
                    Region::Code
                } else if map.perms.contains(MMPermissions::WRITE) {
                    Region::Data
                } else {
                    Region::ReadOnlyData
                }
            }
            MMapPath::Path(_) => Region::FileMmap,
            MMapPath::Heap => Region::Heap,
            MMapPath::Stack => Region::Stack,
            MMapPath::TStack(_) => Region::AnonMmap,
            MMapPath::Anonymous => {
                let follows_data = index.checked_sub(1).map(|i| &maps[i]).is_some_and(|prev| {
                    is_program(prev)
                        && prev.perms.contains(MMPermissions::WRITE)
                        && prev.address.1 == map.address.0
                });
                if follows_data {
                    Region::Bss
                } else {
                    Region::AnonMmap
                }
            }
            // procfs strips the brackets: `[anon:name]` (a named anonymous mapping) is `anon:name`.
            MMapPath::Other(name) if name.starts_with("anon:") => Region::AnonMmap,
            _ => Region::Kernel,
        }
    }

    /// A short name: `code`, `rodata`, `data`, `bss`, `heap`, `stack`, `anon mmap`, ...
    pub fn name(self) -> &'static str {
        match self {
            Region::Code => "code (text)",
            Region::ReadOnlyData => "read-only data",
            Region::Data => "data",
            Region::Bss => "bss",
            Region::Heap => "heap",
            Region::Stack => "stack",
            Region::AnonMmap => "anonymous mmap",
            Region::FileMmap => "file mmap",
            Region::Kernel => "kernel-provided",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One line of a memory map, with its region worked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
    /// As the kernel prints them: `r-xp`, `rw-p`, `r--s`, ...
    pub perms: String,
    /// The file, the bracketed name, or empty for anonymous memory.
    pub path: String,
    pub region: Region,
}

impl Area {
    /// True when `addr` lies inside this mapping.
    pub fn contains(&self, addr: u64) -> bool {
        (self.start..self.end).contains(&addr)
    }
}

/// Sorts already-parsed mappings into [`Area`]s; `exe` is the program file's path.
pub fn areas(maps: &[MemoryMap], exe: &Path) -> Vec<Area> {
    (0..maps.len())
        .map(|i| {
            let map = &maps[i];
            Area {
                start: map.address.0,
                end: map.address.1,
                perms: map.perms.as_str(),
                path: path_text(&map.pathname),
                region: Region::of(maps, i, exe),
            }
        })
        .collect()
}

/// The live memory map of process `pid`, sorted into regions.
pub fn read(pid: i32) -> Result<Vec<Area>, ProcessError> {
    let process = open(pid)?;
    let exe = process
        .exe()
        .map_err(|e| explain(pid, "/proc/<pid>/exe", e))?;
    let maps = process
        .maps()
        .map_err(|e| explain(pid, "/proc/<pid>/maps", e))?;
    Ok(areas(&maps.0, &exe))
}

/// The live memory map of this process.
pub fn read_self() -> Result<Vec<Area>, ProcessError> {
    read(std::process::id() as i32)
}

/// The area holding `addr`, if any.
pub fn find(areas: &[Area], addr: u64) -> Option<&Area> {
    areas.iter().find(|a| a.contains(addr))
}

fn path_text(path: &MMapPath) -> String {
    match path {
        MMapPath::Path(p) => p.display().to_string(),
        MMapPath::Heap => "[heap]".into(),
        MMapPath::Stack => "[stack]".into(),
        MMapPath::TStack(tid) => format!("[stack:{tid}]"),
        MMapPath::Vdso => "[vdso]".into(),
        MMapPath::Vvar => "[vvar]".into(),
        MMapPath::Vsyscall => "[vsyscall]".into(),
        MMapPath::Rollup => "[rollup]".into(),
        MMapPath::Anonymous => String::new(),
        MMapPath::Vsys(key) => format!("/SYSV{key:08x}"),
        MMapPath::Other(name) => format!("[{name}]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_code_heap_or_mmap_and_a_stack() {
        let boxed = Box::new(7u64);
        let areas = read_self().unwrap();
        let code = find(
            &areas,
            this_process_has_code_heap_or_mmap_and_a_stack as *const () as u64,
        );
        assert_eq!(code.map(|a| a.region), Some(Region::Code), "{areas:#?}");
        assert!(areas.iter().any(|a| a.region == Region::Stack));
        let region = find(&areas, &*boxed as *const u64 as u64).map(|a| a.region);
        // Test threads allocate from their own malloc arena, an anonymous mapping.
        assert!(
            matches!(region, Some(Region::Heap | Region::AnonMmap)),
            "{region:?}"
        );
    }
}
