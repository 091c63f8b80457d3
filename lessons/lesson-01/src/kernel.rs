//! Steps 2–4: the running process, what the kernel keeps about it, and how the file's
//! segments became the process's memory.

use std::path::{Path, PathBuf};

use support::fmt;
use support::proc::procfs::Current;
use support::proc::procfs::process::{MMapPath, Process};
use support::proc::{ProcessError, explain, procfs};
use support::table::Table;

use crate::disk::LoadSegment;

/// The facts of one process that steps 2 and 3 print, read once.
#[derive(Debug)]
pub struct ProcessFacts {
    pub pid: i32,
    pub stat: procfs::process::Stat,
    pub status: procfs::process::Status,
    pub parent_name: Option<String>,
    /// The program file, or why it cannot be shown.
    pub exe: Result<PathBuf, String>,
    pub cmdline: Vec<String>,
    pub cwd: Option<PathBuf>,
}

impl ProcessFacts {
    // ANCHOR: read_process
    pub fn read(process: &Process) -> Result<Self, ProcessError> {
        let pid = process.pid;
        let stat = process
            .stat()
            .map_err(|e| explain(pid, "/proc/<pid>/stat", e))?;
        let status = process
            .status()
            .map_err(|e| explain(pid, "/proc/<pid>/status", e))?;
        Ok(Self {
            pid,
            parent_name: support::proc::command_name(stat.ppid).ok(),
            exe: program_file(process, &stat),
            cmdline: process.cmdline().unwrap_or_default(),
            cwd: process.cwd().ok(),
            stat,
            status,
        })
    }
    // ANCHOR_END: read_process
}

/// Kernel threads have no program file; other users' processes hide theirs.
fn program_file(process: &Process, stat: &procfs::process::Stat) -> Result<PathBuf, String> {
    const PF_KTHREAD: u32 = 0x0020_0000;
    if stat.flags & PF_KTHREAD != 0 {
        return Err(
            "it is a kernel thread: the kernel itself, running on its own behalf".to_owned(),
        );
    }
    process
        .exe()
        .map_err(|error| format!("its program file is hidden from you ({error})"))
}

pub fn show_running_process(facts: &ProcessFacts) {
    fmt::step("2. The process: the program running");
    let stat = &facts.stat;
    let parent = facts.parent_name.as_deref().unwrap_or("no longer visible");
    println!(
        "  PID          {}   (the kernel's number for this run of the program)",
        facts.pid
    );
    println!("  PPID         {}   (its parent: {parent})", stat.ppid);
    println!("  name         {}", stat.comm);
    println!(
        "  state        {} = {}",
        stat.state,
        support::proc::state_name(stat.state)
    );
    println!("  threads      {}", stat.num_threads);
    println!(
        "  memory       {} reserved (virtual), {} actually in RAM (resident)",
        fmt::bytes(stat.vsize),
        fmt::bytes(stat.rss * support::proc::page_size())
    );
    if let Some(seconds) = seconds_running(stat.starttime) {
        println!("  running for  {seconds:.1} s");
    }
    if !facts.cmdline.is_empty() {
        println!("  command      {}", facts.cmdline.join(" "));
    }
    if let Some(cwd) = &facts.cwd {
        println!("  directory    {}", cwd.display());
    }
    fmt::note(
        "The file had none of these: a PID, a parent, a state, memory in use. They exist only\n\
         while the program runs, and only the kernel hands them out.",
    );
}

fn seconds_running(start_ticks: u64) -> Option<f64> {
    let uptime = procfs::Uptime::current().ok()?.uptime;
    Some(uptime - start_ticks as f64 / support::proc::ticks_per_second() as f64)
}

// ANCHOR: pcb
pub fn show_what_the_kernel_keeps(process: &Process, facts: &ProcessFacts) {
    fmt::step("3. What the kernel keeps per process (the PCB)");
    let (stat, status) = (&facts.stat, &facts.status);
    let ticks = support::proc::ticks_per_second() as f64;
    let mut table = Table::new(["textbook PCB field", "where Linux shows it", "value now"]);
    let rows = [
        (
            "identity",
            "/proc/<pid>/stat: pid, ppid",
            format!("pid {}, parent {}", facts.pid, stat.ppid),
        ),
        (
            "owner",
            "/proc/<pid>/status: Uid",
            format!("user id {}", status.ruid),
        ),
        ("state", "/proc/<pid>/stat: state", stat.state.to_string()),
        (
            "registers, program counter",
            "/proc/<pid>/syscall",
            saved_registers(facts.pid),
        ),
        (
            "scheduling",
            "/proc/<pid>/stat: priority, nice, processor",
            scheduling(stat),
        ),
        (
            "CPU time used",
            "/proc/<pid>/stat: utime, stime",
            format!(
                "{:.2} s user, {:.2} s kernel",
                stat.utime as f64 / ticks,
                stat.stime as f64 / ticks
            ),
        ),
        ("context switches", "/proc/<pid>/status", switches(status)),
        (
            "memory map",
            "/proc/<pid>/maps",
            count(process.maps().map(|m| m.len()), "mappings"),
        ),
        (
            "open files",
            "/proc/<pid>/fd",
            count(process.fd_count(), "file descriptors"),
        ),
        (
            "signals",
            "/proc/<pid>/status: SigBlk, SigIgn",
            signals(status),
        ),
    ];
    for (field, place, value) in rows {
        table.row([field.to_owned(), place.to_owned(), value]);
    }
    print!("{table}");
    fmt::note(
        "Textbooks call this record the process control block (PCB). Linux keeps it in a\n\
         `struct task_struct` inside the kernel; /proc is a window onto it, built when you read.",
    );
}
// ANCHOR_END: pcb

/// The stack pointer and program counter the kernel saved when the process last stopped
/// running. A process cannot catch itself stopped, so for the lesson itself a helper
/// thread reads the main thread's record once the main thread is asleep waiting for it.
fn saved_registers(pid: i32) -> String {
    let read = || support::threads::saved_sp_pc_of(pid, pid);
    let saved = if pid == std::process::id() as i32 {
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    wait_until_asleep(pid);
                    read()
                })
                .join()
                .unwrap_or(Ok(None))
        })
    } else {
        read()
    };
    match saved {
        Ok(Some((sp, pc))) => format!("saved pc {pc:#x}, sp {sp:#x}"),
        Ok(None) => "not saved: it is running on a CPU right now".to_owned(),
        Err(error) => format!("hidden ({error})"),
    }
}

/// The main thread falls asleep in `join` a moment after starting the helper; give it
/// up to 100 ms to get there.
fn wait_until_asleep(tid: i32) {
    for _ in 0..100 {
        let stat =
            std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).unwrap_or_default();
        let state = stat
            .rsplit_once(") ")
            .and_then(|(_, rest)| rest.chars().next());
        if state == Some('S') {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

fn scheduling(stat: &procfs::process::Stat) -> String {
    let cpu = stat
        .processor
        .map_or_else(|| "?".to_owned(), |c| c.to_string());
    format!(
        "priority {}, nice {}, last ran on CPU {cpu}",
        stat.priority, stat.nice
    )
}

fn switches(status: &procfs::process::Status) -> String {
    match (
        status.voluntary_ctxt_switches,
        status.nonvoluntary_ctxt_switches,
    ) {
        (Some(voluntary), Some(forced)) => {
            format!("{voluntary} gave up the CPU, {forced} were preempted")
        }
        _ => "not shown by this kernel".to_owned(),
    }
}

fn signals(status: &procfs::process::Status) -> String {
    format!(
        "blocked mask {:#x}, ignored mask {:#x}",
        status.sigblk, status.sigign
    )
}

fn count<E: std::fmt::Display>(value: Result<usize, E>, what: &str) -> String {
    match value {
        Ok(n) => format!("{n} {what}"),
        Err(error) => format!("hidden ({error})"),
    }
}

// ANCHOR: file_to_memory
pub fn show_file_to_memory(process: &Process, exe: &Path, segments: &[LoadSegment]) {
    fmt::step("4. From file to memory");
    // smaps is maps plus per-mapping counters, among them how much is resident in RAM.
    let Ok(maps) = process.smaps() else {
        fmt::note("The memory map of this process is hidden from you.");
        return;
    };
    let mut table = Table::new([
        "file segment",
        "file offset",
        "mapped at",
        "perms",
        "size",
        "in RAM",
    ])
    .right(4)
    .right(5);
    for map in maps
        .iter()
        .filter(|m| matches!(&m.pathname, MMapPath::Path(p) if p == exe))
    {
        let segment = segments
            .iter()
            .find(|s| page_down(s.file_offset) == map.offset);
        let label = match segment {
            // RELRO: written once by the loader while relocating, then made read-only.
            Some(s) if s.flags.contains('W') && !map.perms.as_str().contains('w') => {
                format!("LOAD {} (RELRO)", s.flags)
            }
            Some(s) => format!("LOAD {}", s.flags),
            None => "(part of one)".to_owned(),
        };
        table.row([
            label,
            fmt::address(map.offset),
            fmt::address(map.address.0),
            map.perms.as_str(),
            fmt::bytes(map.address.1 - map.address.0),
            map.extension
                .map
                .get("Rss")
                .map_or_else(|| "?".to_owned(), |rss| fmt::bytes(*rss)),
        ]);
    }
    print!("{table}");
    fmt::note(
        "Each loadable segment of the file became a mapping of the same file in the process's\n\
         memory, with the same permissions (R E → r-x). A page counts as in RAM once the process\n\
         has touched it (the kernel maps its neighbours in the same go); the rest stays on disk\n\
         until first used, if ever. RELRO data was writable only while the loader fixed up\n\
         addresses, then made read-only. The heap, the stacks and most of the zeroed bss are\n\
         not in the file at all: the kernel adds them. Chapter 02 maps them all.",
    );
}
// ANCHOR_END: file_to_memory

/// Mappings start on page boundaries, so a segment's offset is rounded down to a page.
fn page_down(offset: u64) -> u64 {
    let page = support::proc::page_size();
    offset / page * page
}
