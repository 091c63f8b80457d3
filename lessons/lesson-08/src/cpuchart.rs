//! Per-core utilisation over time, drawn two ways: rows of block characters for the
//! terminal, and a small hand-written SVG file for a browser.
//!
//! Input is what [`crate::sampler::Sampler`] collects: one sample per interval, each
//! holding, per core, the CPU time this program used and the share the whole machine used.
//!
//! Why here, in the lesson: only lesson 08 draws these charts.

use std::fmt::Write as _;
use std::time::Duration;

use crate::sampler::Sample;

/// Eight heights of a block, from an idle core to a full one (plus a blank for zero).
const BLOCKS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One chart: a title, the CPU numbers of its rows, the samples, and labelled marks (a
/// sample index where a phase begins, such as "4" for four threads).
#[derive(Debug, Clone, Default)]
pub struct Chart {
    /// Printed above the chart by the caller, and above its panel in the SVG file.
    pub title: String,
    /// The CPU numbers of the rows, in order ([`crate::sampler::Sampled::cpus`]).
    pub cpus: Vec<usize>,
    /// One per interval, oldest first, each with a figure per entry of `cpus`.
    pub samples: Vec<Sample>,
    /// (index into `samples`, label): where each phase begins.
    pub marks: Vec<(usize, String)>,
}

/// A block character for a fraction 0.0–1.0.
pub fn block(fraction: f64) -> char {
    let level = (fraction.clamp(0.0, 1.0) * 8.0).round() as usize;
    BLOCKS[level]
}

/// Some consecutive samples taken together, each figure weighted by its interval.
#[derive(Debug, Clone, PartialEq)]
struct Span {
    /// This program's share of each core (CPU time on it / wall time).
    program: Vec<f64>,
    /// The whole machine's utilisation of each core.
    machine: Vec<f64>,
}

impl Span {
    fn of(samples: &[Sample], cores: usize) -> Self {
        let wall: f64 = samples.iter().map(|s| s.interval.as_secs_f64()).sum();
        let per_core = |figure: &dyn Fn(&Sample, usize) -> f64| -> Vec<f64> {
            (0..cores)
                .map(|c| {
                    let sum: f64 = samples.iter().map(|s| figure(s, c)).sum();
                    if wall > 0.0 { sum / wall } else { 0.0 }
                })
                .collect()
        };
        Span {
            program: per_core(&|s, c| s.program[c].as_secs_f64()),
            machine: per_core(&|s, c| s.machine[c] * s.interval.as_secs_f64()),
        }
    }

    fn program_cores(&self) -> f64 {
        self.program.iter().sum()
    }

    fn machine_cores(&self) -> f64 {
        self.machine.iter().sum()
    }
}

impl Chart {
    /// How many cores (rows) the chart has.
    pub fn cores(&self) -> usize {
        self.cpus.len()
    }

    fn whole(&self) -> Span {
        Span::of(&self.samples, self.cores())
    }

    /// This program's CPU time in the chart divided by the time sampled: how many cores'
    /// worth it kept busy on average.
    pub fn program_cores(&self) -> f64 {
        self.whole().program_cores()
    }

    /// The same for everything on the machine, from `/proc/stat`.
    pub fn machine_cores(&self) -> f64 {
        self.whole().machine_cores()
    }

    /// This program's CPU time charged to some core, all samples together.
    pub fn program_cpu(&self) -> Duration {
        self.samples.iter().flat_map(|s| &s.program).sum()
    }

    /// Consecutive samples taken together so that at most `width` remain, and how many
    /// samples each holds.
    fn squeeze(&self, width: usize) -> (Vec<Span>, usize) {
        let per = self.samples.len().div_ceil(width.max(1)).max(1);
        let spans = self
            .samples
            .chunks(per)
            .map(|chunk| Span::of(chunk, self.cores()))
            .collect();
        (spans, per)
    }

    /// Terminal rows, each at most `width` columns wide: one per core for this program
    /// (`cpu0    ▂▇█…  74 %`), the program on all cores together (`program`, full when it
    /// uses every core), the whole machine likewise (`machine`), and a row of marks.
    pub fn to_terminal(&self, width: usize) -> String {
        const LABEL: usize = 10; // "  program "
        const TAIL: usize = 11; // " 1.95 cores"
        let cores = self.cores();
        let (spans, per) = self.squeeze(width.saturating_sub(LABEL + TAIL));
        let whole = self.whole();
        let mut out = String::new();
        for c in 0..cores {
            let row: String = spans.iter().map(|s| block(s.program[c])).collect();
            let label = format!("cpu{}", self.cpus[c]);
            let percent = whole.program[c] * 100.0;
            let _ = writeln!(out, "  {label:<8}{row} {percent:>4.0} %");
        }
        let all = cores.max(1) as f64;
        for (label, total, mean) in [
            (
                "program",
                spans
                    .iter()
                    .map(|s| block(s.program_cores() / all))
                    .collect::<String>(),
                whole.program_cores(),
            ),
            (
                "machine",
                spans
                    .iter()
                    .map(|s| block(s.machine_cores() / all))
                    .collect(),
                whole.machine_cores(),
            ),
        ] {
            let _ = writeln!(out, "  {label:<8}{total} {mean:.2} cores");
        }
        let mut marks = vec![' '; spans.len()];
        for (at, name) in &self.marks {
            let col = at / per;
            // Write the label from its column, if there is room before the next one.
            for (i, ch) in name.chars().enumerate() {
                if let Some(slot) = marks.get_mut(col + i) {
                    *slot = ch;
                }
            }
        }
        let marks: String = marks.into_iter().collect();
        let _ = writeln!(out, "{:LABEL$}{}", "", marks.trim_end());
        out
    }
}

/// An SVG document with one panel per chart: a strip per core, where a grey bar rises with
/// the whole machine's use of that core in each sample and a blue bar, in front, with this
/// program's; the grey left showing above the blue is other programs. A dashed line marks
/// where each phase begins.
pub fn svg(charts: &[Chart], caption: &str) -> String {
    const BAR: usize = 6;
    const STRIP: usize = 28;
    const LEFT: usize = 60;
    const PROGRAM: &str = "#3b7dd8";
    const MACHINE: &str = "#c8c8c8";
    let widest = charts
        .iter()
        .map(|c| c.samples.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let width = LEFT + widest * BAR + 20;
    let panel_height = |c: &Chart| 26 + c.cores() * (STRIP + 4) + 18;
    let height = 58 + charts.iter().map(panel_height).sum::<usize>();
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
    let _ = writeln!(
        s,
        r##"<rect x="10" y="32" width="10" height="10" fill="{PROGRAM}"/><text x="24" y="41">this program (its threads and child processes)</text><rect x="300" y="32" width="10" height="10" fill="{MACHINE}"/><text x="314" y="41">the whole machine (/proc/stat)</text>"##
    );
    let mut y = 58;
    for chart in charts {
        let _ = writeln!(
            s,
            r#"<text x="10" y="{}" font-weight="bold">{} — this program {:.2} cores, the machine {:.2} cores on average</text>"#,
            y + 16,
            escape(&chart.title),
            chart.program_cores(),
            chart.machine_cores()
        );
        let top = y + 26;
        for (c, cpu) in chart.cpus.iter().enumerate() {
            let base = top + c * (STRIP + 4);
            let _ = writeln!(
                s,
                r##"<text x="10" y="{}">cpu{cpu}</text><rect x="{LEFT}" y="{base}" width="{}" height="{STRIP}" fill="#f2f2f2"/>"##,
                base + STRIP / 2 + 4,
                chart.samples.len() * BAR
            );
            for (i, sample) in chart.samples.iter().enumerate() {
                let program = sample.program[c].as_secs_f64() / sample.interval.as_secs_f64();
                for (fraction, fill) in [(sample.machine[c], MACHINE), (program, PROGRAM)] {
                    let h = (fraction.clamp(0.0, 1.0) * STRIP as f64).round() as usize;
                    if h > 0 {
                        let _ = writeln!(
                            s,
                            r#"<rect x="{}" y="{}" width="{}" height="{h}" fill="{fill}"/>"#,
                            LEFT + i * BAR,
                            base + STRIP - h,
                            BAR - 1
                        );
                    }
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

    /// A 10 ms sample: this program's milliseconds on each core, and the machine's share.
    fn sample(program_ms: [u64; 2], machine: [f64; 2]) -> Sample {
        Sample {
            interval: Duration::from_millis(10),
            machine: machine.to_vec(),
            program: program_ms
                .iter()
                .map(|&ms| Duration::from_millis(ms))
                .collect(),
        }
    }

    fn chart() -> Chart {
        Chart {
            title: "two cores".into(),
            cpus: vec![0, 1],
            samples: vec![
                sample([10, 0], [1.0, 0.5]),
                sample([5, 5], [0.5, 1.0]),
                sample([0, 10], [0.0, 1.0]),
                sample([10, 10], [1.0, 1.0]),
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
    fn terminal_rows_per_core_then_program_machine_and_marks() {
        let text = chart().to_terminal(100);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "  cpu0    █▄ █   62 %");
        assert_eq!(lines[1], "  cpu1     ▄██   62 %");
        assert_eq!(lines[2], "  program ▄▄▄█ 1.25 cores");
        assert_eq!(lines[3], "  machine ▆▆▄█ 1.50 cores");
        assert_eq!(lines[4], "          1 2");
        assert_eq!(lines.len(), 5);
    }

    #[test]
    fn samples_taken_together_are_weighted_by_their_intervals() {
        let mut long = sample([30, 0], [1.0, 0.0]);
        long.interval = Duration::from_millis(30);
        let c = Chart {
            cpus: vec![0, 1],
            samples: vec![long, sample([0, 0], [0.0, 0.0])],
            ..Chart::default()
        };
        // 30 ms of CPU in 40 ms of sampling: 0.75 of a core, not the mean of 1.0 and 0.0.
        assert_eq!(c.program_cores(), 0.75);
        assert_eq!(c.machine_cores(), 0.75);
        assert_eq!(c.program_cpu(), Duration::from_millis(30));
    }

    #[test]
    fn long_series_are_squeezed_to_the_width() {
        let mut c = chart();
        c.samples = vec![sample([5, 5], [0.5, 0.5]); 500];
        assert!(c.to_terminal(60).lines().all(|l| l.chars().count() <= 60));
    }

    #[test]
    fn the_svg_is_one_document_with_a_bar_per_busy_sample() {
        let svg = svg(&[chart()], "a <test>");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        assert!(svg.contains("a &lt;test&gt;"));
        // Six non-zero program figures and seven non-zero machine ones, plus the legend.
        assert_eq!(svg.matches(r##"fill="#3b7dd8""##).count(), 6 + 1);
        assert_eq!(svg.matches(r##"fill="#c8c8c8""##).count(), 7 + 1);
    }
}
