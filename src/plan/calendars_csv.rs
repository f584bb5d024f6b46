//! Reading a calendars file (`--calendars`): the working calendars a plan's
//! tasks run on, their exception dates, and the scheduling settings, with
//! every problem reported by line.
//!
//! The file has up to three sections, each starting with its header row
//! (blank lines between them are skipped; the sections may come in any
//! order, and the columns of a section in any order):
//!
//! ```csv
//! calendar,workdays,hours_per_day
//! Standard 5 day,Mon-Fri,8
//! Night shift,Mon-Sat,10
//!
//! calendar,date,working
//! Standard 5 day,2025-12-25,no
//! Standard 5 day,2025-12-27,yes
//!
//! setting,value
//! default_calendar,Standard 5 day
//! lag_calendar,successor
//! start_offset,0.25
//! ```
//!
//! - **Calendars**: a unique name, the worked weekdays as `--workdays`
//!   reads them (`Mon-Fri`, `Sun-Thu`, `Mon,Wed,Fri`; `none` for a calendar
//!   that works only its exception dates), and the hours of one working day
//!   (8 when blank; for the record: durations and lags are working days).
//! - **Exceptions**: a date a calendar works (`yes`) or does not (`no`,
//!   also when blank: a holiday), whatever its weekday.
//! - **Settings**: `default_calendar`, the calendar of tasks whose
//!   `calendar` cell is blank (the first calendar when not given);
//!   `lag_calendar`, the calendar lags count working days on
//!   (`predecessor`, `successor` (when not given), `24h` for elapsed days,
//!   or `default`); `start_offset`, the share of the start date's working
//!   time already past when the plan starts (0 when not given).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::error::{LoadError, Problem, ProblemKind, closest};
use super::records::{Records, normalise};
use super::{LagCalendar, TaskCalendars, WorkCalendar, parse_workdays};

/// Hours of a working day when a calendar row leaves it blank.
pub const DEFAULT_HOURS_PER_DAY: f64 = 8.0;

/// The settings a calendars file may give.
pub const SETTINGS: [&str; 3] = ["default_calendar", "lag_calendar", "start_offset"];

/// The sections of a calendars file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Calendars,
    Exceptions,
    Settings,
}

/// A section header row: its section, and the index of each column.
struct Header {
    section: Section,
    columns: HashMap<String, usize>,
}

/// Reads `row` as a section header, if it is one: all its cells are
/// columns of one section, and it has that section's key columns.
fn header(row: &csv::StringRecord) -> Option<Header> {
    let names: Vec<String> = row.iter().map(normalise).collect();
    let used: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| !n.is_empty())
        .collect();
    let has = |n: &str| used.contains(&n);
    let only = |allowed: &[&str]| used.iter().all(|n| allowed.contains(n));
    let section = if has("setting") && has("value") && only(&["setting", "value"]) {
        Section::Settings
    } else if has("calendar") && has("workdays") && only(&["calendar", "workdays", "hours_per_day"])
    {
        Section::Calendars
    } else if has("calendar") && has("date") && only(&["calendar", "date", "working"]) {
        Section::Exceptions
    } else {
        return None;
    };
    let mut columns = HashMap::new();
    for (i, n) in names.into_iter().enumerate() {
        if !n.is_empty() {
            columns.entry(n).or_insert(i);
        }
    }
    Some(Header { section, columns })
}

/// Reads a calendars file's text as the calendars of a plan that starts
/// on `start`.
///
/// # Errors
///
/// [`LoadError::InvalidInput`] with every problem found.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use slipcast::plan::{LagCalendar, parse_calendars};
/// let text = "calendar,workdays,hours_per_day\nStandard,Mon-Fri,8\n7-day,Mon-Sun,8\n\n\
///             calendar,date,working\nStandard,2025-12-25,no\n\n\
///             setting,value\nlag_calendar,predecessor\n";
/// let start = NaiveDate::from_ymd_opt(2025, 4, 22).unwrap();
/// let c = parse_calendars("calendars.csv", text, start)?;
/// assert_eq!(c.calendars.len(), 2);
/// assert_eq!((c.default, c.lag), (0, LagCalendar::Predecessor));
/// assert_eq!(c.calendars[0].exceptions.len(), 1);
/// # Ok::<(), slipcast::plan::LoadError>(())
/// ```
pub fn parse_calendars(
    file: &str,
    text: &str,
    start: NaiveDate,
) -> Result<TaskCalendars, LoadError> {
    let (calendars, problems) = read_calendars(file, text, start);
    if problems.is_empty() {
        Ok(calendars)
    } else {
        Err(LoadError::InvalidInput {
            what: "the calendars file",
            problems,
        })
    }
}

/// Reads a calendars file, as far as it can be read, with its problems: a
/// plan read with it can then name its own problems too, all at once.
pub(super) fn read_calendars(
    file: &str,
    text: &str,
    start: NaiveDate,
) -> (TaskCalendars, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut out = TaskCalendars {
        start,
        start_offset: 0.0,
        calendars: Vec::new(),
        default: 0,
        lag: LagCalendar::Successor,
        axis_start: Default::default(),
    };
    let at = |line: u64, kind| Problem {
        file: file.into(),
        line: Some(line),
        task: None,
        kind,
    };
    let Ok(mut records) = Records::new(file, text).map_err(|p| problems.push(*p)) else {
        return (out, problems);
    };
    let first_line = records.header_line();
    let mut current = header(records.headers());
    if current.is_none() && !records.headers().iter().all(str::is_empty) {
        problems.push(at(first_line, ProblemKind::NotInSection));
    }
    let mut lines: HashMap<String, u64> = HashMap::new();
    // Exceptions and settings name calendars, which may be defined below
    // them: kept with their lines until every calendar is read.
    let mut exceptions: Vec<(u64, String, NaiveDate, bool)> = Vec::new();
    let mut settings: HashMap<&'static str, (u64, String)> = HashMap::new();
    while let Some((line, rec)) = records.next_in_sections(&mut problems) {
        if let Some(h) = header(&rec) {
            current = Some(h);
            continue;
        }
        let Some(h) = &current else {
            problems.push(at(line, ProblemKind::NotInSection));
            continue;
        };
        let cell = |name: &str| {
            h.columns
                .get(name)
                .and_then(|&i| rec.get(i))
                .map_or("", super::cells::text)
        };
        let mut push = |kind| problems.push(at(line, kind));
        match h.section {
            Section::Calendars => {
                let name = cell("calendar");
                if name.is_empty() {
                    push(ProblemKind::BlankCalendar);
                    continue;
                }
                // Workdays that cannot be read are reported here, and read
                // as every day so that nothing else is blamed on them.
                let workdays = match cell("workdays") {
                    "" => {
                        push(ProblemKind::BlankWorkdays);
                        [true; 7]
                    }
                    w if w.eq_ignore_ascii_case("none") => [false; 7],
                    w => parse_workdays(w).unwrap_or_else(|e| {
                        push(ProblemKind::BadWorkdays(e));
                        [true; 7]
                    }),
                };
                let hours = match cell("hours_per_day") {
                    "" => DEFAULT_HOURS_PER_DAY,
                    h => match h.parse::<f64>() {
                        Ok(x) if x > 0.0 && x <= 24.0 => x,
                        _ => {
                            push(ProblemKind::BadHoursPerDay(h.into()));
                            DEFAULT_HOURS_PER_DAY
                        }
                    },
                };
                if let Some(&first_line) = lines.get(name) {
                    push(ProblemKind::DuplicateCalendar {
                        name: name.into(),
                        first_line,
                    });
                    continue;
                }
                lines.insert(name.into(), line);
                out.calendars.push(WorkCalendar::new(name, workdays, hours));
            }
            Section::Exceptions => {
                let name = cell("calendar");
                if name.is_empty() {
                    push(ProblemKind::BlankCalendar);
                    continue;
                }
                let date_text = cell("date");
                let date = NaiveDate::parse_from_str(date_text, "%Y-%m-%d");
                let working = parse_working(cell("working"));
                let (Ok(date), Some(working)) = (date, working) else {
                    if date.is_err() {
                        push(ProblemKind::BadDate {
                            column: "date".into(),
                            value: date_text.into(),
                        });
                    }
                    if working.is_none() {
                        push(ProblemKind::BadWorking(cell("working").into()));
                    }
                    continue;
                };
                exceptions.push((line, name.into(), date, working));
            }
            Section::Settings => {
                let name = normalise(cell("setting"));
                let value = cell("value");
                let Some(&key) = SETTINGS.iter().find(|s| **s == name) else {
                    push(ProblemKind::UnknownSetting {
                        suggestion: closest(&name, SETTINGS),
                        name: cell("setting").into(),
                    });
                    continue;
                };
                if let Some((first_line, _)) = settings.get(key) {
                    push(ProblemKind::DuplicateSetting {
                        name: key.into(),
                        first_line: *first_line,
                    });
                    continue;
                }
                settings.insert(key, (line, value.into()));
            }
        }
    }

    let index: HashMap<&str, usize> = out
        .calendars
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.as_str(), i))
        .collect();
    let unknown = |name: &str| ProblemKind::UnknownCalendar {
        name: name.into(),
        file: file.into(),
        suggestion: closest(name, index.keys().copied()),
    };
    let mut seen: HashMap<(usize, NaiveDate), u64> = HashMap::new();
    let mut dated = Vec::new();
    for (line, name, date, working) in exceptions {
        let Some(&c) = index.get(name.as_str()) else {
            problems.push(at(line, unknown(&name)));
            continue;
        };
        if let Some(&first_line) = seen.get(&(c, date)) {
            problems.push(at(
                line,
                ProblemKind::DuplicateException {
                    calendar: name,
                    date,
                    first_line,
                },
            ));
            continue;
        }
        seen.insert((c, date), line);
        dated.push((c, date, working));
    }
    let mut default = None;
    for (key, (line, value)) in &settings {
        let bad = match *key {
            "default_calendar" if value.is_empty() => None,
            "default_calendar" => match index.get(value.as_str()) {
                Some(&c) => {
                    default = Some(c);
                    None
                }
                None => Some(unknown(value)),
            },
            "lag_calendar" => match parse_lag_calendar(value) {
                Some(rule) => {
                    out.lag = rule;
                    None
                }
                None => Some(ProblemKind::BadLagCalendar(value.clone())),
            },
            _ => match value.parse::<f64>() {
                Ok(x) if (0.0..1.0).contains(&x) => {
                    out.start_offset = x;
                    None
                }
                _ if value.is_empty() => None,
                _ => Some(ProblemKind::BadStartOffset(value.clone())),
            },
        };
        if let Some(kind) = bad {
            problems.push(at(*line, kind));
        }
    }
    for (c, date, working) in dated {
        out.calendars[c].exceptions.insert(date, working);
    }
    out.default = default.unwrap_or(0);
    if out.calendars.is_empty() && problems.is_empty() {
        problems.push(at(first_line, ProblemKind::NoCalendars));
    }
    problems.sort_by_key(|p| p.line.unwrap_or(0));
    (out, problems)
}

/// Reads a `working` cell: `yes` (worked) or `no` (a holiday, also blank).
fn parse_working(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "working" | "work" => Some(true),
        "" | "no" | "n" | "false" | "0" | "holiday" | "off" => Some(false),
        _ => None,
    }
}

/// Reads a `lag_calendar` setting (blank: the successor's, as in P6).
fn parse_lag_calendar(text: &str) -> Option<LagCalendar> {
    match normalise(text).as_str() {
        "predecessor" => Some(LagCalendar::Predecessor),
        "" | "successor" => Some(LagCalendar::Successor),
        "24h" | "24_hour" | "24_hours" | "24hour" | "elapsed" => Some(LagCalendar::TwentyFourHour),
        "default" | "project_default" => Some(LagCalendar::Default),
        _ => None,
    }
}

/// The `lag_calendar` setting that names `rule` in a calendars file.
pub fn lag_calendar_name(rule: LagCalendar) -> &'static str {
    match rule {
        LagCalendar::Predecessor => "predecessor",
        LagCalendar::Successor => "successor",
        LagCalendar::TwentyFourHour => "24h",
        LagCalendar::Default => "default",
    }
}

/// Worked weekdays as a calendars file writes them: runs of days joined
/// by `-` (`Mon-Fri`, `Mon-Sun`, `Mon-Thu,Sat`), or `none`.
///
/// # Examples
///
/// ```
/// use slipcast::plan::{parse_workdays, workdays_text};
/// assert_eq!(workdays_text(&[true, true, true, true, true, false, false]), "Mon-Fri");
/// assert_eq!(workdays_text(&[true, false, true, false, false, false, true]), "Mon,Wed,Sun");
/// assert_eq!(workdays_text(&[false; 7]), "none");
/// let w = [true, true, true, true, false, true, false];
/// assert_eq!(parse_workdays(&workdays_text(&w)).unwrap(), w);
/// ```
pub fn workdays_text(workdays: &[bool; 7]) -> String {
    const NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let mut parts = Vec::new();
    let mut d = 0;
    while d < 7 {
        if !workdays[d] {
            d += 1;
            continue;
        }
        let first = d;
        while d + 1 < 7 && workdays[d + 1] {
            d += 1;
        }
        parts.push(match d - first {
            0 => NAMES[first].to_string(),
            1 => format!("{},{}", NAMES[first], NAMES[d]),
            _ => format!("{}-{}", NAMES[first], NAMES[d]),
        });
        d += 1;
    }
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 4, 22).unwrap()
    }

    fn problems(text: &str) -> Vec<String> {
        read_calendars("c.csv", text, start())
            .1
            .iter()
            .map(|p| p.to_string())
            .collect()
    }

    #[test]
    fn sections_in_any_order_and_settings() {
        let text = "setting,value\ndefault_calendar,Night\nlag_calendar,24h\nstart_offset,0.5\n\
                    calendar,date,working\nNight,2025-05-01,\nNight,2025-05-03,yes\n\
                    hours_per_day,calendar,workdays\n,Day,Mon-Fri\n10,Night,Mon-Sat\n";
        let (c, p) = read_calendars("c.csv", text, start());
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(c.calendars.len(), 2);
        assert_eq!(c.default, 1);
        assert_eq!(c.lag, LagCalendar::TwentyFourHour);
        assert_eq!(c.start_offset, 0.5);
        assert_eq!(c.calendars[0].hours_per_day, 8.0);
        assert_eq!(c.calendars[1].hours_per_day, 10.0);
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(!c.calendars[1].is_working(d("2025-05-01")));
        assert!(c.calendars[1].is_working(d("2025-05-03")));
        assert!(!c.calendars[1].is_working(d("2025-05-04")));
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let text = "Standard,Mon-Fri,8\n\
                    calendar,workdays,hours_per_day\n\
                    Standard,Mon-Fri,8\n\
                    ,Mon-Fri,8\n\
                    Night,Mon-Funday,25\n\
                    Standard,Mon-Sat,8\n\
                    Late,,\n\
                    calendar,date,working\n\
                    Standrad,2025-12-25,no\n\
                    Standard,2025-13-01,maybe\n\
                    Standard,2025-12-26,no\n\
                    Standard,2025-12-26,yes\n\
                    setting,value\n\
                    lag_calender,successor\n\
                    lag_calendar,sideways\n\
                    start_offset,1\n\
                    default_calendar,Nigth\n\
                    start_offset,0\n";
        let all = problems(text);
        let expected = [
            "c.csv:1: this row is under no section header",
            "c.csv:4: the calendar name is blank",
            "c.csv:5: workdays: \"Funday\" is not a weekday",
            "c.csv:5: hours_per_day \"25\" is not a number above 0 and at most 24",
            "c.csv:6: calendar \"Standard\" is defined again; it was first defined on line 3",
            "c.csv:7: workdays is blank",
            "c.csv:9: calendar \"Standrad\" is not defined in c.csv (did you mean \"Standard\"?)",
            "c.csv:10: date \"2025-13-01\" is not a date",
            "c.csv:10: working \"maybe\" is not yes or no",
            "c.csv:12: 2025-12-26 of calendar \"Standard\" is given again; it was first given on line 11",
            "c.csv:14: unknown setting \"lag_calender\" (did you mean \"lag_calendar\"?)",
            "c.csv:15: lag_calendar \"sideways\" is not a rule",
            "c.csv:16: start_offset \"1\" is not a share of a day",
            "c.csv:17: calendar \"Nigth\" is not defined in c.csv (did you mean \"Night\"?)",
            "c.csv:18: setting start_offset is given again; it was first given on line 16",
        ];
        assert_eq!(all.len(), expected.len(), "{all:#?}");
        for (m, e) in all.iter().zip(expected) {
            assert!(m.starts_with(e), "{m}\n does not start with\n{e}");
        }
    }

    #[test]
    fn a_file_without_calendars_is_refused() {
        assert_eq!(
            problems("setting,value\nlag_calendar,successor\n"),
            [
                "c.csv:1: the file defines no calendar; add a section with the header row calendar,workdays,hours_per_day and a row per calendar, e.g. Standard,Mon-Fri,8"
            ]
        );
    }

    #[test]
    fn lag_rules_read_back() {
        for rule in [
            LagCalendar::Predecessor,
            LagCalendar::Successor,
            LagCalendar::TwentyFourHour,
            LagCalendar::Default,
        ] {
            assert_eq!(parse_lag_calendar(lag_calendar_name(rule)), Some(rule));
        }
    }
}
