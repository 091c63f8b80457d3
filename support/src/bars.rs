//! Horizontal bars for a chart in the terminal: `████████▍`, scaled to the largest value.

/// A bar `width` cells long for `max`, in eighths of a cell; empty for a value of zero or
/// less (or a `max` that is not positive), and never longer than `width`.
pub fn bar(value: f64, max: f64, width: usize) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    if !(value > 0.0 && max > 0.0) {
        return String::new();
    }
    let eighths = ((value / max).min(1.0) * width as f64 * 8.0).round() as usize;
    let mut out = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        out.push(PARTS[eighths % 8]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn bars_scale_to_the_maximum_in_eighths() {
        assert_eq!(bar(10.0, 10.0, 4), "████");
        assert_eq!(bar(5.0, 10.0, 4), "██");
        assert_eq!(bar(1.0, 16.0, 2), "▏");
        assert_eq!(bar(1.0, 4.0, 2), "▌");
        assert_eq!(bar(0.0, 10.0, 4), "");
        assert_eq!(bar(20.0, 10.0, 4), "████");
    }
}
