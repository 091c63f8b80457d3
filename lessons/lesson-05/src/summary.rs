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
        "a crash (SIGSEGV) in one".into(),
        format!("the whole process: {}", f.isolation.thread_crash),
        format!("only the child: {}", f.isolation.child_crash),
    ]);
    table.row::<String>([
        "a Rust panic in one".to_string(),
        f.isolation.panic_at_join.clone(),
        "only the child; its exit status says so".into(),
    ]);
    table.row::<String>([
        "start one and wait for it".into(),
        fmt::duration(f.start.thread.median),
        format!(
            "{} (fork), {} with {} more in the parent",
            fmt::duration(f.start.fork.median),
            fmt::duration(f.start.fork_big.median),
            fmt::bytes(f.start.big_bytes as u64)
        ),
    ]);
    if let Some(spawn) = &f.start.spawn {
        table.row::<String>([
            "start a new program and wait".into(),
            "—".into(),
            format!("{} (spawn)", fmt::duration(spawn.median)),
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
            "{} (a pointer); {} (a copy)",
            fmt::duration(f.sharing.pointer.median),
            fmt::duration(f.sharing.copy_in_memory.median)
        ),
        format!("{} (a pipe)", fmt::duration(f.sharing.pipe.median)),
    ]);
    table.row::<String>([
        "what a crash still reaches".into(),
        "everything: one address space".into(),
        "its parent (a status to collect), shared files".into(),
    ]);
    table.row::<String>([
        "used for".into(),
        "thread pools in servers and runtimes".into(),
        "browser site isolation, worker processes, containers".into(),
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
