//! Exercise `region_sizes`: how much address space each region of a process takes.
//!
//! `/proc/<pid>/maps` lists every mapping; adding up their sizes by region answers
//! "how big is this program's code? its heap? how much is shared libraries?" — in
//! *virtual* bytes: address space reserved, not RAM in use (a mapping's pages are only
//! given RAM when first touched; chapter 03 measures that).
//!
//! Your code goes between the `// ANCHOR: solution` and `// ANCHOR_END: solution` lines
//! below, in place of `todo!()`. To Rust they are ordinary comments; they mark the part of
//! the file that is yours (the reference solution in `solutions/` differs from this file
//! only there), so leave them where they are.

use std::collections::BTreeMap;

use crate::classify::{Region, region_of_line};
use crate::maps_line::MapsLine;

/// The total size in bytes (`end - start`, summed) of the lines of each region, using
/// [`region_of_line`] from the previous exercise. Regions with no lines are left out.
pub fn region_sizes(maps: &[MapsLine], exe: &str) -> BTreeMap<Region, u64> {
    // ANCHOR: solution
    todo!("write this, then run `cargo xtask grade`")
    // ANCHOR_END: solution
}
