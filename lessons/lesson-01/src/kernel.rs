//! Steps 2–4: the running process, what the kernel keeps about it, and how the file's
//! segments became the process's memory.

use std::path::PathBuf;
use std::time::Instant;

use support::fmt;
use support::proc::procfs::Current;
use support::proc::procfs::process::{MMapPath, Process};
use support::proc::{ProcessError, explain, procfs};
use support::table::Table;

use crate::disk::ProgramFile;

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

// ANCHOR: read_process
impl ProcessFacts {
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
}
// ANCHOR_END: read_process

/// Kernel threads have no program file; other processes may hide theirs.
fn program_file(process: &Process, stat: &procfs::process::Stat) -> Result<PathBuf, String> {
    const PF_KTHREAD: u32 = 0x0020_0000;
    if stat.flags & PF_KTHREAD != 0 {
        return Err(
            "it is a kernel thread: the kernel itself, running on its own behalf.".to_owned(),
        );
    }
    process.exe().map_err(|error| match error {
        procfs::ProcError::PermissionDenied(_) => format!(
            "reading /proc/{}/exe was refused.\n{}",
            process.pid,
            why_hidden()
        ),
        other => format!("{other}."),
    })
}

/// Why another process's exe, maps, auxv or syscall file can be refused. The kernel asks
/// `ptrace_may_access` (kernel/ptrace.c): the same user, or CAP_SYS_PTRACE; then every
/// security module loaded may still say no.
fn why_hidden() -> String {
    const CAP_SYS_PTRACE: u64 = 19;
    let capable = procfs::process::Process::myself()
        .and_then(|me| me.status())
        .is_ok_and(|status| status.capeff & (1 << CAP_SYS_PTRACE) != 0);
    let rule = "That file (like maps, auxv and syscall) needs ptrace access to the process:\n\
                being its user, or holding CAP_SYS_PTRACE (root holds it) — and no security\n\
                module refusing.";
    if capable {
        format!(
            "{rule} You hold CAP_SYS_PTRACE, so a security module refused\n\
             (Yama, Landlock, SELinux or AppArmor: sandboxes and containers often use one)."
        )
    } else {
        rule.to_owned()
    }
}

/// Step 2. `main_started` is given when the lesson looks at itself, to tell how much of
/// the process's life came before this program's `main`.
pub fn show_running_process(facts: &ProcessFacts, main_started: Option<Instant>) {
    fmt::step("2. The process: the program running");
    let stat = &facts.stat;
    let parent = match (stat.ppid, &facts.parent_name) {
        // fs/proc/array.c prints 0 when there is no parent to name in this PID namespace.
        (0, _) => {
            "none: the kernel started it, or its parent is outside this PID namespace".to_owned()
        }
        (_, Some(name)) => format!("its parent: {name}"),
        (_, None) => "its parent, which has exited since".to_owned(),
    };
    println!(
        "  PID          {}   (the kernel's number for this run of the program)",
        facts.pid
    );
    println!("  PPID         {}   ({parent})", stat.ppid);
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
    let age = seconds_running(stat.starttime);
    if let Some(seconds) = age {
        println!("  running for  {seconds:.1} s   (since this PID was created)");
    }
    if !facts.cmdline.is_empty() {
        println!("  command      {}", fit(&facts.cmdline.join(" "), 83));
    }
    if let Some(cwd) = &facts.cwd {
        println!("  directory    {}", fit(&cwd.display().to_string(), 83));
    }
    fmt::note(
        "The file had none of these: a PID, a parent, a state, memory in use. They exist only\n\
         while the program runs, and only the kernel hands them out.",
    );
    if let (Some(started), Some(age)) = (main_started, age) {
        explain_exec(age, started.elapsed().as_secs_f64());
    }
}

/// `cargo run` builds the lesson, then replaces itself with it (`exec`, through cargo-util's
/// `ProcessBuilder::exec_replace`): the PID, its start time and its CPU-time counters stay.
/// So the parent is the shell, and the age includes cargo's time. The lesson cannot tell
/// `cargo run` from a program that cargo's environment reached some other way (a test
/// inherits it too), so it states the measured split and names cargo only as a condition.
fn explain_exec(age: f64, in_main: f64) {
    let before = (age - in_main).max(0.0);
    fmt::note(&format!(
        "Of those {age:.1} s, {in_main:.2} s were this program's own, from `main` on; {before:.2} s came\n\
         before: exec keeps the PID, its start time and its CPU time, so they count whatever\n\
         ran in this process before this program was exec'd into it."
    ));
    // Cargo sets CARGO in the environment of every program it runs.
    if std::env::var_os("CARGO").is_some() {
        fmt::note(
            "Started with `cargo run`? Then that was cargo: this process was cargo, which ran the\n\
             build, then exec'd the lesson. So the parent is your shell, not cargo, and step 3's\n\
             CPU time includes cargo's own.",
        );
    }
}

/// Cuts `text` to at most `width` characters, marking the cut.
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let kept: String = text.chars().take(width - 2).collect();
    format!("{kept} …")
}

fn seconds_running(start_ticks: u64) -> Option<f64> {
    let uptime = procfs::Uptime::current().ok()?.uptime;
    Some(uptime - start_ticks as f64 / support::proc::ticks_per_second() as f64)
}

pub fn show_what_the_kernel_keeps(process: &Process, facts: &ProcessFacts) {
    fmt::step("3. What the kernel keeps per process (the PCB)");
    let mut table = Table::new(["PCB field", "in /proc/<pid>/", "value now"]);
    for (field, place, value) in pcb_rows(process, facts) {
        table.row([field.to_owned(), place.to_owned(), value]);
    }
    print!("{table}");
    fmt::note(
        "Textbooks call this record the process control block (PCB). Linux keeps one\n\
         `struct task_struct` per thread; the threads of one process (one thread group) point\n\
         to shared records for the rest: the memory map (`mm_struct`), open files\n\
         (`files_struct`), signals (`signal_struct`). /proc is a window onto them, built when\n\
         you read it. The saved registers are the user registers the kernel stored when the\n\
         thread last entered the kernel (for a sleeping thread: the system call it waits in).",
    );
}

/// A field of the PCB, the file in /proc/<pid>/ it is read from, and its value now.
type PcbRow = (&'static str, &'static str, String);

// ANCHOR: pcb
fn pcb_rows(process: &Process, facts: &ProcessFacts) -> Vec<PcbRow> {
    let (stat, status) = (&facts.stat, &facts.status);
    let identity = format!("pid {}, parent {}", facts.pid, stat.ppid);
    let ticks = support::proc::ticks_per_second() as f64;
    let (user, kernel) = (stat.utime as f64 / ticks, stat.stime as f64 / ticks);
    let cpu_time = format!("{user:.2} s user, {kernel:.2} s kernel");
    // The registers first: their helper thread's stack stays mapped (glibc keeps it for
    // the next thread), and the map is counted after it, as the table lists them.
    let registers = saved_registers(facts.pid);
    let mappings = count(process.maps().map(|m| m.len()), "mappings");
    let open_files = count(process.fd_count(), "file descriptors");
    let priority = scheduling(stat);
    vec![
        ("identity", "stat: pid, ppid", identity),
        ("owner", "status: Uid", format!("user id {}", status.ruid)),
        ("state", "stat: state", stat.state.to_string()),
        ("saved registers", "syscall", registers),
        ("scheduling", "stat: priority, nice, processor", priority),
        ("CPU time used", "stat: utime, stime", cpu_time),
        ("context switches", "status", switches(status)),
        ("memory map", "maps", mappings),
        ("open files", "fd/", open_files),
        ("signals", "status: SigBlk, SigIgn", signals(status)),
    ]
}
// ANCHOR_END: pcb

/// The user stack pointer and program counter the kernel saved on the main thread's
/// kernel stack when it last entered the kernel (`task_pt_regs`, read by lib/syscall.c's
/// `task_current_syscall`). A running thread has nothing to show, so for the lesson
/// itself a helper thread reads the main thread's record once the main thread is asleep
/// in a system call, waiting for the helper.
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
        Ok(None) => "none to show: it is running on a CPU right now".to_owned(),
        Err(error) if error.kind() == std::io::ErrorKind::PermissionDenied => {
            "hidden: no ptrace access".to_owned()
        }
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

fn count(value: Result<usize, procfs::ProcError>, what: &str) -> String {
    match value {
        Ok(n) => format!("{n} {what}"),
        Err(procfs::ProcError::PermissionDenied(_)) => "hidden: no ptrace access".to_owned(),
        Err(error) => format!("hidden ({error})"),
    }
}

// ANCHOR: file_to_memory
pub fn show_file_to_memory(process: &Process, facts: &ProcessFacts, program: Option<&ProgramFile>) {
    fmt::step("4. From file to memory");
    let (Ok(exe), Some(program)) = (&facts.exe, program) else {
        fmt::note("Step 1 had no program file to read, so there is nothing to pair with memory.");
        return;
    };
    // smaps is maps plus per-mapping counters, among them how much is resident in RAM.
    let Ok(maps) = process.smaps() else {
        fmt::note("The memory map of this process is hidden from you (no ptrace access).");
        return;
    };
    // ANCHOR_END: file_to_memory
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
    let mut load_address = None;
    for map in maps
        .iter()
        .filter(|m| matches!(&m.pathname, MMapPath::Path(p) if p == exe))
    {
        if map.offset == 0 {
            load_address.get_or_insert(map.address.0);
        }
        let segment = program
            .segments
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
    show_who_ran_first(process, program, load_address, &maps);
}

/// The auxiliary vector: facts the kernel hands a new program on its stack at exec
/// (fs/binfmt_elf.c, `create_elf_tables`), kept readable in /proc/<pid>/auxv.
fn show_who_ran_first(
    process: &Process,
    program: &ProgramFile,
    load_address: Option<u64>,
    maps: &procfs::process::MemoryMaps,
) {
    let Some((base, entry)) = loader_and_entry(process) else {
        fmt::note("Its auxiliary vector (/proc/<pid>/auxv) is hidden from you.");
        return;
    };
    println!("\n  Who ran first: what the kernel told the new program (/proc/<pid>/auxv)");
    if let Some(entry) = entry {
        let sum = load_address.map_or_else(String::new, |at| {
            let check = if at + program.entry == entry {
                "="
            } else {
                "≠"
            };
            format!(
                "  {check} {} + entry point {:#x}",
                fmt::address(at),
                program.entry
            )
        });
        println!("  AT_ENTRY  {}{sum}", fmt::address(entry));
    }
    match base {
        Some(base) if base != 0 => {
            let loader = maps
                .iter()
                .find(|m| m.address.0 == base)
                .and_then(|m| match &m.pathname {
                    MMapPath::Path(p) => p.file_name().map(|n| n.to_string_lossy().into_owned()),
                    _ => None,
                })
                .or_else(|| program.interpreter.clone())
                .unwrap_or_else(|| "the loader".to_owned());
            println!(
                "  AT_BASE   {}  where {loader} is mapped",
                fmt::address(base)
            );
            fmt::note(
                "exec did not jump to AT_ENTRY: it started the dynamic loader named by INTERP (its\n\
                 own entry point, inside AT_BASE's mapping). The loader mapped the shared libraries,\n\
                 fixed up addresses, then jumped to AT_ENTRY, whose start-up code calls `main`.",
            );
        }
        _ => fmt::note(
            "AT_BASE is 0: no dynamic loader. The kernel jumped straight to AT_ENTRY, the program's\n\
             entry point (a statically linked program).",
        ),
    }
}

// ANCHOR: auxv
/// AT_BASE and AT_ENTRY from /proc/<pid>/auxv (`None` if it is hidden from us).
fn loader_and_entry(process: &Process) -> Option<(Option<u64>, Option<u64>)> {
    const AT_BASE: u64 = 7; // where the dynamic loader was mapped (0: none)
    const AT_ENTRY: u64 = 9; // the program's own entry point, in memory
    let auxv = process.auxv().ok()?;
    Some((auxv.get(&AT_BASE).copied(), auxv.get(&AT_ENTRY).copied()))
}
// ANCHOR_END: auxv

/// Mappings start on page boundaries, so a segment's offset is rounded down to a page.
fn page_down(offset: u64) -> u64 {
    let page = support::proc::page_size();
    offset / page * page
}
