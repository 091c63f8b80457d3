//! Step 7: the table a reader can decide with, filled from this run's own measurements.

use support::fmt;
use support::table::Table;

use crate::cost::{SharingCosts, StartCosts};
use crate::crashes::Isolation;
use crate::memory::{MemoryCosts, signed_bytes};

/// Everything the earlier steps observed.
#[derive(Debug, Clone)]
pub struct Findings {
    pub isolation: Isolation,
    pub start: StartCosts,
    pub memory: MemoryCosts,
    pub sharing: SharingCosts,
}

pub fn show_when_to_choose(f: &Findings) {
    fmt::step("7. When to choose which");
    let mut table = Table::new(["", "threads", "processes"]);
    table.row::<String>([
        "a crash (SIGSEGV)".into(),
        format!("whole process {}", f.isolation.thread_crash),
        format!("only the child {}", f.isolation.child_crash),
    ]);
    table.row::<String>([
        "a Rust panic".to_string(),
        f.isolation.panic_at_join.clone(),
        "ends the child: exit status 101".into(),
    ]);
    table.row::<String>([
        "start one, wait".into(),
        fmt::duration(f.start.thread.median),
        format!(
            "{} fork ({} if +{})",
            fmt::duration(f.start.fork.median),
            fmt::duration(f.start.fork_big.median),
            fmt::bytes(f.start.big_bytes as u64)
        ),
    ]);
    if let Some(spawn) = &f.start.spawn {
        table.row::<String>([
            "start a program".into(),
            "—".into(),
            format!("{} (spawn true)", fmt::duration(spawn.median)),
        ]);
    }
    table.row::<String>([
        "memory for one more".into(),
        format!("{} resident", signed_bytes(f.memory.thread_rss)),
        format!(
            "{} private + {} page tables",
            fmt::bytes(f.memory.process_private as u64),
            fmt::bytes(f.memory.process_page_tables as u64)
        ),
    ]);
    table.row::<String>([
        format!("hand over {}", fmt::bytes(f.sharing.payload as u64)),
        format!(
            "{} pointer, {} copy",
            fmt::duration(f.sharing.pointer.summary.median),
            fmt::duration(f.sharing.copy_in_memory.summary.median)
        ),
        format!(
            "{} through a pipe",
            fmt::duration(f.sharing.pipe.summary.median)
        ),
    ]);
    table.row::<String>([
        "a crash also reaches".into(),
        "everything: one address space".into(),
        "its parent (a status), shared files".into(),
    ]);
    table.row::<String>([
        "used for".into(),
        "thread pools: servers, runtimes".into(),
        "isolation: browser sites, containers".into(),
    ]);
    println!("  medians from the steps above, on this machine, this run:");
    print!("{table}");
    fmt::note(
        "Threads when the parts trust each other and share a lot of data; processes when a\n\
         failure must stay contained, when the code is untrusted, or when the parts need\n\
         different privileges. Many systems do both: a few processes, each with a pool of\n\
         threads.",
    );
}
