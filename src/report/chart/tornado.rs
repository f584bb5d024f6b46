//! The risk-driver tornado: what pushes the P80 date out, largest first.
//!
//! The chart draws a [`TornadoView`], a list of [`DriverBar`]s, so it does
//! not depend on how the ranking was made. [`TornadoView::new`] draws the
//! forecast's risk drivers (Hulett's attribution: working days of P80 due to
//! each risk, task and the correlations). When the forecast has none (the
//! driver analysis was switched off), it ranks the tasks instead by
//! *criticality index x duration standard deviation* (working days), a
//! schedule-sensitivity measure (Vanhoucke's SSI without the division by the
//! project's standard deviation) that needs no extra simulation, and says so
//! in the subtitle.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::ranking::{self, Bar, Ranking, Tone};
use super::theme::{self, HEADER, MARGIN, PAPER, Swatch, WIDTH};
use super::{DrawResult, task_label};
use crate::analysis::{DriverKind, Forecast};
use crate::plan::Status;
use crate::report::{day_unit, draws, on_calendar_days, truncate};

/// How many drivers the chart shows.
pub const TOP: usize = 12;

/// Most characters of a name in the title, so that the finding after it
/// (how many days) always shows.
pub const TITLE_NAME: usize = 48;

/// Height of the legend row.
const LEGEND: u32 = 40;

/// One driver and what it does to the date.
#[derive(Debug, Clone, PartialEq)]
pub struct DriverBar {
    /// Its display name.
    pub label: String,
    /// A task or a risk.
    pub kind: DriverKind,
    /// Working days it contributes (for attributions: days of P80 it adds).
    pub days: f64,
}

/// The tornado's data.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoView {
    /// States the finding.
    pub title: String,
    /// What is measured.
    pub subtitle: String,
    /// The bars, largest first.
    pub ranking: Ranking,
    /// Whether the bars are the stand-in ranking rather than attributions.
    pub stand_in: bool,
    /// The kinds of driver shown, when more than tasks (for the legend).
    pub kinds: Vec<DriverKind>,
}

impl TornadoView {
    /// The tornado of `f`: its risk drivers by P80 days or, without them,
    /// the stand-in ranking of its tasks by criticality index x duration
    /// standard deviation (simulated, risk delays included, when known).
    pub fn new(f: &Forecast) -> TornadoView {
        if !f.drivers.is_empty() {
            let bars = f
                .drivers
                .iter()
                .map(|d| DriverBar {
                    label: match d.kind {
                        DriverKind::Task => task_label(f, &d.id, &d.name),
                        _ if d.name.trim().is_empty() => d.id.clone(),
                        _ => d.name.clone(),
                    },
                    kind: d.kind,
                    days: d.p80_days,
                })
                .collect();
            return TornadoView::from_drivers(f, bars);
        }
        let bars = f
            .tasks
            .iter()
            .filter(|t| t.status != Status::Done)
            .map(|t| DriverBar {
                label: task_label(f, &t.id, &t.name),
                kind: DriverKind::Task,
                days: t.criticality * t.simulated_std.unwrap_or(t.std_duration),
            })
            .collect();
        TornadoView::build(f, bars, true)
    }

    /// A tornado of driver attributions: `drivers` are days of P80 each one
    /// adds (any order; those below 0.05, shown as +0.0, are left out).
    pub fn from_drivers(f: &Forecast, drivers: Vec<DriverBar>) -> TornadoView {
        TornadoView::build(f, drivers, false)
    }

    fn build(f: &Forecast, mut bars: Vec<DriverBar>, stand_in: bool) -> TornadoView {
        // A bar labelled +0.0 d says nothing.
        bars.retain(|b| b.days >= 0.05 && b.days.is_finite());
        let total = bars.len();
        bars.sort_by(|a, b| b.days.total_cmp(&a.days));
        bars.truncate(TOP);
        let mut kinds: Vec<DriverKind> =
            [DriverKind::Task, DriverKind::Risk, DriverKind::Correlation]
                .into_iter()
                .filter(|k| bars.iter().any(|b| b.kind == *k))
                .collect();
        if kinds == [DriverKind::Task] {
            kinds.clear();
        }
        // A plan whose tasks keep their own calendars counts calendar days.
        let days = if on_calendar_days(&f.run) {
            "Calendar days"
        } else {
            "Working days"
        };
        let title = match (bars.first(), stand_in) {
            (None, _) => "No task or risk moves the finish date: the plan is certain".to_string(),
            (Some(b), false) => format!(
                "{} adds {:.1} {} to the P80 date",
                truncate(&b.label, TITLE_NAME),
                b.days,
                day_unit(&f.run)
            ),
            (Some(b), true) => format!(
                "{} carries the most schedule risk",
                truncate(&b.label, TITLE_NAME)
            ),
        };
        let what = if stand_in {
            "Criticality index \u{d7} duration standard deviation (the driver analysis \
             was not run)"
                .to_string()
        } else {
            format!("{days} of P80 attributable to each driver (the shift when it is removed)")
        };
        let subtitle = format!("{what}; top {} of {total}; {}", bars.len(), draws(&f.run));
        let top = bars.first().map_or(1.0, |b| b.days);
        let ranking = Ranking {
            heading: if stand_in {
                "Schedule risk carried by each task".into()
            } else {
                "What drives the P80 date".into()
            },
            axis: if stand_in {
                "Criticality \u{d7} standard deviation (working days)".into()
            } else {
                format!("{days} of P80")
            },
            bars: bars
                .iter()
                .map(|b| Bar {
                    label: b.label.clone(),
                    value: b.days,
                    value_text: if stand_in {
                        format!("{:.1} d", b.days)
                    } else {
                        format!("+{:.1} d", b.days)
                    },
                    tone: match b.kind {
                        DriverKind::Task => Tone::Primary,
                        DriverKind::Risk => Tone::Risk,
                        DriverKind::Correlation => Tone::Secondary,
                    },
                })
                .collect(),
            max: nice_ceiling(top * 1.12),
            percent: false,
        };
        TornadoView {
            title,
            subtitle,
            ranking,
            stand_in,
            kinds,
        }
    }

    /// Size in pixels.
    pub fn size(&self) -> (u32, u32) {
        let legend = if self.kinds.is_empty() { 0 } else { LEGEND };
        (WIDTH, HEADER + legend + self.ranking.height() + 20)
    }
}

/// The smallest of 1, 2, 2.5, 5 x 10^k that is at least `x`.
fn nice_ceiling(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return 1.0;
    }
    let mag = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|&v| v >= x)
        .unwrap_or(10.0 * mag)
}

/// Draws the tornado.
///
/// # Errors
///
/// Any drawing error of the backend.
pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, v: &TornadoView) -> DrawResult<DB> {
    area.fill(&PAPER)?;
    theme::header(area, &v.title, &v.subtitle)?;
    let mut top = HEADER;
    if !v.kinds.is_empty() {
        let y = HEADER as i32 + 8;
        let mut x = MARGIN;
        for k in &v.kinds {
            let (tone, label) = match k {
                DriverKind::Task => (Tone::Primary, "Task uncertainty"),
                DriverKind::Risk => (Tone::Risk, "Risk event"),
                DriverKind::Correlation => (Tone::Secondary, "Correlation between tasks"),
            };
            x = theme::legend_entry(area, (x, y), Swatch::Box(tone.color()), label)?;
        }
        top += LEGEND;
    }
    let (_, body) = area.split_vertically(top);
    ranking::draw(&body.margin(0, 20, MARGIN, MARGIN), &v.ranking)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(3.3), 5.0);
        assert_eq!(nice_ceiling(1.0), 1.0);
        assert_eq!(nice_ceiling(11.2), 20.0);
        assert_eq!(nice_ceiling(0.23), 0.25);
    }
}
