//! Languages: how each runtime maps its "threads" onto OS threads, and a live check of two
//! interpreters on this machine.

use std::process::Command;

use anyhow::Result;
use support::{fmt, table::Table};

/// Two threads each busy for 0.5 s of wall time; prints CPU seconds used per wall second.
const PYTHON: &str = "import threading,time
def spin():
    end=time.time()+0.5
    while time.time()<end: pass
t0=time.time(); c0=time.process_time()
ts=[threading.Thread(target=spin) for _ in range(2)]
[t.start() for t in ts]; [t.join() for t in ts]
print(f'{(time.process_time()-c0)/(time.time()-t0):.2f}')";

const NODE: &str = "const {Worker}=require('worker_threads');
const body='const e=Date.now()+500;while(Date.now()<e){}';
const t0=Date.now(),c0=process.cpuUsage();let left=2;
for(let i=0;i<2;i++){new Worker(body,{eval:true}).on('exit',()=>{if(--left===0){
const c=process.cpuUsage(c0);console.log(((c.user+c.system)/1000/(Date.now()-t0)).toFixed(2));}});}";

// ANCHOR: live_check
/// Runs `program` with a script and reads the number it prints: CPU time over wall time.
fn cpu_per_wall(program: &str, flag: &str, script: &str) -> Option<f64> {
    let mut command = Command::new(program);
    command.args([flag, script]);
    let out = support::child::output(&mut command).ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}
// ANCHOR_END: live_check

pub fn show_languages() -> Result<()> {
    fmt::step("Languages");
    let mut table = Table::new(["runtime", "a \"thread\" is", "on how many cores at once"]);
    for row in [
        [
            "JavaScript (Node.js)",
            "one event loop; Worker = an OS thread",
            "1 per loop; workers: all",
        ],
        [
            "CPython (default)",
            "an OS thread (1:1), under the GIL",
            "1 for bytecode; processes: all",
        ],
        [
            "CPython 3.13t/3.14t",
            "an OS thread, no GIL (optional build)",
            "all",
        ],
        ["Java, C#", "an OS thread (1:1); Java 21 virtual", "all"],
        ["", "threads are M:N; C# Tasks share a pool", ""],
        [
            "Go",
            "goroutine, M:N on OS threads",
            "GOMAXPROCS run Go code at once",
        ],
        [
            "",
            "(blocked system calls use more threads)",
            "(CPUs; 1.25+: the cgroup quota)",
        ],
        ["Rust", "std::thread 1:1; async tasks M:N", "all"],
    ] {
        table.row(row);
    }
    for line in table.to_string().lines() {
        println!("  {line}");
    }
    println!("  live check, 2 threads each busy for 0.5 s (CPU seconds per wall second):");
    let py = cpu_per_wall("python3", "-c", PYTHON);
    let node = cpu_per_wall("node", "-e", NODE);
    for (name, got, note) in [
        ("python3", py, "threading.Thread, GIL build"),
        ("node", node, "worker_threads"),
    ] {
        match got {
            Some(ratio) => println!("    {name:8} {ratio:.2}  ({note})"),
            None => println!("    {name:8} not run (not installed here)"),
        }
    }
    fmt::note(
        "1.00 means one core's worth of CPU, however many threads; 2.00 means two cores at once.",
    );
    Ok(())
}
