//! Step 12: copy-on-write, measured with page faults and the child's private memory.

use nix::sys::resource::{UsageWho, getrusage};
use support::fmt;
use support::table::Table;

use crate::conditions::rss;
use crate::report::fork_reporting;

/// Bytes of a page (4 KiB on x86-64).
fn page() -> usize {
    support::proc::page_size() as usize
}

/// `Private_Dirty` of this process, in bytes: pages only it maps and has written.
fn private_dirty() -> u64 {
    std::fs::read_to_string("/proc/self/smaps_rollup")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("Private_Dirty:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kib| kib * 1024)
}

fn minor_faults() -> i64 {
    getrusage(UsageWho::RUSAGE_SELF).map_or(0, |u| u.minor_page_faults())
}

// ANCHOR: cow_child
/// In the child: write one byte into each of the first `pages` pages of `buffer`, and
/// report the minor page faults and the growth of private dirty memory that caused.
fn write_and_measure(buffer: &mut [u8], pages: usize) -> String {
    let (rss_anon, rss_file) = (rss("RssAnon:"), rss("RssFile:"));
    let faults_before = minor_faults();
    let dirty_before = private_dirty();
    for p in 0..pages {
        buffer[p * page()] = 2;
    }
    let faults = minor_faults() - faults_before;
    let dirty = private_dirty().saturating_sub(dirty_before);
    format!("{faults} {dirty} {rss_anon} {rss_file}")
}
// ANCHOR_END: cow_child

pub fn show_copy_on_write(bytes: usize) -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("12. Copy-on-write, measured");
    // Every page is written once, so the parent really holds all of it in RAM.
    let mut buffer = vec![1u8; bytes];
    let pages = bytes / page();
    let mut table = Table::new([
        "child writes",
        "pages written",
        "child's minor faults",
        "child's new private memory",
        "parent sees 1s",
    ])
    .right(1)
    .right(2)
    .right(3);
    let parent_rss = (rss("RssAnon:"), rss("RssFile:"));
    let mut child_rss = (0, 0);
    for share in [0, 4, 1] {
        let written = pages.checked_div(share).unwrap_or(0);
        let (reports, untouched) = fork_writers(&mut buffer, written)?;
        let mut faults = Vec::new();
        let mut dirty = Vec::new();
        for [f, d, anon, file] in reports {
            faults.push(f as f64);
            dirty.push(d as f64);
            child_rss = (anon, file);
        }
        let what = match share {
            0 => "nothing".to_owned(),
            1 => "every page".to_owned(),
            n => format!("1 page in {n}"),
        };
        table.row([
            what,
            written.to_string(),
            spread(&mut faults, |v| format!("{v:.0}")),
            spread(&mut dirty, |v| fmt::bytes(v as u64)),
            support::checks::yes_no(untouched).to_owned(),
        ]);
    }
    print!("{table}");
    println!("  resident memory (RSS) at the child's start, from /proc/self/status:");
    println!(
        "    anonymous {} (parent {}); file-backed {} (parent {})",
        fmt::bytes(child_rss.0),
        fmt::bytes(parent_rss.0),
        fmt::bytes(child_rss.1),
        fmt::bytes(parent_rss.1)
    );
    fmt::note(&format!(
        "Parent buffer {} ({pages} pages of {}); each row: median of {RUNS} children (min–max).\n\
         fork copied none of it: parent and child share every page, read-only. The first\n\
         write to a page faults, and the kernel copies that one page for the writer. So a\n\
         child's cost grows with what it writes, not with what its parent holds.\n\
         fork copies page table entries only for anonymous memory; file-backed code and data\n\
         start unmapped in the child, and a page fault maps each again when first touched.",
        fmt::bytes(bytes as u64),
        fmt::bytes(page() as u64),
    ));
    Ok(())
}

/// Children forked for each row of the table.
const RUNS: usize = 3;

/// What one child reported: minor faults, bytes of new private memory, and its resident
/// anonymous and file-backed memory at its start.
type Report = [u64; 4];

// ANCHOR: cow
/// Forks `RUNS` children, one after another, that each write into `written` pages of the
/// parent's `buffer` and report what it cost them; then checks the parent's own buffer.
fn fork_writers(
    buffer: &mut [u8],
    written: usize,
) -> Result<(Vec<Report>, bool), Box<dyn std::error::Error>> {
    let mut reports = Vec::new();
    for _ in 0..RUNS {
        // The child runs write_and_measure and sends back its numbers through a pipe.
        let report = fork_reporting(|| write_and_measure(buffer, written))?.finish()?;
        let numbers: Vec<u64> = report.split(' ').filter_map(|n| n.parse().ok()).collect();
        let [faults, dirty, rss_anon, rss_file] = numbers[..] else {
            return Err(format!("bad report from a child: {report:?}").into());
        };
        reports.push([faults, dirty, rss_anon, rss_file]);
    }
    // Every child wrote 2s into its copy; the parent's pages must still hold 1s.
    let untouched = buffer.iter().all(|&b| b == 1);
    Ok((reports, untouched))
}
// ANCHOR_END: cow

/// "median (min–max)" of a few counts.
fn spread(values: &mut [f64], show: impl Fn(f64) -> String) -> String {
    let median = support::stats::median(values).unwrap_or(0.0);
    let (min, max) = (values[0], values[values.len() - 1]);
    format!("{} ({}–{})", show(median), show(min), show(max))
}
