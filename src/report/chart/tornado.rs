//! The risk-driver tornado: what pushes the P80 date out, largest first.
//!
//! The chart draws a [`TornadoView`], a list of [`DriverBar`]s, so it does
//! not depend on how the ranking was made. [`TornadoView::new`] draws the
//! forecast's risk drivers (Hulett's attribution: working days of P80 due to
//! each risk, task and the correlations), then one more bar, "other, incl.
//! merge bias", for the rest of the gap between the plan date and P80, so
//! that the bars add up to that gap ([`crate::analysis::DriverGap`]). When the forecast has none (the
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
use crate::report::format::{count, fixed, group_digits, signed};
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

/// The label of the bar for the rest of the gap.
pub const OTHER: &str = "Other, incl. merge bias";

/// The tornado's data.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoView {
    /// States the finding.
    pub title: String,
    /// What is measured.
    pub subtitle: String,
    /// The bars, largest first, then (with a gap) the rest of it: [`OTHER`].
    pub ranking: Ranking,
    /// With attributions: the days from the plan date to P80, which the
    /// bars (the last one the rest) add up to.
    pub gap: Option<f64>,
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
            return TornadoView::from_drivers(f, bars, f.driver_gap.map(|g| g.gap_days));
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
        TornadoView::build(f, bars, true, None)
    }

    /// A tornado of driver attributions: `drivers` are days of P80 each one
    /// adds (any order; the largest [`TOP`] are drawn, leaving out those
    /// that show as +0.0). With `gap`, the days from the plan date to P80,
    /// a last bar, [`OTHER`], takes the rest of it: the gap less the bars
    /// drawn, so the bars add up to the gap.
    pub fn from_drivers(f: &Forecast, drivers: Vec<DriverBar>, gap: Option<f64>) -> TornadoView {
        TornadoView::build(f, drivers, false, gap)
    }

    fn build(
        f: &Forecast,
        mut bars: Vec<DriverBar>,
        stand_in: bool,
        gap: Option<f64>,
    ) -> TornadoView {
        // A bar labelled +0.0 d says nothing; the rest takes it.
        let given = bars.len();
        bars.retain(|b| b.days.abs() >= 0.05 && b.days.is_finite() && (!stand_in || b.days > 0.0));
        let total = bars.len();
        bars.sort_by(|a, b| b.days.total_cmp(&a.days));
        bars.truncate(TOP);
        let hidden = given - bars.len();
        let rest = gap.map(|g| g - bars.iter().map(|b| b.days).sum::<f64>());
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
            (None, _) if gap.is_none_or(|g| g.abs() < 0.05) => {
                "No task or risk moves the finish date: the plan is certain".to_string()
            }
            (None, _) => {
                "No single task or risk moves the P80 date: it is the paths together".to_string()
            }
            (Some(b), false) if b.days < 0.0 => {
                "No single task or risk adds to the P80 date".to_string()
            }
            (Some(b), false) => format!(
                "{} adds {} {} to the P80 date",
                truncate(&b.label, TITLE_NAME),
                fixed(b.days, 1),
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
            format!(
                "{days} of P80 attributable to each driver (the shift when it is removed, over \
                 the first {} iterations)",
                group_digits(f.driver_iterations)
            )
        };
        let subtitle = format!("{what}; top {} of {total}; {}", bars.len(), draws(&f.run));
        let unit = day_unit(&f.run);
        let heading = match gap {
            _ if stand_in => "Schedule risk carried by each task".to_string(),
            Some(g) if g >= 0.0 => format!(
                "What drives the P80 date: the bars add up to the {} {unit} from the plan date to P80",
                fixed(g, 1)
            ),
            Some(g) => format!(
                "What drives the P80 date: the bars add up to P80 less the plan date, {} {unit}",
                signed(g, 1)
            ),
            None => "What drives the P80 date".into(),
        };
        let mut shown: Vec<Bar> = bars
            .iter()
            .map(|b| Bar {
                label: b.label.clone(),
                value: b.days,
                value_text: if stand_in {
                    format!("{} d", fixed(b.days, 1))
                } else {
                    format!("{} d", signed(b.days, 1))
                },
                tone: match b.kind {
                    DriverKind::Task => Tone::Primary,
                    DriverKind::Risk => Tone::Risk,
                    DriverKind::Correlation => Tone::Secondary,
                },
            })
            .collect();
        if let Some(rest) = rest {
            shown.push(Bar {
                label: match hidden {
                    0 => OTHER.to_string(),
                    n => format!("{OTHER} and {}", count(n as u64, "smaller driver")),
                },
                value: rest,
                value_text: format!("{} d", signed(rest, 1)),
                tone: Tone::Rest,
            });
        }
        let top = shown.iter().map(|b| b.value).fold(0.0, f64::max);
        let bottom = shown.iter().map(|b| b.value).fold(0.0, f64::min);
        let ranking = Ranking {
            heading,
            axis: if stand_in {
                "Criticality \u{d7} standard deviation (working days)".into()
            } else {
                format!("{days} of P80")
            },
            bars: shown,
            min: if bottom < 0.0 {
                -nice_ceiling(-bottom * 1.12)
            } else {
                0.0
            },
            max: nice_ceiling(top * 1.12),
            percent: false,
            names: true,
        };
        TornadoView {
            title,
            subtitle,
            ranking,
            gap,
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
