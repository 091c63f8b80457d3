//! cgroups, read live: this process's control groups, the limits they hold, and the CPUs it
//! may use, counted four ways.
//!
//! Only reads: the lesson creates no cgroup and writes no limit.

use std::path::{Path, PathBuf};

use anyhow::Result;
use support::{affinity, checks, fmt, table::Table};

/// One line of `/proc/self/cgroup`: the process's group in one hierarchy.
#[derive(Debug, Clone)]
struct Membership {
    /// The hierarchy's ID: 0 for cgroup v2's single tree.
    id: String,
    /// The controllers attached to the hierarchy; empty for v2 (and for v1's named,
    /// controller-less hierarchies such as `name=systemd`, which keep a `name=` entry).
    controllers: Vec<String>,
    /// The group's path from the top of the hierarchy, such as `/user.slice/app.scope`.
    path: String,
    /// The line as the kernel wrote it.
    line: String,
}

// ANCHOR: memberships
/// This process's place in each cgroup hierarchy, from `/proc/self/cgroup`: one line per
/// hierarchy, `ID:controllers:path`. cgroup v2's single tree is the line `0::path` (no
/// controller named); each cgroup v1 tree names the controllers attached to it, as in
/// `4:memory:/a/b`.
fn memberships() -> std::io::Result<Vec<Membership>> {
    let text = std::fs::read_to_string("/proc/self/cgroup")?;
    Ok(text
        .lines()
        .filter_map(|line| {
            let mut fields = line.splitn(3, ':');
            let id = fields.next()?.to_owned();
            let controllers = fields.next()?;
            let path = fields.next()?.to_owned();
            Some(Membership {
                id,
                controllers: controllers
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned)
                    .collect(),
                path,
                line: line.to_owned(),
            })
        })
        .collect())
}
// ANCHOR_END: memberships

/// A cgroup file system mounted in this process's view (`/proc/self/mountinfo`).
#[derive(Debug, Clone)]
struct CgroupMount {
    /// `cgroup2` rather than `cgroup` (v1).
    v2: bool,
    /// Where it is mounted, such as `/sys/fs/cgroup` or `/sys/fs/cgroup/memory`.
    point: PathBuf,
    /// Which directory of the tree is mounted there (`/` unless a container mounted a
    /// part of it).
    root: String,
    /// The super options: a v1 mount lists its controllers there (`rw,cpu,cpuacct`).
    options: Vec<String>,
}

/// The cgroup mounts, from `/proc/self/mountinfo` (proc_pid_mountinfo(5)): field 4 is the
/// mounted directory, field 5 the mount point, and after the ` - ` separator come the
/// file system type, the source and the super options.
fn cgroup_mounts() -> Vec<CgroupMount> {
    let Ok(text) = std::fs::read_to_string("/proc/self/mountinfo") else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|line| {
            let (before, after) = line.split_once(" - ")?;
            let fields: Vec<&str> = before.split(' ').collect();
            let after: Vec<&str> = after.split(' ').collect();
            let v2 = match *after.first()? {
                "cgroup2" => true,
                "cgroup" => false,
                _ => return None,
            };
            Some(CgroupMount {
                v2,
                root: (*fields.get(3)?).to_owned(),
                point: PathBuf::from(fields.get(4)?),
                options: after.get(2)?.split(',').map(str::to_owned).collect(),
            })
        })
        .collect()
}

/// Where this process's group keeps the files of one controller.
#[derive(Debug, Clone)]
struct Group {
    v2: bool,
    /// The group's directory: the mount point, then the group's path below the mounted
    /// directory.
    dir: PathBuf,
    /// The top of the mounted tree, where walking up from `dir` stops.
    top: PathBuf,
    /// Whether `dir` is the root group of its hierarchy, which has no limit files: v2 gives
    /// every group but the root a `cgroup.type`, v1 gives only the root a `release_agent`.
    root: bool,
}

/// The group whose files hold `controller`'s settings for this process: on the v1
/// hierarchy that carries the controller if there is one (a controller is attached to one
/// hierarchy at a time), else on the v2 tree.
fn group_for(
    controller: &str,
    memberships: &[Membership],
    mounts: &[CgroupMount],
) -> Option<Group> {
    let v1 = memberships
        .iter()
        .find(|m| m.controllers.iter().any(|c| c == controller));
    let (membership, mount) = match v1 {
        Some(membership) => (
            membership,
            mounts
                .iter()
                .find(|m| !m.v2 && m.options.iter().any(|o| o == controller))?,
        ),
        None => (
            memberships
                .iter()
                .find(|m| m.id == "0" && m.controllers.is_empty())?,
            mounts.iter().find(|m| m.v2)?,
        ),
    };
    // Path::strip_prefix compares whole components: /docker/x is not a prefix of /docker/xy.
    let path = Path::new(&membership.path);
    let below_mount = path
        .strip_prefix(&mount.root)
        .unwrap_or_else(|_| path.strip_prefix("/").unwrap_or(path));
    let dir = if below_mount.as_os_str().is_empty() {
        mount.point.clone()
    } else {
        mount.point.join(below_mount)
    };
    let root = if mount.v2 {
        !dir.join("cgroup.type").exists()
    } else {
        dir.join("release_agent").exists()
    };
    Some(Group {
        v2: mount.v2,
        dir,
        top: mount.point.clone(),
        root,
    })
}

/// The first line of a cgroup file, or `None` when the file is not there.
fn read(dir: &Path, file: &str) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(file)).ok()?;
    Some(text.lines().next().unwrap_or("").trim().to_owned())
}

/// How many CPUs a CPU list such as `0-3,8,10-11` names (the kernel's list format,
/// cpuset(7)).
fn count_cpus(list: &str) -> Option<usize> {
    let mut count = 0;
    for part in list.split(',').filter(|p| !p.is_empty()) {
        count += match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (from.parse::<usize>().ok()?, to.parse::<usize>().ok()?);
                to.checked_sub(from)? + 1
            }
            None => {
                part.parse::<usize>().ok()?;
                1
            }
        };
    }
    Some(count)
}

// ANCHOR: cpu_quota
/// The group's CPU-time limit as CPUs' worth (quota ÷ period), or `None` for no limit.
/// v2's `cpu.max` holds `$MAX $PERIOD` in µs, `max` meaning no limit; v1 splits it into
/// `cpu.cfs_quota_us` (-1: no limit) and `cpu.cfs_period_us`.
fn cpu_quota(group: &Group, dir: &Path) -> Option<f64> {
    let (quota, period) = if group.v2 {
        let line = read(dir, "cpu.max")?;
        let (quota, period) = line.split_once(' ')?;
        (quota.parse::<f64>().ok()?, period.parse::<f64>().ok()?)
    } else {
        let quota = read(dir, "cpu.cfs_quota_us")?.parse::<f64>().ok()?;
        let period = read(dir, "cpu.cfs_period_us")?.parse::<f64>().ok()?;
        (quota, period)
    };
    (quota >= 0.0 && period > 0.0).then_some(quota / period)
}

/// The tightest CPU quota on the way from the group up to the top of its tree (a limit on
/// a parent binds every group below it), and the directory that sets it.
fn tightest_cpu_quota(group: &Group) -> Option<(f64, PathBuf)> {
    let mut tightest: Option<(f64, PathBuf)> = None;
    let mut dir = Some(group.dir.as_path());
    while let Some(here) = dir.filter(|d| d.starts_with(&group.top)) {
        if let Some(cpus) = cpu_quota(group, here)
            && tightest.as_ref().is_none_or(|(least, _)| cpus < *least)
        {
            tightest = Some((cpus, here.to_owned()));
        }
        dir = here.parent();
    }
    tightest
}
// ANCHOR_END: cpu_quota

/// The value memory.limit_in_bytes (v1) shows for "no limit" on a 64-bit kernel: limits
/// are kept as page counts, and the largest, `PAGE_COUNTER_MAX`, is `LONG_MAX / PAGE_SIZE`
/// pages (include/linux/page_counter.h).
fn v1_no_memory_limit() -> u64 {
    let page = support::proc::page_size();
    i64::MAX as u64 / page * page
}

/// One row of the limits table: a file, its value, and what the value means.
fn row(group: &Group, file: &str, meaning: impl Fn(&str) -> String) -> [String; 3] {
    match read(&group.dir, file) {
        Some(value) => {
            let meaning = meaning(&value);
            let shown = if value.chars().count() > 20 {
                format!("{}…", value.chars().take(19).collect::<String>())
            } else {
                value
            };
            [file.to_owned(), shown, meaning]
        }
        None => {
            let why = if group.root {
                "none: the root group has no such file"
            } else if group.v2 {
                "not set here (controller not enabled)"
            } else {
                "not present in this kernel"
            };
            [file.to_owned(), "—".to_owned(), why.to_owned()]
        }
    }
}

fn bytes_or(value: &str, what: impl Fn(u64) -> String) -> String {
    match value.parse::<u64>() {
        Ok(n) => what(n),
        Err(_) => format!("unexpected value {value:?}"),
    }
}

fn pids_max(value: &str) -> String {
    if value == "max" {
        "no limit on tasks (processes and threads)".to_owned()
    } else {
        format!("at most {value} tasks (processes and threads)")
    }
}

fn pids_current(value: &str) -> String {
    format!("{value} tasks here and below (each thread counts)")
}

fn cpus_granted(value: &str) -> String {
    match count_cpus(value) {
        Some(n) => format!("{n} CPU(s) granted to the group"),
        None => format!("unexpected value {value:?}"),
    }
}

/// The rows of one controller's files, named as its group's cgroup version names them.
fn controller_rows(name: &str, group: Option<&Group>) -> Vec<[String; 3]> {
    let Some(group) = group else {
        return vec![[
            name.to_owned(),
            "—".to_owned(),
            "not read: no cgroup tree here carries this controller".to_owned(),
        ]];
    };
    match (name, group.v2) {
        ("cpu", true) => vec![row(group, "cpu.max", cpu_max)],
        ("cpu", false) => {
            let period = read(&group.dir, "cpu.cfs_period_us").and_then(|p| p.parse().ok());
            vec![
                row(group, "cpu.cfs_quota_us", |v| cfs_quota(v, period)),
                row(group, "cpu.cfs_period_us", |_| {
                    "the period the quota is counted over, in µs".to_owned()
                }),
            ]
        }
        ("cpuset", true) => vec![row(group, "cpuset.cpus.effective", cpus_granted)],
        ("cpuset", false) => vec![row(group, "cpuset.effective_cpus", cpus_granted)],
        ("memory", true) => vec![
            row(group, "memory.max", |v| {
                if v == "max" {
                    "no memory limit".to_owned()
                } else {
                    bytes_or(v, |n| {
                        format!("at most {}; past it, reclaim, then OOM kill", fmt::bytes(n))
                    })
                }
            }),
            row(group, "memory.current", |v| {
                bytes_or(v, |n| format!("{} in use here and below", fmt::bytes(n)))
            }),
        ],
        ("memory", false) => {
            let no_limit = v1_no_memory_limit();
            vec![
                row(group, "memory.limit_in_bytes", |v| {
                    bytes_or(v, |n| {
                        if n == no_limit {
                            "no memory limit (the largest value kept)".to_owned()
                        } else {
                            format!("at most {}", fmt::bytes(n))
                        }
                    })
                }),
                row(group, "memory.usage_in_bytes", |v| {
                    bytes_or(v, |n| {
                        format!("{} in use here and below (approx.)", fmt::bytes(n))
                    })
                }),
            ]
        }
        _ => vec![
            row(group, "pids.max", pids_max),
            row(group, "pids.current", pids_current),
        ],
    }
}

fn cpu_max(value: &str) -> String {
    let parsed = value
        .split_once(' ')
        .map(|(quota, period)| (quota, period.parse::<f64>()));
    match parsed {
        Some(("max", Ok(period))) => format!("no limit on CPU time (period {period} µs)"),
        Some((quota, Ok(period))) if period > 0.0 => match quota.parse::<f64>() {
            Ok(q) => format!("{q} µs per {period} µs: {:.2} CPUs' worth", q / period),
            Err(_) => format!("unexpected value {value:?}"),
        },
        _ => format!("unexpected value {value:?}"),
    }
}

fn cfs_quota(value: &str, period: Option<f64>) -> String {
    match (value.parse::<f64>(), period) {
        (Ok(q), _) if q < 0.0 => "no limit on CPU time".to_owned(),
        (Ok(q), Some(p)) if p > 0.0 => format!("µs per period: {:.2} CPUs' worth", q / p),
        _ => "µs of CPU time per period".to_owned(),
    }
}

/// The groups of the four controllers this step reads.
#[derive(Debug)]
struct Groups {
    cpu: Option<Group>,
    cpuset: Option<Group>,
    memory: Option<Group>,
    pids: Option<Group>,
}

/// The widest a line of the lesson may be (its tests check it).
const WIDTH: usize = 100;

/// Prints `lead`, `path` and `tail` on one line when they fit in [`WIDTH`] columns; else
/// breaks the path after a `/` (or, for a longer piece, anywhere), and indents its later
/// lines under its start. cgroup paths made by systemd or a container runtime can be long.
fn print_path(lead: &str, path: &str, tail: &str) {
    for line in path_lines(lead, path, tail) {
        println!("{line}");
    }
}

/// The lines [`print_path`] prints.
fn path_lines(lead: &str, path: &str, tail: &str) -> Vec<String> {
    let indent = lead.chars().count();
    let room = WIDTH.saturating_sub(indent).max(20);
    let mut lines = vec![String::new()];
    for piece in path.split_inclusive('/') {
        let chars: Vec<char> = piece.chars().collect();
        for chunk in chars.chunks(room) {
            let last = lines.last_mut().expect("never empty");
            if !last.is_empty() && last.chars().count() + chunk.len() > room {
                lines.push(chunk.iter().collect());
            } else {
                last.extend(chunk);
            }
        }
    }
    let last = lines.last_mut().expect("never empty");
    if last.chars().count() + tail.chars().count() <= room {
        last.push_str(tail);
    } else {
        lines.push(tail.trim_start().to_owned());
    }
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let lead = if i == 0 {
                lead.to_owned()
            } else {
                " ".repeat(indent)
            };
            format!("{lead}{line}")
        })
        .collect()
}

/// `/proc/self/cgroup`'s lines, several to a printed line while they fit.
fn print_lines(lines: &[String]) {
    let mut out = String::new();
    for line in lines {
        if !out.is_empty() && 4 + out.chars().count() + 2 + line.chars().count() > WIDTH {
            println!("    {out}");
            out.clear();
        }
        if 4 + line.chars().count() > WIDTH {
            print_path("    ", line, "");
            continue;
        }
        if !out.is_empty() {
            out.push_str("  ");
        }
        out.push_str(line);
    }
    if !out.is_empty() {
        println!("    {out}");
    }
}

pub fn show_cgroups() -> Result<()> {
    fmt::step("cgroups, read live");
    let memberships = match memberships() {
        Ok(m) => m,
        Err(e) => {
            println!("  /proc/self/cgroup could not be read ({e}): no cgroups to show");
            return show_cpus(None);
        }
    };
    let mounts = cgroup_mounts();
    println!("  /proc/self/cgroup, one line per hierarchy (ID:controllers:path):");
    print_lines(
        &memberships
            .iter()
            .map(|m| m.line.clone())
            .collect::<Vec<_>>(),
    );
    let has_v1 = memberships.iter().any(|m| m.id != "0");
    let has_v2 = memberships.iter().any(|m| m.id == "0");
    let v2_controllers = mounts
        .iter()
        .find(|m| m.v2)
        .and_then(|m| read(&m.point, "cgroup.controllers"));
    match (has_v1, has_v2) {
        (false, true) => println!("  cgroup v2 only: one tree for every controller"),
        (true, false) => println!("  cgroup v1 only: a tree per controller (or per group of them)"),
        (true, true) => println!(
            "  both versions: v1 trees (one per controller, or per group of them) and the v2 \
             tree,\n  which holds each controller no v1 tree took: {}",
            match v2_controllers.as_deref() {
                Some("") | None => "none".to_owned(),
                Some(list) => format!("{list:?}"),
            }
        ),
        (false, false) => println!("  no hierarchy listed: a kernel without cgroups?"),
    }
    let groups = Groups {
        cpu: group_for("cpu", &memberships, &mounts),
        cpuset: group_for("cpuset", &memberships, &mounts),
        memory: group_for("memory", &memberships, &mounts),
        pids: group_for("pids", &memberships, &mounts),
    };
    println!("  this process's group, per controller (mount point + path):");
    for (name, group) in [
        ("cpu", &groups.cpu),
        ("cpuset", &groups.cpuset),
        ("memory", &groups.memory),
        ("pids", &groups.pids),
    ] {
        match group {
            Some(g) => print_path(
                &format!("    {name:7} v{}  ", if g.v2 { 2 } else { 1 }),
                &g.dir.to_string_lossy(),
                if g.root { "  (the root group)" } else { "" },
            ),
            None => println!("    {name:7} on no mounted cgroup tree"),
        }
    }
    // Each controller's files are named as its own tree's version names them: on a machine
    // with both versions, a controller may be on either.
    let rows = [
        ("cpu", &groups.cpu),
        ("cpuset", &groups.cpuset),
        ("memory", &groups.memory),
        ("pids", &groups.pids),
    ]
    .into_iter()
    .flat_map(|(name, group)| controller_rows(name, group.as_ref()));
    let mut table = Table::new(["file", "value", "what it means"]);
    for r in rows {
        table.row(r);
    }
    for line in table.to_string().lines() {
        println!("  {line}");
    }
    show_cpus(groups.cpu.as_ref())
}

/// The variable that sets the size of rayon's global pool, as rayon-core 1.13 reads them:
/// `RAYON_NUM_THREADS` if it is a number above 0 (0 means the default), else the older
/// `RAYON_RS_NUM_CPUS` if it is one; `None` when neither does.
fn rayon_override() -> Option<String> {
    for name in ["RAYON_NUM_THREADS", "RAYON_RS_NUM_CPUS"] {
        match std::env::var(name)
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
        {
            Some(0) if name == "RAYON_NUM_THREADS" => return None,
            Some(n @ 1..) => return Some(format!("{name}={n}")),
            _ => {}
        }
    }
    None
}

/// The CPUs this process may use: the machine's, the affinity mask's, std's and rayon's.
fn show_cpus(cpu_group: Option<&Group>) -> Result<()> {
    let quota = cpu_group.and_then(tightest_cpu_quota);
    match &quota {
        Some((cpus, dir)) => print_path(
            &format!("  CPU quota, tightest from this group up: {cpus:.2} CPUs' worth, set in "),
            &dir.to_string_lossy(),
            "",
        ),
        None => println!("  CPU quota, tightest from this group up: none set"),
    }
    let online = std::fs::read_to_string("/sys/devices/system/cpu/online")
        .ok()
        .map(|s| s.trim().to_owned());
    let online_count = online.as_deref().and_then(count_cpus);
    let mask = affinity::allowed().ok();
    let parallelism = std::thread::available_parallelism().map(|n| n.get()).ok();
    let rayon_env = rayon_override();
    // Asking rayon starts its global pool, if nothing has yet: the threads wait for work
    // until the lesson ends.
    let rayon_threads = rayon::current_num_threads();
    let shown = |n: Option<usize>| n.map_or("?".to_owned(), |n| n.to_string());
    let mut table = Table::new(["counted as", "CPUs", "from"]).right(1);
    table.row([
        "online in the machine".to_owned(),
        shown(online_count),
        format!(
            "/sys/devices/system/cpu/online: {}",
            online.as_deref().unwrap_or("not readable")
        ),
    ]);
    table.row([
        "in this thread's affinity mask".to_owned(),
        shown(mask.as_ref().map(Vec::len)),
        "sched_getaffinity (a cpuset narrows it too)".to_owned(),
    ]);
    table.row([
        "available_parallelism()".to_owned(),
        shown(parallelism),
        "the mask's count, capped by the CPU quota".to_owned(),
    ]);
    table.row([
        "rayon's global pool".to_owned(),
        rayon_threads.to_string(),
        match &rayon_env {
            Some(set) => format!("threads, as {set} asks"),
            None => "threads: available_parallelism()".to_owned(),
        },
    ]);
    println!("  the CPUs this process may use, counted four ways:");
    for line in table.to_string().lines() {
        println!("  {line}");
    }
    if let Some((cpus, _)) = quota {
        println!(
            "  std rounds the quota down ({cpus:.2} → {}) and uses at least 1",
            (cpus.floor() as usize).max(1)
        );
    }
    match (parallelism, &mask) {
        (Some(p), Some(mask)) => {
            checks::invariant(
                "available_parallelism() ≤ the CPUs in the affinity mask",
                p <= mask.len(),
            );
        }
        _ => println!("  (the affinity mask or available_parallelism() could not be read)"),
    }
    if rayon_env.is_none()
        && let Some(p) = parallelism
    {
        checks::invariant(
            "rayon's global pool has available_parallelism() threads",
            rayon_threads == p,
        );
    }
    fmt::note(
        "A CPU quota limits CPU time, not where threads run: 8 threads under a 2-CPU quota\n\
         still run on every CPU in the mask, and are throttled (kept off every CPU) once the\n\
         group has used 2 CPUs' worth of the current period. A cpuset takes CPUs out of the mask.",
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A directory tree standing in for a cgroup file system, removed when dropped.
    struct FakeTree(PathBuf);

    impl FakeTree {
        fn new(name: &str) -> FakeTree {
            let dir = std::env::temp_dir().join(format!("lesson-10-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            FakeTree(dir)
        }

        fn file(&self, path: &str, text: &str) {
            let path = self.0.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    impl Drop for FakeTree {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn membership(id: &str, controllers: &[&str], path: &str) -> Membership {
        Membership {
            id: id.to_owned(),
            controllers: controllers.iter().map(|c| c.to_string()).collect(),
            path: path.to_owned(),
            line: String::new(),
        }
    }

    #[test]
    fn a_v2_group_reads_its_files_and_the_tightest_quota_above_it() {
        let tree = FakeTree::new("v2");
        tree.file("cgroup.controllers", "cpu memory pids\n");
        tree.file("a/cgroup.type", "domain\n");
        tree.file("a/cpu.max", "150000 100000\n");
        tree.file("a/b/cgroup.type", "domain\n");
        tree.file("a/b/cpu.max", "max 100000\n");
        tree.file("a/b/memory.current", "4096\n");
        let mounts = [CgroupMount {
            v2: true,
            point: tree.0.clone(),
            root: "/".to_owned(),
            options: vec!["rw".to_owned()],
        }];
        let group = group_for("cpu", &[membership("0", &[], "/a/b")], &mounts).unwrap();
        assert_eq!((group.dir.clone(), group.root), (tree.0.join("a/b"), false));
        assert_eq!(tightest_cpu_quota(&group), Some((1.5, tree.0.join("a"))));
        let cpu = controller_rows("cpu", Some(&group));
        assert_eq!(cpu[0][2], "no limit on CPU time (period 100000 µs)");
        let pids = controller_rows("pids", Some(&group));
        assert_eq!(pids[0][2], "not set here (controller not enabled)");
        let memory = controller_rows("memory", Some(&group));
        assert_eq!(memory[1][2], "4.00 KiB in use here and below");
        let top = group_for("cpu", &[membership("0", &[], "/")], &mounts).unwrap();
        assert!(top.root, "no cgroup.type: the root group");
    }

    #[test]
    fn a_v1_group_is_found_below_a_mounted_subtree() {
        let tree = FakeTree::new("v1");
        tree.file("sub/cpu.cfs_quota_us", "50000\n");
        tree.file("sub/cpu.cfs_period_us", "100000\n");
        let mounts = [CgroupMount {
            v2: false,
            point: tree.0.clone(),
            root: "/docker/x".to_owned(),
            options: vec!["rw".to_owned(), "cpu".to_owned(), "cpuacct".to_owned()],
        }];
        let memberships = [
            membership("2", &["cpu", "cpuacct"], "/docker/x/sub"),
            membership("0", &[], "/"),
        ];
        let group = group_for("cpu", &memberships, &mounts).unwrap();
        assert_eq!((group.dir.clone(), group.v2), (tree.0.join("sub"), false));
        assert_eq!(tightest_cpu_quota(&group), Some((0.5, tree.0.join("sub"))));
        let rows = controller_rows("cpu", Some(&group));
        assert_eq!(rows[0][2], "µs per period: 0.50 CPUs' worth");
        assert!(
            group_for("memory", &memberships, &mounts).is_none(),
            "no v2 mount"
        );
    }

    #[test]
    fn a_long_path_is_broken_after_a_slash_within_100_columns() {
        let path = format!("/sys/fs/cgroup/{}app.scope", "user.slice/".repeat(12));
        let lines = path_lines("    memory  v2  ", &path, "  (the root group)");
        assert!(lines.len() > 1, "{lines:?}");
        assert!(
            lines.iter().all(|l| l.chars().count() <= WIDTH),
            "{lines:?}"
        );
        let joined: String = lines.iter().map(|l| l.trim_start()).collect();
        // The tail did not fit after the path: it has a line of its own.
        assert_eq!(joined, format!("memory  v2  {path}(the root group)"));
        assert_eq!(path_lines("  ", "/a", "").len(), 1);
    }

    #[test]
    fn cpu_lists_count_ranges_and_single_cpus() {
        assert_eq!(count_cpus("0-3,8,10-11"), Some(7));
        assert_eq!(count_cpus("0"), Some(1));
        assert_eq!(count_cpus(""), Some(0));
        assert_eq!(count_cpus("x"), None);
    }
}
