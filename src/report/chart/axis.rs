//! A linear axis whose ticks and tick labels the chart chooses (dates on
//! working days, Mondays, percentages), instead of plotters' round numbers.

use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};

/// A linear `f64` axis with labelled ticks at chosen values.
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled {
    range: Range<f64>,
    ticks: Vec<(f64, String)>,
}

impl Labelled {
    /// An axis over `range` with a tick, labelled as given, at each value
    /// (ticks outside the range are dropped).
    pub fn new(range: Range<f64>, ticks: impl IntoIterator<Item = (f64, String)>) -> Labelled {
        let ticks = ticks
            .into_iter()
            .filter(|(v, _)| *v >= range.start && *v <= range.end)
            .collect();
        Labelled { range, ticks }
    }
}

impl Ranged for Labelled {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        if span == 0.0 {
            return (limit.0 + limit.1) / 2;
        }
        let t = (v - self.range.start) / span;
        limit.0 + (t * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.max_num_points() == 0 {
            return Vec::new();
        }
        self.ticks.iter().map(|(v, _)| *v).collect()
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

impl ValueFormatter<f64> for Labelled {
    fn format(v: &f64) -> String {
        format!("{v}")
    }

    fn format_ext(&self, v: &f64) -> String {
        self.ticks
            .iter()
            .find(|(t, _)| t == v)
            .map(|(_, s)| s.clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_linearly_and_labels_ticks() {
        let a = Labelled::new(
            0.0..10.0,
            [(0.0, "a".into()), (5.0, "b".into()), (11.0, "x".into())],
        );
        assert_eq!(a.map(&5.0, (0, 100)), 50);
        assert_eq!(a.map(&10.0, (100, 0)), 0);
        assert_eq!(a.key_points(8usize), vec![0.0, 5.0]);
        assert_eq!(a.format_ext(&5.0), "b");
        assert_eq!(a.format_ext(&2.0), "");
    }
}
