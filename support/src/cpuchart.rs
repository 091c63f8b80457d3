//! Per-core utilisation over time, drawn two ways: rows of block characters for the
//! terminal, and a small hand-written SVG file for a browser.
//!
//! Input is what [`crate::cpustat::Sampler`] collects: one sample per interval, each
//! holding one figure (0.0 to 1.0) per core.

use std::fmt::Write as _;

/// Eight heights of a block, from an idle core to a full one (plus a blank for zero).
const BLOCKS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One chart: a title, the samples, and labelled marks (a sample index where a phase
/// begins, such as "4 threads").
#[derive(Debug, Clone, Default)]
pub struct Chart {
    pub title: String,
    pub samples: Vec<Vec<f64>>,
    pub marks: Vec<(usize, String)>,
}

/// A block character for a fraction 0.0–1.0.
pub fn block(fraction: f64) -> char {
    let level = (fraction.clamp(0.0, 1.0) * 8.0).round() as usize;
    BLOCKS[level]
}

/// Averages neighbouring samples so that at most `width` remain; returns them and how
/// many samples each column holds.
fn squeeze(samples: &[Vec<f64>], width: usize) -> (Vec<Vec<f64>>, usize) {
    let per = samples.len().div_ceil(width.max(1)).max(1);
    let columns = samples
        .chunks(per)
        .map(|chunk| {
            let cores = chunk[0].len();
            (0..cores)
                .map(|c| chunk.iter().map(|s| s[c]).sum::<f64>() / chunk.len() as f64)
                .collect()
        })
        .collect();
    (columns, per)
}

impl Chart {
    /// How many cores the samples cover.
    pub fn cores(&self) -> usize {
        self.samples.first().map_or(0, Vec::len)
    }

    /// The mean of the per-sample sums: how many cores' worth were busy on average.
    pub fn mean_cores_busy(&self) -> f64 {
        if self.samples.is_empty() {
            return 0.0;
        }
        self.samples
            .iter()
            .map(|s| s.iter().sum::<f64>())
            .sum::<f64>()
            / self.samples.len() as f64
    }

    /// Terminal rows: one per core (`cpu0 ▂▇█…  74 %`), a `sum` row scaled to all cores,
    /// and a row of marks, each line at most `width` columns wide.
    pub fn to_terminal(&self, width: usize) -> String {
        let cores = self.cores();
        let label = 7; // "  cpu0 " and "  sum  "
        let tail = 12; // " 100 %" or " 1.95 cores"
        let (columns, per) = squeeze(&self.samples, width.saturating_sub(label + tail));
        let mut out = String::new();
        for c in 0..cores {
            let row: String = columns.iter().map(|s| block(s[c])).collect();
            let mean = self.samples.iter().map(|s| s[c]).sum::<f64>() / self.samples.len() as f64;
            let _ = writeln!(
                out,
                "  {:<5}{row} {:>4.0} %",
                format!("cpu{c}"),
                mean * 100.0
            );
        }
        let sum: String = columns
            .iter()
            .map(|s| block(s.iter().sum::<f64>() / cores.max(1) as f64))
            .collect();
        let _ = writeln!(out, "  sum  {sum} {:.2} cores", self.mean_cores_busy());
        let mut marks = vec![' '; columns.len()];
        let mut text = String::new();
        for (at, name) in &self.marks {
            let col = at / per;
            // Write the label from its column, if there is room before the next one.
            for (i, ch) in name.chars().enumerate() {
                if let Some(slot) = marks.get_mut(col + i) {
                    *slot = ch;
                }
            }
            if col < marks.len() && marks[col] == ' ' {
                marks[col] = '|';
            }
        }
        text.extend(marks);
        let _ = writeln!(out, "       {}", text.trim_end());
        out
    }
}

/// An SVG document with one panel per chart: a strip per core whose bars rise with that
/// core's utilisation in each sample, and a dashed line where each mark falls.
pub fn svg(charts: &[Chart], caption: &str) -> String {
    const BAR: usize = 6;
    const STRIP: usize = 28;
    const LEFT: usize = 60;
    let widest = charts
        .iter()
        .map(|c| c.samples.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let width = LEFT + widest * BAR + 20;
    let panel_height = |c: &Chart| 26 + c.cores() * (STRIP + 4) + 18;
    let height = 40 + charts.iter().map(panel_height).sum::<usize>();
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="10" y="22" font-size="14">{}</text>"#,
        escape(caption)
    );
    let mut y = 40;
    for chart in charts {
        let _ = writeln!(
            s,
            r#"<text x="10" y="{}" font-weight="bold">{} — mean {:.2} cores busy</text>"#,
            y + 16,
            escape(&chart.title),
            chart.mean_cores_busy()
        );
        let top = y + 26;
        for c in 0..chart.cores() {
            let base = top + c * (STRIP + 4);
            let _ = writeln!(
                s,
                r##"<text x="10" y="{}">cpu{c}</text><rect x="{LEFT}" y="{base}" width="{}" height="{STRIP}" fill="#f2f2f2"/>"##,
                base + STRIP / 2 + 4,
                chart.samples.len() * BAR
            );
            for (i, sample) in chart.samples.iter().enumerate() {
                let h = (sample[c].clamp(0.0, 1.0) * STRIP as f64).round() as usize;
                if h > 0 {
                    let _ = writeln!(
                        s,
                        r##"<rect x="{}" y="{}" width="{}" height="{h}" fill="#3b7dd8"/>"##,
                        LEFT + i * BAR,
                        base + STRIP - h,
                        BAR - 1
                    );
                }
            }
        }
        let bottom = top + chart.cores() * (STRIP + 4);
        for (at, name) in &chart.marks {
            let x = LEFT + at * BAR;
            let _ = writeln!(
                s,
                r##"<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="#c33" stroke-dasharray="3,2"/><text x="{}" y="{}" fill="#c33">{}</text>"##,
                x + 2,
                bottom + 12,
                escape(name)
            );
        }
        y += panel_height(chart);
    }
    s.push_str("</svg>\n");
    s
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> Chart {
        Chart {
            title: "two cores".into(),
            samples: vec![
                vec![1.0, 0.0],
                vec![0.5, 0.5],
                vec![0.0, 1.0],
                vec![1.0, 1.0],
            ],
            marks: vec![(0, "1".into()), (2, "2".into())],
        }
    }

    #[test]
    fn blocks_rise_with_utilisation() {
        assert_eq!(
            [block(0.0), block(0.5), block(1.0), block(2.0)],
            [' ', '▄', '█', '█']
        );
    }

    #[test]
    fn terminal_rows_per_core_then_sum_then_marks() {
        let text = chart().to_terminal(100);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "  cpu0 █▄ █   62 %");
        assert_eq!(lines[1], "  cpu1  ▄██   62 %");
        assert_eq!(lines[2], "  sum  ▄▄▄█ 1.25 cores");
        assert_eq!(lines[3], "       1 2");
    }

    #[test]
    fn long_series_are_squeezed_to_the_width() {
        let mut c = chart();
        c.samples = vec![vec![0.5, 0.5]; 500];
        assert!(c.to_terminal(60).lines().all(|l| l.chars().count() <= 60));
    }

    #[test]
    fn the_svg_is_one_document_with_a_bar_per_busy_sample() {
        let svg = svg(&[chart()], "a <test>");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        assert!(svg.contains("a &lt;test&gt;"));
        assert_eq!(svg.matches(r##"fill="#3b7dd8""##).count(), 6);
    }
}
