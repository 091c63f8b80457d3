//! The deliberate faults the crash demonstrations commit. They only ever run in a
//! throwaway process: a forked child, or the lesson re-run as a subprocess.

use std::hint::black_box;
use std::num::NonZeroUsize;

use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous};
use nix::sys::resource::{Resource, setrlimit};

/// Asks for no core file when this process crashes: the demonstrations crash on purpose,
/// and a core file of each would be left behind on the reader's disk.
pub fn no_core_files() {
    setrlimit(Resource::RLIMIT_CORE, 0, 0).ok();
}

// ANCHOR: segfault
/// Reads from a page mapped with no access at all. The CPU refuses the load, the kernel
/// turns that into the signal SIGSEGV, and its default action ends the *whole process*.
pub fn touch_forbidden_page() -> ! {
    let one_page = NonZeroUsize::new(4096).expect("4096 is not zero");
    // SAFETY: mmap of a fresh anonymous page touches no existing memory.
    let page =
        unsafe { mmap_anonymous(None, one_page, ProtFlags::PROT_NONE, MapFlags::MAP_PRIVATE) }
            .expect("mmap of one page");
    // SAFETY: deliberately not a valid read — this *is* the fault being demonstrated. The
    // pointer is non-null and aligned, so the load really happens, the CPU traps, and the
    // kernel stops the process before any value is produced. Only ever run in a process
    // that exists to crash.
    let value = unsafe { page.cast::<u8>().as_ptr().read_volatile() };
    unreachable!("reading a PROT_NONE page returned {value}")
}
// ANCHOR_END: segfault

/// Recurses until the thread's stack runs into its guard page. Rust's handler for that
/// SIGSEGV prints "has overflowed its stack" and aborts the process.
pub fn overflow_stack(depth: u64) -> u64 {
    let frame = black_box([depth; 64]);
    if depth == u64::MAX {
        return 0;
    }
    overflow_stack(depth + 1) + black_box(frame[1])
}
