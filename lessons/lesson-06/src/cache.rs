//! Step 3: the cache part of the claim. Each end touches a working set between hand-offs,
//! threads and processes pinned to one core, lmbench `lat_ctx` style.

use std::time::Duration;

use anyhow::Result;
use support::{affinity, fmt, table::Table};

use crate::wire::{self, Ends, Setup, Wire};

/// One row of the table: the working set of each end, and the round trips measured.
pub struct Row {
    pub kib: usize,
    /// Touching one end's set once, warm, with no switch: the loop's own cost.
    pub touch: Duration,
    pub threads: Duration,
    pub processes: Duration,
}

/// The data caches of CPU 0 as sysfs lists them: `L1d 48K, L2 2048K, …`.
fn caches() -> String {
    let mut found = Vec::new();
    for index in 0..8 {
        let dir = format!("/sys/devices/system/cpu/cpu0/cache/index{index}");
        let read = |f: &str| std::fs::read_to_string(format!("{dir}/{f}")).ok();
        let (Some(level), Some(kind), Some(size)) = (read("level"), read("type"), read("size"))
        else {
            break;
        };
        if kind.trim() != "Instruction" {
            let d = if kind.trim() == "Data" { "d" } else { "" };
            found.push(format!("L{}{d} {}", level.trim(), size.trim()));
        }
    }
    if found.is_empty() {
        "not listed in sysfs".into()
    } else {
        found.join(", ")
    }
}

fn has_pcid() -> bool {
    std::fs::read_to_string("/proc/cpuinfo").is_ok_and(|text| {
        text.lines()
            .find(|l| l.starts_with("flags"))
            .is_some_and(|l| l.split_whitespace().any(|f| f == "pcid"))
    })
}

/// A bar of `width` cells for `value` on a scale where `max` fills them all.
fn bar(value: Duration, max: Duration, width: usize) -> usize {
    let cells = value.as_nanos() * width as u128 / max.as_nanos().max(1);
    (cells as usize).clamp(1, width)
}

pub fn show(sizes_kib: &[usize], batches: usize) -> Result<Vec<Row>> {
    fmt::step("3. The cache part of the claim");
    let cpu = affinity::two_cpus()?.0;
    let mut rows = Vec::new();
    for &kib in sizes_kib {
        // Fewer round trips for bigger sets keeps each row to a fraction of a second.
        let round_trips = (200_000 / (kib as u32 + 200)).clamp(100, 1000);
        let time = |ends| -> Result<Duration> {
            let setup = Setup {
                wire: Wire::Pipe,
                ends,
                cpu_a: cpu,
                cpu_b: cpu,
                round_trips,
                batches,
                working_set: kib * 1024,
            };
            let m = wire::run(setup)?;
            wire::check_pinning(&setup, &m)?;
            Ok(m.per_round_trip.median)
        };
        let mut set = vec![0u8; kib * 1024];
        let touch = support::stats::measure(3, 21, || wire::touch(&mut set)).median;
        let threads = time(Ends::Threads)?;
        let processes = time(Ends::Processes)?;
        rows.push(Row {
            kib,
            touch,
            threads,
            processes,
        });
    }
    let left = |rt: Duration, r: &Row| rt.saturating_sub(r.touch * 2);
    let max = rows
        .iter()
        .map(|r| left(r.threads.max(r.processes), r))
        .max()
        .unwrap_or_default();
    let mut t = Table::new([
        "each end",
        "2 × touch",
        "threads",
        "processes",
        "threads",
        "processes",
        "chart",
    ]);
    t = t.subheader([
        "",
        "(no switch)",
        "round trip",
        "round trip",
        "− touch",
        "− touch",
        "",
    ]);
    for c in 0..6 {
        t = t.right(c);
    }
    for r in &rows {
        let (lt, lp) = (left(r.threads, r), left(r.processes, r));
        let solid = bar(lt.min(lp), max, 24);
        let light = bar(lt.max(lp), max, 24).saturating_sub(solid);
        let mark = if lp >= lt { '░' } else { '▒' };
        t.row([
            format!("{} KiB", r.kib),
            fmt::duration(r.touch * 2),
            fmt::duration(r.threads),
            fmt::duration(r.processes),
            fmt::duration(lt),
            fmt::duration(lp),
            format!("{}{}", "█".repeat(solid), mark.to_string().repeat(light)),
        ]);
    }
    print!("{t}");
    fmt::note(&format!(
        "Pipe round trip, both ends on CPU {cpu}; each row: median of {batches} batches (100–1000\n\
         round trips each, after one untimed batch). Between hand-offs each end reads and writes\n\
         one byte in every 64-byte line of its own working set. \"2 × touch\": that loop alone,\n\
         twice, warm, no switch (median of 21); \"− touch\" leaves the switches plus the refill of\n\
         caches and TLB the other end's touching forced; 0 ns: the round trip took no longer than\n\
         the warm touch loop alone (both fetch from further away at that size: noise decides).\n\
         Chart of what is left: █ the smaller of the two, then ░ what processes took on top (▒:\n\
         what threads took on top).\n\
         Caches (sysfs): {}.\n\
         The PCID flag (x86 tags TLB entries with an address-space ID, so switching page tables\n\
         need not flush the whole TLB) is {} in /proc/cpuinfo.",
        caches(),
        if has_pcid() { "present" } else { "absent" }
    ));
    Ok(rows)
}
