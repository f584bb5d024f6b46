//! The cells of a plan row that place a task on task calendars: its
//! `calendar`, its `not_before` and `finish_not_before` times and whether it
//! is a `start` or `finish` milestone.
//!
//! They need the calendars file (`--calendars`): a plan that uses them
//! without one is told so once per column, at the first row that uses it.

use std::collections::HashMap;

use super::error::{ProblemKind, closest};
use super::times::{DayEnd, parse_time};
use super::{Estimate, TaskCalendars};

/// The calendars a plan is read against, with the file that defined them.
pub(super) struct CalendarContext<'a> {
    /// The calendars file, as named in messages.
    pub file: &'a str,
    /// The calendars, as far as the file could be read.
    pub calendars: &'a TaskCalendars,
    /// Each calendar's index, by name.
    pub index: HashMap<&'a str, usize>,
}

impl<'a> CalendarContext<'a> {
    pub fn new(file: &'a str, calendars: &'a TaskCalendars) -> CalendarContext<'a> {
        CalendarContext {
            file,
            calendars,
            index: calendars
                .calendars
                .iter()
                .enumerate()
                .map(|(i, c)| (c.name.as_str(), i))
                .collect(),
        }
    }
}

/// The four cells as written in a row.
pub(super) struct PlacementCells<'r> {
    pub calendar: &'r str,
    pub not_before: &'r str,
    pub finish_not_before: &'r str,
    pub milestone: &'r str,
}

/// Where a row places its task.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Placement {
    pub calendar: Option<usize>,
    pub not_before: Option<f64>,
    pub finish_not_before: Option<f64>,
    pub at_start: bool,
}

/// Reads the placement cells of a row; `ctx` is `None` without a calendars
/// file, and `told` holds the columns already reported as needing one.
pub(super) fn read_placement(
    cells: &PlacementCells<'_>,
    ctx: Option<&CalendarContext<'_>>,
    told: &mut Vec<&'static str>,
    push: &mut impl FnMut(ProblemKind),
) -> Placement {
    let mut out = Placement::default();
    let milestone = cells.milestone.trim().to_ascii_lowercase();
    match milestone.as_str() {
        "start" => out.at_start = true,
        // A tracker's yes/no milestone flag: a task of no duration is a
        // milestone whatever this says.
        "" | "finish" | "yes" | "no" | "y" | "n" | "true" | "false" | "x" => {}
        _ => push(ProblemKind::BadMilestone(cells.milestone.into())),
    }
    let Some(ctx) = ctx else {
        let start_milestone = if out.at_start { cells.milestone } else { "" };
        for (column, value) in [
            ("calendar", cells.calendar),
            ("not_before", cells.not_before),
            ("finish_not_before", cells.finish_not_before),
            ("milestone", start_milestone),
        ] {
            if !value.is_empty() && !told.contains(&column) {
                told.push(column);
                push(ProblemKind::NeedsCalendars {
                    column,
                    value: value.into(),
                });
            }
        }
        return out;
    };
    if !cells.calendar.is_empty() {
        match ctx.index.get(cells.calendar) {
            Some(&c) => out.calendar = Some(c),
            None => push(ProblemKind::UnknownCalendar {
                name: cells.calendar.into(),
                file: ctx.file.into(),
                suggestion: closest(cells.calendar, ctx.index.keys().copied()),
            }),
        }
    }
    let start = ctx.calendars.start;
    let mut time = |column: &'static str, text: &str, end| {
        if text.is_empty() {
            return None;
        }
        let t = parse_time(text, start, end);
        if t.is_none() {
            push(ProblemKind::BadTime {
                column,
                value: text.into(),
            });
        }
        t
    };
    out.not_before = time("not_before", cells.not_before, DayEnd::Start);
    out.finish_not_before = time("finish_not_before", cells.finish_not_before, DayEnd::Finish);
    out
}

/// Checks that a start milestone takes no time, and that a task that takes
/// time runs on a calendar that works on some day.
pub(super) fn check_placement(
    placement: &Placement,
    estimate: Option<&Estimate>,
    ctx: Option<&CalendarContext<'_>>,
    push: &mut impl FnMut(ProblemKind),
) {
    let Some(e) = estimate else {
        return;
    };
    if placement.at_start && e.planned() > 0.0 {
        push(ProblemKind::StartMilestoneWithDuration { days: e.planned() });
    }
    let takes_time = !matches!(e, Estimate::Fixed { days } if *days == 0.0);
    let calendar = ctx.and_then(|ctx| {
        let c = ctx.calendars;
        c.calendars.get(placement.calendar.unwrap_or(c.default))
    });
    if let Some(cal) = calendar
        && takes_time
        && !cal.works_at_all()
    {
        push(ProblemKind::CalendarNeverWorks {
            calendar: cal.name.clone(),
        });
    }
}
