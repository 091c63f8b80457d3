//! Aligned text tables for lesson output.
//!
//! Twenty lines instead of a table crate: lessons print small tables, and a learner pays
//! for every dependency before their first `cargo run`.

use std::fmt;

/// A table of text cells, printed with columns padded to their widest cell.
#[derive(Debug, Clone, Default)]
pub struct Table {
    headers: Vec<String>,
    /// A second header line (units, qualifiers), printed above the rule with the first.
    subheaders: Vec<String>,
    rows: Vec<Vec<String>>,
    right_aligned: Vec<bool>,
}

impl Table {
    /// A table with these column headers; every column starts left-aligned.
    pub fn new<S: ToString>(headers: impl IntoIterator<Item = S>) -> Self {
        let headers: Vec<String> = headers.into_iter().map(|h| h.to_string()).collect();
        let right_aligned = vec![false; headers.len()];
        Self {
            headers,
            subheaders: Vec::new(),
            rows: Vec::new(),
            right_aligned,
        }
    }

    /// Right-aligns a column (numbers read better that way).
    pub fn right(mut self, column: usize) -> Self {
        if let Some(flag) = self.right_aligned.get_mut(column) {
            *flag = true;
        }
        self
    }

    /// A second header line under the first, above the rule, so it reads as a header.
    pub fn subheader<S: ToString>(mut self, cells: impl IntoIterator<Item = S>) -> Self {
        self.subheaders = cells.into_iter().map(|c| c.to_string()).collect();
        self
    }

    /// Adds a row; missing cells print empty, extra cells are kept.
    pub fn row<S: ToString>(&mut self, cells: impl IntoIterator<Item = S>) -> &mut Self {
        self.rows
            .push(cells.into_iter().map(|c| c.to_string()).collect());
        self
    }

    fn widths(&self) -> Vec<usize> {
        let columns = self
            .rows
            .iter()
            .map(Vec::len)
            .chain([self.headers.len()])
            .max()
            .unwrap_or(0);
        (0..columns)
            .map(|c| {
                [&self.headers, &self.subheaders]
                    .into_iter()
                    .chain(&self.rows)
                    .filter_map(|r| r.get(c))
                    .map(|cell| cell.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }

    fn write_row(
        &self,
        f: &mut fmt::Formatter<'_>,
        cells: &[String],
        widths: &[usize],
    ) -> fmt::Result {
        let mut line = String::from("  ");
        for (c, width) in widths.iter().enumerate() {
            let cell = cells.get(c).map(String::as_str).unwrap_or("");
            if self.right_aligned.get(c).copied().unwrap_or(false) {
                line.push_str(&format!("{cell:>width$}  "));
            } else {
                line.push_str(&format!("{cell:<width$}  "));
            }
        }
        writeln!(f, "{}", line.trim_end())
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let widths = self.widths();
        self.write_row(f, &self.headers, &widths)?;
        if !self.subheaders.is_empty() {
            self.write_row(f, &self.subheaders, &widths)?;
        }
        let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
        self.write_row(f, &rule, &widths)?;
        for row in &self.rows {
            self.write_row(f, row, &widths)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_padded_to_the_widest_cell() {
        let mut t = Table::new(["name", "n"]).right(1);
        t.row(["a", "1"]).row(["long", "100"]);
        assert_eq!(
            t.to_string(),
            "  name    n\n  ────  ───\n  a       1\n  long  100\n"
        );
    }

    #[test]
    fn a_subheader_sits_above_the_rule() {
        let mut t = Table::new(["time", "n"]).subheader(["(ms)", ""]).right(1);
        t.row(["5", "1"]);
        assert_eq!(t.to_string(), "  time  n\n  (ms)\n  ────  ─\n  5     1\n");
    }
}
