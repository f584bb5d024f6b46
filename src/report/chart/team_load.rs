//! The team-load chart: small multiples, one panel per team, of the people
//! at work over the simulated schedule whose finish is the P50, with the
//! team's size as a line on top. The panels share a date axis (working days
//! from the start, labelled with their dates), so a queue on one team lines
//! up with the idle time it causes on another.
//!
//! Drawn only for a forecast with team capacity and its load
//! ([`crate::analysis::CapacityFindings::load`]).

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::Labelled;
use super::theme::{
    self, AXIS, CURVE, GRID, HEADER, INK, MARGIN, MUTED, P50, P80, PAPER, PRIMARY, SECONDARY,
    Swatch, WIDTH,
};
use super::{DrawResult, short_date};
use crate::analysis::{Forecast, Provenance, TeamLoad, TeamLoadSeries};
use crate::plan::{Calendar, WEEKDAYS, parse_workdays};
use crate::report::{group_digits, long_date, percent};

/// Most panels the chart shows: the teams at capacity longest.
pub const MAX_PANELS: usize = 12;
/// Height of the legend row.
const LEGEND: u32 = 44;
/// Height of a panel's label row.
const LABEL: u32 = 30;
/// Height of a panel's plot.
const PLOT: u32 = 74;
/// Space between panels.
const GAP: u32 = 12;
/// Height of the date axis under the last panel.
const AXIS_H: u32 = 62;
/// Width of the people axis.
const Y_LABELS: u32 = 44;
/// Height of the note under the axis, when teams are left out.
const NOTE: u32 = 30;

/// One team's panel.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamPanel {
    /// The team's name.
    pub team: String,
    /// Its people: the capacity line.
    pub people: u32,
    /// People at work: from each `(day, busy)` until the next.
    pub steps: Vec<(f64, u32)>,
    /// What the panel says after the name, e.g. `peak 2 of 2 people, at
    /// capacity 62% of the time`.
    pub note: String,
}

impl TeamPanel {
    fn of(s: &TeamLoadSeries) -> TeamPanel {
        let unit = if s.people == 1 { "person" } else { "people" };
        let note = if s.peak == 0 {
            format!("{} {unit}, no work in this schedule", s.people)
        } else if s.at_capacity > 0.0 {
            format!(
                "peak {} of {} {unit}, at capacity {} of the time",
                s.peak,
                s.people,
                percent(s.at_capacity)
            )
        } else {
            format!("peak {} of {} {unit}, never at capacity", s.peak, s.people)
        };
        TeamPanel {
            team: s.team.clone(),
            people: s.people,
            steps: s.steps.clone(),
            note,
        }
    }
}

/// The team-load chart's data.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamLoadView {
    /// States the finding.
    pub title: String,
    /// What is shown.
    pub subtitle: String,
    /// Panels, top to bottom (in the teams file's order).
    pub panels: Vec<TeamPanel>,
    /// The schedule's finish, in working days from the start.
    pub finish: f64,
    /// Its finish date, e.g. `Wed 31 Mar`.
    pub finish_date: String,
    /// The last working day shown (the schedule's last task finish).
    pub end: f64,
    /// Date ticks: (working days from the start, label).
    pub ticks: Vec<(f64, String)>,
    /// The axis description, e.g. `Date (2027)`.
    pub x_desc: String,
    /// Which teams were left out, when there are more teams than panels.
    pub left_out: Option<String>,
}

impl TeamLoadView {
    /// The view of `f`, if it has a team load.
    pub fn new(f: &Forecast) -> Option<TeamLoadView> {
        let findings = f.capacity.as_ref()?;
        let load = findings.load.as_ref()?;
        let cal = calendar(&f.run);
        let finish_date = cal.finish_date(load.finish);
        let end = load.end.max(load.finish);
        let (ticks, x_desc) = ticks(&cal, end);
        let shown = shown(load);
        let left_out = (shown.len() < load.teams.len()).then(|| {
            format!(
                "{} of {} teams shown: those at capacity longest",
                shown.len(),
                load.teams.len()
            )
        });
        let subtitle = format!(
            "People at work per team in the simulated schedule whose finish, {}, is the P50 \
             (of {} iterations); the line is the team's size",
            long_date(finish_date),
            group_digits(findings.iterations)
        );
        Some(TeamLoadView {
            title: title(load),
            subtitle,
            panels: shown.iter().map(|s| TeamPanel::of(s)).collect(),
            finish: load.finish,
            finish_date: short_date(finish_date),
            end,
            ticks,
            x_desc,
            left_out,
        })
    }

    /// Size in pixels.
    pub fn size(&self) -> (u32, u32) {
        let n = self.panels.len().max(1) as u32;
        let note = if self.left_out.is_some() { NOTE } else { 0 };
        (
            WIDTH,
            HEADER + LEGEND + n * (LABEL + PLOT + GAP) + AXIS_H + note + 20,
        )
    }
}

/// The teams shown: all, or the [`MAX_PANELS`] at capacity longest (then
/// busiest), in the teams file's order.
fn shown(load: &TeamLoad) -> Vec<&TeamLoadSeries> {
    let mut rank: Vec<usize> = (0..load.teams.len()).collect();
    let busy = |s: &TeamLoadSeries| f64::from(s.peak) / f64::from(s.people.max(1));
    rank.sort_by(|&a, &b| {
        let (a, b) = (&load.teams[a], &load.teams[b]);
        b.at_capacity
            .total_cmp(&a.at_capacity)
            .then(busy(b).total_cmp(&busy(a)))
    });
    let keep: BTreeSet<usize> = rank.into_iter().take(MAX_PANELS).collect();
    keep.into_iter().map(|i| &load.teams[i]).collect()
}

/// The finding: which teams work at capacity most of the schedule.
fn title(load: &TeamLoad) -> String {
    let most: Vec<&str> = load
        .teams
        .iter()
        .filter(|s| s.at_capacity >= 0.5)
        .map(|s| s.team.as_str())
        .collect();
    // `max_by` keeps the last of equals: reversed, the first in file order.
    let busiest = load
        .teams
        .iter()
        .rev()
        .max_by(|a, b| a.at_capacity.total_cmp(&b.at_capacity));
    match (most.as_slice(), busiest) {
        ([one], _) => format!("{one} works at capacity most of the P50 schedule"),
        ([a, b], _) => format!("{a} and {b} work at capacity most of the P50 schedule"),
        ([], Some(s)) if s.at_capacity > 0.0 => format!(
            "{} is at capacity longest: {} of the P50 schedule",
            s.team,
            percent(s.at_capacity)
        ),
        ([], _) => "No team is ever at capacity in the P50 schedule".to_string(),
        (many, _) => format!(
            "{} of {} teams work at capacity most of the P50 schedule",
            many.len(),
            load.teams.len()
        ),
    }
}

/// A result's calendar, from what its provenance records.
pub(super) fn calendar(run: &Provenance) -> Calendar {
    let c = &run.calendar;
    let workdays = parse_workdays(&c.workdays).unwrap_or(WEEKDAYS);
    let holidays: BTreeSet<NaiveDate> = c.holidays.iter().copied().collect();
    Calendar::new(run.start, workdays, holidays).unwrap_or_else(|_| Calendar::weekdays(run.start))
}

/// Date ticks over working days `0..=end` (a tick at `k - 1` is the start
/// of working day `k`): the first working day of every week, fortnight or
/// month (every few months on long plans), whichever gives at most 12
/// labels; and the axis description. Monthly ticks read `1 Feb`, or `Feb
/// 2028` when the axis spans several years.
pub(super) fn ticks(cal: &Calendar, end: f64) -> (Vec<(f64, String)>, String) {
    let last = end.ceil().max(1.0) as u64 + 1;
    let days: Vec<(u64, NaiveDate)> = (1..=last).map(|k| (k, cal.workday(k))).collect();
    let (a, b) = (cal.workday(1).year(), cal.workday(last).year());
    let starts = |key: &dyn Fn(NaiveDate) -> i32| -> Vec<(u64, NaiveDate)> {
        days.iter()
            .enumerate()
            .filter(|&(i, d)| i == 0 || key(d.1) != key(days[i - 1].1))
            .map(|(_, &d)| d)
            .collect()
    };
    let label = |picked: Vec<(u64, NaiveDate)>, monthly: bool| -> Vec<(f64, String)> {
        picked
            .into_iter()
            .map(|(k, d)| {
                let text = if monthly && a != b {
                    d.format("%b %Y").to_string()
                } else if monthly {
                    d.format("%-d %b").to_string()
                } else {
                    short_date(d)
                };
                ((k - 1) as f64, text)
            })
            .collect()
    };
    let weeks = starts(&|d| d.iso_week().year() * 100 + d.iso_week().week() as i32);
    let mut picked = None;
    for every in [1, 2] {
        let p: Vec<_> = weeks.iter().copied().step_by(every).collect();
        if p.len() <= 12 {
            picked = Some(label(p, false));
            break;
        }
    }
    let ticks = picked.unwrap_or_else(|| {
        let mut months = starts(&|d| d.year() * 100 + d.month() as i32);
        while months.len() > 12 {
            months = months.into_iter().step_by(2).collect();
        }
        label(months, true)
    });
    let x_desc = if a == b {
        format!("Date ({a})")
    } else {
        format!("Date ({a}\u{2013}{b})")
    };
    (ticks, x_desc)
}

/// Draws the team-load chart.
///
/// # Errors
///
/// Any drawing error of the backend.
pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, v: &TeamLoadView) -> DrawResult<DB> {
    area.fill(&PAPER)?;
    theme::header(area, &v.title, &v.subtitle)?;
    let y = HEADER as i32 + 10;
    let mut x = MARGIN;
    for (swatch, label) in [
        (Swatch::Box(SECONDARY), "People at work".to_string()),
        (Swatch::Box(PRIMARY), "Whole team at work".to_string()),
        (Swatch::Line(P80, 3), "Team size".to_string()),
        (
            Swatch::Line(P50, 2),
            format!("Finish of this schedule, {}", v.finish_date),
        ),
    ] {
        x = theme::legend_entry(area, (x, y), swatch, &label)?;
    }
    let (w, h) = area.dim_in_pixel();
    let base = area.get_base_pixel();
    let local = |(x, y): (i32, i32)| (x - base.0, y - base.1);
    let x_range = 0.0..v.end + (v.end * 0.01).max(0.25);
    let panel_h = LABEL + PLOT + GAP;
    let name_style = theme::bold(18.0, INK);
    let note_style = theme::text(16.0, MUTED);
    let n = v.panels.len();
    for (i, p) in v.panels.iter().enumerate() {
        let last = i + 1 == n;
        let top = HEADER + LEGEND + i as u32 * panel_h;
        let height = LABEL + PLOT + if last { AXIS_H } else { 0 };
        let panel = area
            .clone()
            .shrink((MARGIN - 10, top), (w - 2 * MARGIN as u32 + 10, height));
        let people = f64::from(p.people);
        let y_top = people * 1.1 + 0.25;
        // Every panel has the date grid; the last one labels it.
        let x_axis = Labelled::new(
            x_range.clone(),
            v.ticks
                .iter()
                .map(|(x, s)| (*x, if last { s.clone() } else { String::new() })),
        );
        let y_axis = Labelled::new(
            0.0..y_top,
            [(0.0, "0".to_string()), (people, p.people.to_string())],
        );
        let mut chart = ChartBuilder::on(&panel)
            .margin_top(LABEL)
            .margin_right(20)
            .x_label_area_size(if last { AXIS_H } else { 0 })
            .y_label_area_size(Y_LABELS)
            .build_cartesian_2d(x_axis, y_axis)?;
        let mut mesh = chart.configure_mesh();
        mesh.disable_y_mesh()
            .x_label_style(theme::text(16.0, MUTED))
            .y_label_style(theme::text(15.0, MUTED))
            .light_line_style(PAPER)
            .bold_line_style(GRID.stroke_width(1))
            .axis_style(AXIS.stroke_width(1));
        if last {
            mesh.x_desc(v.x_desc.clone())
                .axis_desc_style(theme::text(16.0, MUTED));
        }
        mesh.draw()?;

        // The label row: the team in bold, then what its panel shows.
        let (left, plot_top) = chart.backend_coord(&(x_range.start, y_top));
        let (right, baseline) = chart.backend_coord(&(x_range.end, 0.0));
        let label_y = plot_top - LABEL as i32 / 2 - 2;
        let name = theme::fit(area, &p.team, &name_style, (right - left) / 2)?;
        let name_w = theme::text_width(area, &name, &name_style)?;
        area.draw(&Text::new(
            name,
            local((left, label_y)),
            theme::anchored(name_style.clone(), HPos::Left, VPos::Center),
        ))?;
        let note = theme::fit(area, &p.note, &note_style, right - left - name_w - 16)?;
        area.draw(&Text::new(
            note,
            local((left + name_w + 16, label_y)),
            theme::anchored(note_style.clone(), HPos::Left, VPos::Center),
        ))?;

        // People at work: the step area, darker where the whole team is.
        let mut outline: Vec<(f64, f64)> = Vec::with_capacity(2 * p.steps.len() + 1);
        for (k, &(t, busy)) in p.steps.iter().enumerate() {
            let next = p.steps.get(k + 1).map_or(t, |s| s.0);
            outline.push((t, f64::from(busy)));
            outline.push((next, f64::from(busy)));
        }
        let mut shape = outline.clone();
        shape.insert(0, (0.0, 0.0));
        chart.draw_series(std::iter::once(Polygon::new(shape, SECONDARY.filled())))?;
        chart.draw_series(p.steps.windows(2).filter(|s| s[0].1 >= p.people).map(|s| {
            Rectangle::new(
                [(s[0].0, 0.0), (s[1].0, f64::from(s[0].1))],
                PRIMARY.filled(),
            )
        }))?;
        chart.draw_series(LineSeries::new(outline, CURVE.stroke_width(1)))?;
        // The team's size.
        let (cx0, cy) = chart.backend_coord(&(x_range.start, people));
        let (cx1, _) = chart.backend_coord(&(x_range.end, people));
        area.draw(&PathElement::new(
            vec![local((cx0, cy)), local((cx1, cy))],
            P80.stroke_width(3),
        ))?;
        // The schedule's finish.
        let (fx, _) = chart.backend_coord(&(v.finish, 0.0));
        area.draw(&PathElement::new(
            vec![local((fx, plot_top)), local((fx, baseline))],
            P50.stroke_width(2),
        ))?;
    }
    if let Some(note) = &v.left_out {
        area.draw(&Text::new(
            note.clone(),
            (w as i32 - MARGIN, h as i32 - 16),
            theme::anchored(theme::text(15.0, MUTED), HPos::Right, VPos::Bottom),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn ticks_start_weeks_or_months_and_are_few() {
        // Mon 4 Jan 2027: working day 1 starts at 0.
        let cal = Calendar::weekdays(d("2027-01-04"));
        let (t, desc) = ticks(&cal, 20.0);
        assert_eq!(desc, "Date (2027)");
        assert_eq!(t[0], (0.0, "Mon 4 Jan".to_string()));
        assert_eq!(t[1], (5.0, "Mon 11 Jan".to_string()));
        assert!(t.len() <= 12);
        let (t, desc) = ticks(&cal, 400.0);
        assert!(t.len() <= 12 && t.len() >= 6, "{t:?}");
        assert_eq!(desc, "Date (2027\u{2013}2028)");
        // Monthly, over two years: each month with its year.
        assert_eq!(t[0].1, "Jan 2027");
        assert!(t.iter().any(|(_, s)| s.ends_with(" 2028")), "{t:?}");
        let (t, _) = ticks(&cal, 200.0);
        assert_eq!(t[1], (20.0, "1 Feb".to_string()));
    }

    fn series(team: &str, people: u32, at_capacity: f64) -> TeamLoadSeries {
        TeamLoadSeries {
            team: team.into(),
            people,
            steps: vec![(0.0, people), (4.0, 0)],
            peak: people,
            at_capacity,
        }
    }

    #[test]
    fn the_title_names_the_teams_at_capacity_most_of_the_time() {
        let load = |teams| TeamLoad {
            iteration: 0,
            finish: 8.0,
            end: 8.0,
            teams,
        };
        let t = title(&load(vec![
            series("web", 2, 0.2),
            series("mobile", 2, 0.62),
        ]));
        assert_eq!(t, "mobile works at capacity most of the P50 schedule");
        let t = title(&load(vec![series("web", 2, 0.2), series("qa", 1, 0.3)]));
        assert_eq!(t, "qa is at capacity longest: 30% of the P50 schedule");
        let t = title(&load(vec![series("web", 2, 0.3), series("qa", 1, 0.3)]));
        assert_eq!(t, "web is at capacity longest: 30% of the P50 schedule");
        let t = title(&load(vec![series("web", 2, 0.0)]));
        assert_eq!(t, "No team is ever at capacity in the P50 schedule");
        let many: Vec<_> = (0..4).map(|i| series(&format!("t{i}"), 1, 0.9)).collect();
        assert_eq!(
            title(&load(many)),
            "4 of 4 teams work at capacity most of the P50 schedule"
        );
    }

    #[test]
    fn many_teams_keep_those_at_capacity_longest_in_file_order() {
        let teams: Vec<_> = (0..20)
            .map(|i| series(&format!("t{i:02}"), 1, f64::from(i % 7) / 10.0))
            .collect();
        let load = TeamLoad {
            iteration: 0,
            finish: 4.0,
            end: 4.0,
            teams,
        };
        let names: Vec<&str> = shown(&load).iter().map(|s| s.team.as_str()).collect();
        assert_eq!(names.len(), MAX_PANELS);
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert!(!names.contains(&"t00") && !names.contains(&"t07"));
    }
}
