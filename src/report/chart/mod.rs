//! Charts of a forecast, drawn with plotters to PNG and SVG.
//!
//! Each chart lives in its own file as a *view* (plain data picked from the
//! [`Forecast`]: labels, dates, shares; no statistics are computed here) and
//! a `draw` function generic over the plotters backend:
//!
//! | chart | file | shows |
//! | --- | --- | --- |
//! | [`ChartKind::Finish`] | `finish.rs` | histogram of finish dates, S-curve, P50/P80/P90 and plan-date markers |
//! | [`ChartKind::Drivers`] | `tornado.rs` | what drives the P80 date, largest first |
//! | [`ChartKind::Criticality`] | `criticality.rs` | the most critical tasks (and most sensitive, when known) |
//! | [`ChartKind::Milestones`] | `milestones.rs` | probabilistic Gantt: P10–P90 finish ranges against plan dates |
//! | [`ChartKind::Cutline`] | `cutline.rs` | P50/P80/P90 against the cut position, with the target (from a cut-line sweep) |
//! | [`ChartKind::TeamLoad`] | `team_load.rs` | people at work per team over the P50 schedule, against each team's size (with team capacity) |
//! | [`ChartKind::Trend`] | `history.rs` | P50/P80/P90 and the plan date over a history's data dates, with the commitment (from a history) |
//! | [`ChartKind::Waterfall`] | `history.rs` | what moved the P80 between snapshots, cause by cause (from a history) |
//! | [`GanttView`] | `gantt.rs` | one iteration's schedule beside the plan's: its critical path, overruns and risk delays (from `explain`) |
//! | [`ChartKind::Compare`] | `compare.rs` | each scenario's S-curve on one chart, with its P80 and the target (from a comparison) |
//!
//! [`Chart::svg`] renders into a string (`SVGBackend::with_string`) and
//! [`Chart::png`] into an RGB buffer that is then PNG-encoded in memory, so
//! rendering never touches the file system and a report folder can be
//! written atomically.

mod axis;
mod compare;
mod criticality;
mod cutline;
mod finish;
mod gantt;
mod history;
mod milestones;
mod ranking;
mod render;
mod team_load;
mod theme;
mod tornado;
mod typeset;

use std::fmt;
use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;
use thiserror::Error;

use crate::analysis::Forecast;

pub use compare::{CompareView, ScenarioCurve};
pub use criticality::{CriticalityView, by_criticality};
pub use cutline::CutlineView;
pub use finish::{FinishView, Marker, MarkerKind};
pub use gantt::{GANTT_ROWS, GanttBar, GanttView};
pub use history::{Step, TrendPoint, TrendView, WaterfallView};
pub use milestones::MilestoneView;
pub use ranking::{Bar, Ranking, Tone};
pub use team_load::{TeamLoadView, TeamPanel};
pub use tornado::{DriverBar, TornadoView};

/// What a `draw` function returns: plotters' error for the backend `DB`.
pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A chart could not be drawn or encoded.
#[derive(Debug, Error)]
#[error("could not draw the {chart} chart '{}': {message}", path.display())]
pub struct ChartError {
    /// Which chart (e.g. `finish-date`).
    pub chart: &'static str,
    /// The file it was drawn for.
    pub path: PathBuf,
    /// What plotters or the PNG encoder reported.
    pub message: String,
}

impl ChartError {
    /// The same error, with its file placed inside `dir`.
    pub fn in_dir(mut self, dir: &Path) -> ChartError {
        self.path = dir.join(&self.path);
        self
    }
}

/// The charts slipcast draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChartKind {
    /// Distribution of the finish date, with the S-curve.
    Finish,
    /// What drives the P80 date (tornado).
    Drivers,
    /// The most critical tasks.
    Criticality,
    /// Probabilistic milestone chart.
    Milestones,
    /// The cut-line curve of a cut-line sweep (not part of a forecast).
    Cutline,
    /// People at work per team over the P50 schedule (only in a forecast
    /// with team capacity).
    TeamLoad,
    /// P50/P80/P90 and the plan date over a history's snapshots.
    Trend,
    /// What moved the P80 between a history's snapshots.
    Waterfall,
    /// The scenarios' S-curves on one chart (from a comparison, not part of
    /// a forecast).
    Compare,
}

impl ChartKind {
    /// The charts of every forecast, in report order. A forecast with team
    /// capacity adds [`ChartKind::TeamLoad`] after them ([`Chart::all`]).
    pub const ALL: [ChartKind; 4] = [
        ChartKind::Finish,
        ChartKind::Milestones,
        ChartKind::Drivers,
        ChartKind::Criticality,
    ];

    /// File name without extension, e.g. `finish`.
    pub fn file_stem(self) -> &'static str {
        match self {
            ChartKind::Finish => "finish",
            ChartKind::Drivers => "drivers",
            ChartKind::Criticality => "criticality",
            ChartKind::Milestones => "milestones",
            ChartKind::Cutline => "cutline",
            ChartKind::TeamLoad => "team-load",
            ChartKind::Trend => "trend",
            ChartKind::Waterfall => "waterfall",
            ChartKind::Compare => "compare",
        }
    }

    /// Name in words, e.g. `finish-date`.
    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Finish => "finish-date",
            ChartKind::Drivers => "risk-driver",
            ChartKind::Criticality => "criticality",
            ChartKind::Milestones => "milestone",
            ChartKind::Cutline => "cut-line",
            ChartKind::TeamLoad => "team-load",
            ChartKind::Trend => "forecast-trend",
            ChartKind::Waterfall => "waterfall",
            ChartKind::Compare => "scenario",
        }
    }
}

impl fmt::Display for ChartKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A chart ready to draw: its kind and the view it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    view: View,
}

#[derive(Debug, Clone, PartialEq)]
enum View {
    Finish(FinishView),
    Drivers(TornadoView),
    Criticality(CriticalityView),
    Milestones(MilestoneView),
    Cutline(CutlineView),
    TeamLoad(TeamLoadView),
    Trend(TrendView),
    Waterfall(WaterfallView),
    Compare(CompareView),
}

impl From<TrendView> for Chart {
    fn from(v: TrendView) -> Chart {
        Chart {
            view: View::Trend(v),
        }
    }
}

impl From<WaterfallView> for Chart {
    fn from(v: WaterfallView) -> Chart {
        Chart {
            view: View::Waterfall(v),
        }
    }
}

impl From<FinishView> for Chart {
    fn from(v: FinishView) -> Chart {
        Chart {
            view: View::Finish(v),
        }
    }
}

impl From<TornadoView> for Chart {
    fn from(v: TornadoView) -> Chart {
        Chart {
            view: View::Drivers(v),
        }
    }
}

impl From<CriticalityView> for Chart {
    fn from(v: CriticalityView) -> Chart {
        Chart {
            view: View::Criticality(v),
        }
    }
}

impl From<MilestoneView> for Chart {
    fn from(v: MilestoneView) -> Chart {
        Chart {
            view: View::Milestones(v),
        }
    }
}

impl From<CutlineView> for Chart {
    fn from(v: CutlineView) -> Chart {
        Chart {
            view: View::Cutline(v),
        }
    }
}

impl From<TeamLoadView> for Chart {
    fn from(v: TeamLoadView) -> Chart {
        Chart {
            view: View::TeamLoad(v),
        }
    }
}

impl From<CompareView> for Chart {
    fn from(v: CompareView) -> Chart {
        Chart {
            view: View::Compare(v),
        }
    }
}

impl Chart {
    /// The chart of `kind` for `forecast`.
    ///
    /// # Panics
    ///
    /// For [`ChartKind::Cutline`], which is drawn from a cut-line sweep:
    /// `Chart::from(CutlineView::new(&sweep))`; for [`ChartKind::Compare`],
    /// drawn from a comparison: `Chart::from(CompareView::new(&c))`; and for
    /// [`ChartKind::TeamLoad`] when `forecast` has no team load (see
    /// [`Chart::all`]).
    pub fn new(kind: ChartKind, forecast: &Forecast) -> Chart {
        match kind {
            ChartKind::Finish => FinishView::new(forecast).into(),
            ChartKind::Drivers => TornadoView::new(forecast).into(),
            ChartKind::Criticality => CriticalityView::new(forecast).into(),
            ChartKind::Milestones => MilestoneView::new(forecast).into(),
            ChartKind::Cutline => panic!("the cut-line chart is drawn from a cut-line sweep"),
            ChartKind::Trend | ChartKind::Waterfall => {
                panic!("the history charts are drawn from a history")
            }
            ChartKind::Compare => panic!("the scenario chart is drawn from a comparison"),
            ChartKind::TeamLoad => TeamLoadView::new(forecast)
                .expect("the team-load chart needs a forecast with a team load")
                .into(),
        }
    }

    /// Every chart of `forecast`, in report order: [`ChartKind::ALL`],
    /// then the team load when the forecast has one.
    pub fn all(forecast: &Forecast) -> Vec<Chart> {
        ChartKind::ALL
            .iter()
            .map(|&k| Chart::new(k, forecast))
            .chain(TeamLoadView::new(forecast).map(Chart::from))
            .collect()
    }

    /// Which chart this is.
    pub fn kind(&self) -> ChartKind {
        match self.view {
            View::Finish(_) => ChartKind::Finish,
            View::Drivers(_) => ChartKind::Drivers,
            View::Criticality(_) => ChartKind::Criticality,
            View::Milestones(_) => ChartKind::Milestones,
            View::Cutline(_) => ChartKind::Cutline,
            View::TeamLoad(_) => ChartKind::TeamLoad,
            View::Trend(_) => ChartKind::Trend,
            View::Waterfall(_) => ChartKind::Waterfall,
            View::Compare(_) => ChartKind::Compare,
        }
    }

    /// The title, which states the chart's finding.
    pub fn title(&self) -> &str {
        match &self.view {
            View::Finish(v) => &v.title,
            View::Drivers(v) => &v.title,
            View::Criticality(v) => &v.title,
            View::Milestones(v) => &v.title,
            View::Cutline(v) => &v.title,
            View::TeamLoad(v) => &v.title,
            View::Trend(v) => &v.title,
            View::Waterfall(v) => &v.title,
            View::Compare(v) => &v.title,
        }
    }

    /// Size in pixels (width, height); the height grows with the rows shown.
    pub fn size(&self) -> (u32, u32) {
        match &self.view {
            View::Finish(v) => v.size(),
            View::Drivers(v) => v.size(),
            View::Criticality(v) => v.size(),
            View::Milestones(v) => v.size(),
            View::Cutline(v) => v.size(),
            View::TeamLoad(v) => v.size(),
            View::Trend(v) => v.size(),
            View::Waterfall(v) => v.size(),
            View::Compare(v) => v.size(),
        }
    }

    /// Draws the chart on `area` (any plotters backend) and presents it.
    ///
    /// # Errors
    ///
    /// Any drawing error of the backend.
    pub fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        theme::register_fonts();
        match &self.view {
            View::Finish(v) => finish::draw(area, v)?,
            View::Drivers(v) => tornado::draw(area, v)?,
            View::Criticality(v) => criticality::draw(area, v)?,
            View::Milestones(v) => milestones::draw(area, v)?,
            View::Cutline(v) => cutline::draw(area, v)?,
            View::TeamLoad(v) => team_load::draw(area, v)?,
            View::Trend(v) => history::draw_trend(area, v)?,
            View::Waterfall(v) => history::draw_waterfall(area, v)?,
            View::Compare(v) => compare::draw(area, v)?,
        }
        area.present()
    }

    fn error(&self, ext: &str, message: impl fmt::Display) -> ChartError {
        ChartError {
            chart: self.kind().name(),
            path: PathBuf::from(format!("{}.{ext}", self.kind().file_stem())),
            message: message.to_string(),
        }
    }

    /// The chart as an SVG document.
    ///
    /// # Errors
    ///
    /// [`ChartError`] naming the chart and its file (`finish.svg`).
    pub fn svg(&self) -> Result<String, ChartError> {
        render::svg(self.size(), |area| self.draw(area)).map_err(|e| self.error("svg", e))
    }

    /// The chart as a PNG image (8-bit RGB).
    ///
    /// # Errors
    ///
    /// [`ChartError`] naming the chart and its file (`finish.png`).
    pub fn png(&self) -> Result<Vec<u8>, ChartError> {
        render::png(self.size(), |area| self.draw(area)).map_err(|e| self.error("png", e))
    }
}

pub(crate) use super::format::short_date;

/// How a chart names a task: its name, or its id when it has none. On a
/// plan whose tasks keep their own calendars (a P6 import), the id comes
/// first, as its planners look it up in the schedule, and two tasks of the
/// same name (a `Plumbing` per house) stay apart: `C4030 Plumbing`.
pub(crate) fn task_label(f: &Forecast, id: &str, name: &str) -> String {
    run_task_label(&f.run, id, name)
}

/// [`task_label`] for any result of `run`.
pub(crate) fn run_task_label(run: &crate::analysis::Provenance, id: &str, name: &str) -> String {
    let name = name.trim();
    if name.is_empty() || name == id {
        id.to_string()
    } else if super::format::on_calendar_days(run) {
        format!("{id} {name}")
    } else {
        name.to_string()
    }
}
