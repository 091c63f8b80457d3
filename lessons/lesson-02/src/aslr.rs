//! Step 5: address-space layout randomisation — run the lesson again, compare addresses.

use std::process::Command;

use support::fmt;
use support::table::Table;

/// What the hidden `--print-addresses` mode prints: one `name address` line each.
// ANCHOR: print_addresses
pub fn print_addresses() {
    let boxed = Box::new(1u64);
    let large = vec![0u8; 1024 * 1024];
    let local = 0u64;
    println!("function {:#x}", crate::main as *const () as u64);
    println!("static {:#x}", &LAYOUT_PROBE as *const u64 as u64);
    println!("heap {:#x}", &*boxed as *const u64 as u64);
    println!("mmap {:#x}", large.as_ptr() as u64);
    if let Some(libc) = mapping_start(|name| name.starts_with("libc.so")) {
        println!("libc {libc:#x}");
    }
    if let Some(vdso) = mapping_start(|name| name == "[vdso]") {
        println!("vdso {vdso:#x}");
    }
    println!("stack {:#x}", &local as *const u64 as u64);
}
// ANCHOR_END: print_addresses

/// Where the first mapping whose file name (or kernel name) passes `wanted` starts, from
/// /proc/self/maps: the shared C library, or the kernel's vDSO (code the kernel maps into
/// every process so that a few calls, such as reading the clock, need no system call).
fn mapping_start(wanted: impl Fn(&str) -> bool) -> Option<u64> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    maps.lines().find_map(|line| {
        let name = line.split_whitespace().nth(5)?;
        let name = name.rsplit('/').next()?;
        let start = line.split('-').next()?;
        wanted(name)
            .then(|| u64::from_str_radix(start, 16).ok())
            .flatten()
    })
}

static LAYOUT_PROBE: u64 = 0;

fn one_run() -> Result<Vec<(String, u64)>, Box<dyn std::error::Error>> {
    // Listed for the Ctrl-C handler while it runs, so Ctrl-C reaps it too.
    let output =
        support::child::output(Command::new(std::env::current_exe()?).arg("--print-addresses"))?;
    if !output.status.success() {
        return Err(format!("the lesson's own re-run failed: {}", output.status).into());
    }
    let text = String::from_utf8(output.stdout)?;
    text.lines()
        .map(|line| {
            let (name, hex) = line.split_once(' ').ok_or("bad address line")?;
            let addr = u64::from_str_radix(hex.trim_start_matches("0x"), 16)?;
            Ok((name.to_owned(), addr))
        })
        .collect()
}

pub fn show_aslr(runs: usize) -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("5. ASLR: same layout, different addresses");
    let results: Vec<Vec<(String, u64)>> =
        (0..runs).map(|_| one_run()).collect::<Result<_, _>>()?;
    let mut headers = vec!["what".to_owned()];
    headers.extend((1..=runs).map(|r| format!("run {r}")));
    headers.push("same distance in every run from".to_owned());
    let mut table = Table::new(headers);
    let address =
        |run: &[(String, u64)], name: &str| run.iter().find(|(n, _)| n == name).map(|(_, a)| *a);
    // A row keeps its distance from an anchor when address − anchor is the same in
    // every run: then one random choice placed both.
    let keeps_distance = |name: &str, anchor: &str| {
        let distances: Option<Vec<i128>> = results
            .iter()
            .map(|run| Some(address(run, name)? as i128 - address(run, anchor)? as i128))
            .collect();
        distances.is_some_and(|d| d.windows(2).all(|w| w[0] == w[1]))
    };
    for (name, _) in &results[0] {
        let mut cells = vec![name.clone()];
        cells.extend(
            results
                .iter()
                .map(|run| address(run, name).map_or_else(|| "?".to_owned(), fmt::address)),
        );
        cells.push(match name.as_str() {
            "function" => "— (where the program file was put)".to_owned(),
            "libc" => "— (the mmap area's random base)".to_owned(),
            _ if keeps_distance(name, "function") => "the function: same file".to_owned(),
            _ if keeps_distance(name, "libc") => "libc: the same mmap area".to_owned(),
            _ => "neither: a random start of its own".to_owned(),
        });
        table.row(cells);
    }
    print!("{table}");
    let setting = std::fs::read_to_string("/proc/sys/kernel/randomize_va_space")
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| "unreadable".to_owned());
    fmt::note(&format!(
        "{runs} runs of the same program. /proc/sys/kernel/randomize_va_space = {setting}\n\
         (0 off, 1 stack, mmap area and vDSO, 2 also the heap). Each exec draws a few random\n\
         bases, not one per mapping: the program file moves as one block, and every mapping\n\
         that asks for no address (each shared library the loader maps, a large allocation)\n\
         is placed one after another below the mmap area's random base. So one leaked libc\n\
         address gives away the other libraries and all that moved with libc above; only\n\
         the blocks with a start of their own stay unknown."
    ));
    Ok(())
}
