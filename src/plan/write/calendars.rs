//! The calendars file of a plan on task calendars, as cells: its
//! calendars, their exception dates and the settings, in the sections
//! [`crate::plan::parse_calendars`] reads.

use std::collections::HashSet;

use super::super::TaskCalendars;
use super::super::calendars_csv::{lag_calendar_name, workdays_text};
use super::{Renamed, number, one_line};

/// The calendar names written: trimmed, on one line, not blank, unique.
pub(super) fn calendar_names(c: &TaskCalendars) -> (Vec<String>, Vec<Renamed>) {
    let mut taken = HashSet::new();
    let mut renamed = Vec::new();
    let names = c
        .calendars
        .iter()
        .enumerate()
        .map(|(i, cal)| {
            let mut base = one_line(&cal.name).trim().to_string();
            if base.is_empty() {
                base = format!("Calendar {}", i + 1);
            }
            let mut name = base.clone();
            let mut n = 2;
            while taken.contains(&name) {
                name = format!("{base} ({n})");
                n += 1;
            }
            taken.insert(name.clone());
            if name != cal.name {
                renamed.push(Renamed {
                    from: cal.name.clone(),
                    to: name.clone(),
                });
            }
            name
        })
        .collect();
    (names, renamed)
}

/// The calendars file of `c`, section by section, with calendar `i` named
/// `names[i]`.
pub(super) fn calendars_sections(c: &TaskCalendars, names: &[String]) -> Vec<Vec<Vec<String>>> {
    let row = |cells: &[&str]| cells.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut calendars = vec![row(&["calendar", "workdays", "hours_per_day"])];
    let mut exceptions = vec![row(&["calendar", "date", "working"])];
    for (cal, name) in c.calendars.iter().zip(names) {
        calendars.push(vec![
            name.clone(),
            workdays_text(&cal.workdays),
            number(cal.hours_per_day),
        ]);
        for (date, &working) in &cal.exceptions {
            exceptions.push(vec![
                name.clone(),
                date.format("%Y-%m-%d").to_string(),
                if working { "yes" } else { "no" }.into(),
            ]);
        }
    }
    let default = names.get(c.default).cloned().unwrap_or_default();
    let settings = vec![
        row(&["setting", "value"]),
        vec!["default_calendar".into(), default],
        vec!["lag_calendar".into(), lag_calendar_name(c.lag).into()],
        vec!["start_offset".into(), number(c.start_offset)],
    ];
    let mut sections = vec![calendars];
    if exceptions.len() > 1 {
        sections.push(exceptions);
    }
    sections.push(settings);
    sections
}
