//! The report's section on one percentile's world ("What an 80% world
//! looks like"): the sentence, the Gantt chart of the iteration and its
//! critical path as a table, built from an [`Explanation`] for
//! [`super::html`] and [`super::markdown`] to render.

use crate::analysis::Explanation;

use super::chart::{ChartError, GanttView};
use super::document::{Cell, Table};
use super::explain::world_sentence;
use super::format::{day_unit, group_digits, long_date};

/// The section, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct WorldSection {
    /// `What an 80% world looks like`.
    pub heading: String,
    /// The world in one sentence.
    pub sentence: String,
    /// The chart's title (its finding).
    pub title: String,
    /// How to read the chart.
    pub caption: String,
    /// The Gantt chart as an SVG document, to inline in the page.
    pub svg: String,
    /// The critical path, first task first.
    pub path: Table,
    /// The risks that fired, if any did.
    pub risks: Option<Table>,
}

/// The files the section adds to the report folder: the chart as PNG and
/// SVG.
pub const GANTT_PNG: &str = "gantt.png";
/// See [`GANTT_PNG`].
pub const GANTT_SVG: &str = "gantt.svg";

fn cell(s: impl Into<String>) -> Cell {
    Cell {
        text: s.into(),
        ..Cell::default()
    }
}

/// `+2.4`, or `+0.0` for what rounds to zero.
fn signed(x: f64) -> String {
    let x = if x.abs() < 0.05 { 0.0 } else { x };
    format!("{x:+.1}")
}

impl WorldSection {
    /// The section of `e`, with its chart already drawn as `svg` (the same
    /// drawing as the folder's `gantt.svg`).
    pub fn new(e: &Explanation, view: &GanttView, svg: String) -> WorldSection {
        let pct = format!("P{}", e.percentile);
        let unit = day_unit(&e.run);
        let mut caption = format!(
            "Each bar spans a task's start to finish in iteration {} of the run, the first \
             whose finish is the {pct}; the thin grey bar under it is the plan's schedule on \
             likely durations. Orange bars are that iteration's critical path, dark red marks \
             the days risks added, and +N is how many {unit} a task ran over its likely \
             duration.",
            group_digits(e.iteration)
        );
        if let Some(note) = &view.note {
            caption.push_str(&format!(" {note}."));
        }
        let path = Table {
            columns: vec![
                ("Task".into(), false),
                ("Link".into(), false),
                ("Likely".into(), true),
                ("This world".into(), true),
                ("Over".into(), true),
                ("Risk delay".into(), true),
                ("Finish".into(), false),
            ],
            rows: e
                .critical_path
                .iter()
                .map(|step| {
                    let t = &e.tasks[step.task];
                    let name = if t.name.trim().is_empty() {
                        t.id.clone()
                    } else {
                        t.name.clone()
                    };
                    vec![
                        Cell {
                            detail: (name != t.id).then(|| t.id.clone()),
                            ..cell(name)
                        },
                        cell(step.link.map(|l| l.text(step.lag)).unwrap_or_default()),
                        cell(format!("{:.1}", t.likely)),
                        cell(format!("{:.1}", t.duration)),
                        Cell {
                            strong: t.over >= 1.0,
                            ..cell(signed(t.over))
                        },
                        Cell {
                            strong: t.risk_delay > 0.0,
                            ..cell(if t.risk_delay > 0.0 {
                                signed(t.risk_delay)
                            } else {
                                String::new()
                            })
                        },
                        cell(long_date(t.finish_date)),
                    ]
                })
                .collect(),
            note: format!(
                "The critical path of that iteration, in {unit}: each task starts (or, by a \
                 finish link, finishes) when its link from the row above allows. Over: beyond \
                 the likely duration, risk delays apart. Every task is in explain.csv."
            ),
        };
        let fired: Vec<_> = e.risks.iter().filter(|r| r.fired).collect();
        let risks = (!fired.is_empty()).then(|| Table {
            columns: vec![
                ("Risk that fired".into(), false),
                ("Delay".into(), true),
                ("Affects".into(), false),
            ],
            rows: fired
                .iter()
                .map(|r| {
                    vec![
                        Cell {
                            detail: (r.name != r.id).then(|| r.id.clone()),
                            ..cell(r.name.clone())
                        },
                        Cell {
                            strong: r.on_critical_path,
                            ..cell(signed(r.delay))
                        },
                        cell(r.affects.join(", ")),
                    ]
                })
                .collect(),
            note: format!(
                "{} of {} risks fired in that iteration; the delay, in {unit}, is added to each \
                 task a risk affects. Bold: on its critical path.",
                fired.len(),
                e.risks.len()
            ),
        });
        WorldSection {
            heading: format!(
                "What {} world looks like",
                super::explain::a_world(e.percentile)
            ),
            sentence: world_sentence(e),
            title: view.title.clone(),
            caption,
            svg,
            path,
            risks,
        }
    }
}

/// The section of `e` and its chart's files (`gantt.png`, `gantt.svg`).
///
/// # Errors
///
/// [`ChartError`] if the chart cannot be drawn.
pub fn world_files(e: &Explanation) -> Result<(WorldSection, Vec<u8>, String), ChartError> {
    let view = GanttView::new(e);
    let svg = view.svg()?;
    let png = view.png()?;
    Ok((WorldSection::new(e, &view, svg.clone()), png, svg))
}
