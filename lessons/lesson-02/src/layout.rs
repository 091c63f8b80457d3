//! Step 2: this process's address space, drawn from its own `/proc/self/maps`.

use support::fmt;
use support::maps::{self, Area, Region};
use support::table::Table;

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

fn short_path(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

// ANCHOR: draw
pub fn show_the_map(places: &Places) -> Result<(), Box<dyn std::error::Error>> {
    fmt::step("2. The map of this process");
    let areas = maps::read_self()?;
    let mut table = Table::new(["from", "to", "size", "perms", "region", "file", "holds"]).right(2);
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
            fmt::address(band.end),
            fmt::bytes(band.end - band.start),
            band.perms.join(" "),
            band.region.to_string(),
            short_path(&band.path).to_owned(),
            holds.join(", "),
        ]);
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
            table.row([
                String::new(),
                String::new(),
                size,
                String::new(),
                what.to_owned(),
            ]);
        }
    }
    print!("{table}");
    fmt::note(&format!(
        "{} mappings, drawn as {} bands (neighbours with the same region and file merged).\n\
         Most of the address space is unmapped: touching it is a segmentation fault.",
        areas.len(),
        bands.len()
    ));
    Ok(())
}
// ANCHOR_END: draw
