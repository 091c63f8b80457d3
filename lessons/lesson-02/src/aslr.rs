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
    println!("stack {:#x}", &local as *const u64 as u64);
}
// ANCHOR_END: print_addresses

static LAYOUT_PROBE: u64 = 0;

fn one_run() -> Result<Vec<(String, u64)>, Box<dyn std::error::Error>> {
    let output = Command::new(std::env::current_exe()?)
        .arg("--print-addresses")
        .output()?;
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
    headers.push("distance from the function, same in every run?".to_owned());
    let mut table = Table::new(headers);
    for (row, (name, _)) in results[0].iter().enumerate() {
        let mut cells = vec![name.clone()];
        cells.extend(results.iter().map(|run| fmt::address(run[row].1)));
        let distances: Vec<i128> = results
            .iter()
            .map(|run| run[row].1 as i128 - run[0].1 as i128)
            .collect();
        let same = distances.windows(2).all(|w| w[0] == w[1]);
        cells.push(if row == 0 {
            "—".to_owned()
        } else if same {
            "yes: the same file layout".to_owned()
        } else {
            "no: placed independently".to_owned()
        });
        table.row(cells);
    }
    print!("{table}");
    let setting = std::fs::read_to_string("/proc/sys/kernel/randomize_va_space")
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| "unreadable".to_owned());
    fmt::note(&format!(
        "{runs} runs of the same program. /proc/sys/kernel/randomize_va_space = {setting}\n\
         (0 off, 1 stack/mmap/vdso, 2 also the heap). The program file is loaded as one\n\
         block, so code and statics keep their distance; heap, mmap and stack each get\n\
         their own random start. An attacker who learns one address learns no other block."
    ));
    Ok(())
}
