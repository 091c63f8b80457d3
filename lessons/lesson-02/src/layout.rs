//! Step 2: this process's address space, drawn from its own `/proc/self/maps`.

use support::fmt;
use support::table::Table;

use crate::maps::{self, Area, Region};
use crate::places::Places;

/// Addresses with the top bit set belong to the kernel on x86-64 and AArch64 alike.
const KERNEL_HALF: u64 = 1 << 63;

/// Consecutive mappings of the same region and file, drawn as one band.
#[derive(Debug)]
struct Band {
    start: u64,
    end: u64,
    region: Region,
    path: String,
    perms: Vec<String>,
}

// ANCHOR: bands
fn bands(areas: &[Area]) -> Vec<Band> {
    let mut bands: Vec<Band> = Vec::new();
    for area in areas {
        match bands.last_mut() {
            Some(band)
                if band.region == area.region
                    && band.path == area.path
                    && band.end == area.start =>
            {
                band.end = area.end;
                band.perms.push(area.perms.clone());
            }
            _ => bands.push(Band {
                start: area.start,
                end: area.end,
                region: area.region,
                path: area.path.clone(),
                perms: vec![area.perms.clone()],
            }),
        }
    }
    bands
}
// ANCHOR_END: bands

fn short_path(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The band's region, named as briefly as a 100-column table allows: a mapped file by its
/// file name, the kernel's pages by their bracketed name, the rest by region.
fn label(band: &Band) -> String {
    match band.region {
        Region::FileMmap | Region::Kernel => short_path(&band.path).to_owned(),
        Region::Heap => "heap [heap]".to_owned(),
        Region::Stack => "stack [stack]".to_owned(),
        region => region.to_string(),
    }
}

/// The distinct permissions of a band's mappings, without the private/shared letter:
/// a shared library's five mappings read `r-- r-x rw-`.
fn perms(band: &Band) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for p in &band.perms {
        let p = p.get(..3).unwrap_or(p);
        if !seen.contains(&p) {
            seen.push(p);
        }
    }
    seen.join(" ")
}

pub fn show_the_map(places: &Places) -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("2. The map of this process");
    let areas = maps::read_self()?;
    let mut table = Table::new(["from", "size", "perms", "region or file", "holds"]).right(1);
    let bands = bands(&areas);
    // Highest addresses first, as textbooks draw it: the stack on top, code at the bottom.
    for (i, band) in bands.iter().enumerate().rev() {
        let holds: Vec<&str> = places
            .list
            .iter()
            .filter(|p| (band.start..band.end).contains(&p.addr))
            .map(|p| p.what)
            .collect();
        table.row([
            fmt::address(band.start),
            fmt::bytes(band.end - band.start),
            perms(band),
            label(band),
            holds.first().copied().unwrap_or_default().to_owned(),
        ]);
        // One thing per line keeps the table narrow.
        for more in holds.iter().skip(1) {
            table.row(["", "", "", "", more]);
        }
        if let Some(below) = i.checked_sub(1).map(|j| &bands[j])
            && below.end < band.start
        {
            // Above the user half of the address space lies the kernel's half (with a
            // hole between that no address can name): not a gap a program could fill.
            let (size, what) = if band.start >= KERNEL_HALF {
                (String::new(), "┆ the kernel's half")
            } else {
                (fmt::bytes(band.start - below.end), "┆ unmapped")
            };
            table.row([String::new(), size, String::new(), what.to_owned()]);
        }
    }
    print!("{table}");
    fmt::note(&format!(
        "{} mappings, drawn as {} bands (neighbours with the same region and file merged;\n\
         perms lists their distinct permissions). A file name is a mapped file, a [name] in\n\
         brackets the kernel's own pages. Code, read-only data and data come from the\n\
         program file. Most of the address space is unmapped: touching it is a segmentation\n\
         fault.",
        areas.len(),
        bands.len()
    ));
    Ok(())
}
