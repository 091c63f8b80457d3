//! Solution regions: the lines between `// ANCHOR: solution…` and `// ANCHOR_END: solution…`
//! in an exercise file, the learner's part. Three files share everything outside them (the
//! frame): the reference solution; its stub, each region's body replaced by `todo!()`; and
//! each wrong attempt, some regions' bodies replaced by a mistake. So a stub is rebuilt
//! from its solution (`cargo xtask reset`), and a wrong attempt is kept as the regions it
//! changes only, spliced into the solution to be graded (`cargo xtask verify`).

/// What every stub region holds.
pub const TODO: &str = "todo!(\"write this, then run `cargo xtask grade`\")";

const START: &str = "// ANCHOR: ";
const END: &str = "// ANCHOR_END: ";

/// One region: its name (`solution`, or `solution_<name>` when a file has several) and its
/// body, the lines between the two markers, each ending in `\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub name: String,
    pub body: String,
}

/// The region a marker line opens, if it opens one.
fn opens(line: &str) -> Option<&str> {
    line.trim()
        .strip_prefix(START)
        .filter(|name| name.starts_with("solution"))
}

/// Whether a marker line closes a region.
fn closes(line: &str) -> bool {
    line.trim()
        .strip_prefix(END)
        .is_some_and(|name| name.starts_with("solution"))
}

/// Splits a file into its frame (every line outside solution regions, markers included)
/// and its regions, in order.
pub fn split(text: &str) -> (Vec<&str>, Vec<Region>) {
    let mut frame = Vec::new();
    let mut regions = Vec::new();
    let mut current: Option<Region> = None;
    for line in text.lines() {
        if let Some(name) = opens(line) {
            frame.push(line);
            current = Some(Region {
                name: name.to_owned(),
                body: String::new(),
            });
        } else if closes(line) {
            frame.push(line);
            regions.extend(current.take());
        } else if let Some(region) = current.as_mut() {
            region.body.push_str(line);
            region.body.push('\n');
        } else {
            frame.push(line);
        }
    }
    (frame, regions)
}

/// The stub that belongs to a solution: each region's body becomes `todo!()`.
pub fn stub_from_solution(solution: &str) -> String {
    rewrite(solution, |_, indent| Some(format!("{indent}{TODO}\n")))
}

/// The file graded for a wrong attempt: `solution` with each region `attempt` lists in
/// place of the solution's own; the others stay solved, so only the attempt's mistake can
/// make it fail. An attempt file holds, after its `//!` lines, only regions with their
/// markers (as in the solution, indentation included); a region the solution lacks, or
/// anything else outside the regions, is an error.
pub fn splice(solution: &str, attempt: &str) -> Result<String, String> {
    let replacements = attempt_regions(attempt)?;
    let (_, solution_regions) = split(solution);
    for replacement in &replacements {
        let Some(own) = solution_regions.iter().find(|r| r.name == replacement.name) else {
            return Err(format!(
                "region `{}` is not in the solution (its regions: {})",
                replacement.name,
                names(&solution_regions)
            ));
        };
        if own.body.trim_end() == replacement.body.trim_end() {
            return Err(format!(
                "region `{}` is the solution's own: list only the regions the mistake changes",
                replacement.name
            ));
        }
    }
    Ok(rewrite(solution, |region, _| {
        replacements
            .iter()
            .find(|r| r.name == region)
            .map(|r| r.body.clone())
    }))
}

/// The regions of an attempt file, refusing anything but `//!` lines and blank lines
/// outside them, and a region listed twice.
fn attempt_regions(attempt: &str) -> Result<Vec<Region>, String> {
    let (frame, regions) = split(attempt);
    if let Some(stray) = frame.iter().find(|line| {
        let line = line.trim();
        !(line.is_empty() || line.starts_with("//!") || opens(line).is_some() || closes(line))
    }) {
        return Err(format!(
            "`{}` is outside every region: an attempt holds only the regions it changes",
            stray.trim()
        ));
    }
    if regions.is_empty() {
        return Err("no `// ANCHOR: solution…` region: an attempt changes at least one".into());
    }
    for (i, region) in regions.iter().enumerate() {
        if regions[..i].iter().any(|r| r.name == region.name) {
            return Err(format!("region `{}` is listed twice", region.name));
        }
    }
    Ok(regions)
}

/// `text` with the body of each region for which `replace(name, indent)` returns text
/// swapped for that text; the frame, markers included, is kept as it is.
fn rewrite(text: &str, replace: impl Fn(&str, &str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if closes(line) {
            skipping = false;
        } else if skipping {
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if let Some(name) = opens(line) {
            let indent = &line[..line.len() - line.trim_start().len()];
            if let Some(body) = replace(name, indent) {
                out.push_str(&body);
                skipping = true;
            }
        }
    }
    out
}

fn names(regions: &[Region]) -> String {
    regions
        .iter()
        .map(|r| format!("`{}`", r.name))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOLUTION: &str = "//! Doc.\n\npub fn f() -> u8 {\n    // ANCHOR: solution_f\n    1 + 1\n    // ANCHOR_END: solution_f\n}\n\npub fn g() -> u8 {\n    // ANCHOR: solution_g\n    3\n    // ANCHOR_END: solution_g\n}\n";

    #[test]
    fn a_stub_keeps_the_frame_and_empties_each_region() {
        let stub = stub_from_solution(SOLUTION);
        assert!(stub.contains(&format!("    // ANCHOR: solution_f\n    {TODO}\n")));
        assert!(!stub.contains("1 + 1") && !stub.contains("    3\n"));
        assert_eq!(split(&stub).0, split(SOLUTION).0);
    }

    #[test]
    fn an_attempt_replaces_its_regions_and_leaves_the_others_solved() {
        let attempt = "//! Wrong attempt: adds one too many.\n\n    // ANCHOR: solution_f\n    1 + 2\n    // ANCHOR_END: solution_f\n";
        let graded = splice(SOLUTION, attempt).unwrap();
        assert_eq!(graded, SOLUTION.replace("    1 + 1\n", "    1 + 2\n"));
    }

    #[test]
    fn an_attempt_that_is_not_only_changed_regions_is_refused() {
        let unknown =
            "//! Wrong attempt: x.\n// ANCHOR: solution_h\n1\n// ANCHOR_END: solution_h\n";
        assert!(
            splice(SOLUTION, unknown)
                .unwrap_err()
                .contains("not in the solution")
        );
        let unchanged =
            "//! Wrong attempt: x.\n// ANCHOR: solution_g\n    3\n// ANCHOR_END: solution_g\n";
        assert!(
            splice(SOLUTION, unchanged)
                .unwrap_err()
                .contains("solution's own")
        );
        let stray = "//! Wrong attempt: x.\nuse std::fmt;\n// ANCHOR: solution_g\n4\n// ANCHOR_END: solution_g\n";
        assert!(
            splice(SOLUTION, stray)
                .unwrap_err()
                .contains("outside every region")
        );
        let twice = "// ANCHOR: solution_g\n4\n// ANCHOR_END: solution_g\n// ANCHOR: solution_g\n5\n// ANCHOR_END: solution_g\n";
        assert!(splice(SOLUTION, twice).unwrap_err().contains("twice"));
        assert!(
            splice(SOLUTION, "//! Wrong attempt: x.\n")
                .unwrap_err()
                .contains("no `")
        );
    }
}
