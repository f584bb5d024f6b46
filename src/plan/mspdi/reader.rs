//! Streaming the XML of an MSPDI file into an [`Mspdi`]: one pass of
//! quick-xml events, the text of each element kept only until its end tag.

use chrono::{NaiveDate, NaiveDateTime};
use quick_xml::Reader;
use quick_xml::events::Event;

use super::model::{
    FieldDefinition, MsCalendar, MsException, MsLink, MsTask, MsValue, MsWeekDay, Mspdi, Period,
};
use super::problem::MspdiProblem;
use crate::plan::error::{LoadError, Problem, ProblemKind};

/// Whether `bytes` look like an MS Project XML file: an XML document whose
/// root is `Project` in MS Project's namespace (read from its start).
pub fn is_mspdi(bytes: &[u8]) -> bool {
    let head = text_head(bytes);
    let t = head.trim_start();
    (t.starts_with("<?xml") || t.starts_with("<Project"))
        && head.contains("<Project")
        && head.contains("schemas.microsoft.com/project")
}

/// The first few kilobytes of the file as text (UTF-16 files decoded).
fn text_head(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(4096)];
    let (text, _, _) = encoding_rs::UTF_8.decode(head);
    match encoding_rs::Encoding::for_bom(head) {
        Some((enc, _)) if enc != encoding_rs::UTF_8 => enc.decode(head).0.into_owned(),
        _ => text.into_owned(),
    }
}

pub(super) fn problem(file: &str, line: Option<u64>, p: MspdiProblem) -> Problem {
    Problem {
        file: file.to_string(),
        line,
        task: None,
        kind: ProblemKind::Mspdi(Box::new(p)),
    }
}

/// Line numbers of byte offsets, counted as the reader moves forward.
struct Lines<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u64,
}

impl Lines<'_> {
    /// The line of byte `pos` (never before the last one asked).
    fn of(&mut self, pos: usize) -> u64 {
        let pos = pos.min(self.bytes.len());
        if pos > self.at {
            self.line += self.bytes[self.at..pos]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.at = pos;
        }
        self.line
    }
}

/// Reads an MSPDI file: the project's settings, calendars, tasks with
/// their links and custom field values, and the custom fields' names.
///
/// # Errors
///
/// [`LoadError::Invalid`] naming the file and line: XML that cannot be
/// read, a root other than `Project`, or values that are not numbers,
/// dates or durations where MS Project writes them (every such value at
/// once).
pub fn parse(file: &str, bytes: &[u8]) -> Result<Mspdi, LoadError> {
    let invalid = |problems| LoadError::Invalid { problems };
    // UTF-16 files are decoded; a UTF-8 byte order mark is dropped.
    let owned;
    let bytes = match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, n)) if enc == encoding_rs::UTF_8 => &bytes[n..],
        Some((enc, _)) => {
            owned = enc.decode(bytes).0.into_owned();
            owned.as_bytes()
        }
        None => bytes,
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(invalid(vec![problem(file, None, MspdiProblem::Empty)]));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64;
            return Err(invalid(vec![problem(
                file,
                Some(line),
                MspdiProblem::Xml {
                    message: format!(
                        "byte 0x{:02X} is not UTF-8, the encoding MS Project writes",
                        bytes[at]
                    ),
                },
            )]));
        }
    };
    let mut reader = Reader::from_str(text);
    let mut lines = Lines {
        bytes,
        at: 0,
        line: 1,
    };
    let mut out = Mspdi {
        schedule_from_start: true,
        minutes_per_day: 480.0,
        minutes_per_week: 2400.0,
        days_per_month: 20.0,
        ..Mspdi::default()
    };
    let mut st = State::default();
    let mut problems = Vec::new();
    loop {
        let pos = reader.buffer_position() as usize;
        match reader.read_event() {
            Err(e) => {
                let line = lines.of(reader.error_position() as usize);
                problems.push(problem(
                    file,
                    Some(line),
                    MspdiProblem::Xml {
                        message: e.to_string(),
                    },
                ));
                break;
            }
            Ok(Event::Eof) => break,
            Ok(event @ (Event::Start(_) | Event::Empty(_))) => {
                let (Event::Start(e) | Event::Empty(e)) = &event else {
                    continue;
                };
                let name = e.local_name().as_ref().to_string();
                let line = lines.of(pos);
                if st.path.is_empty() && name != "Project" {
                    problems.push(problem(
                        file,
                        Some(line),
                        MspdiProblem::NotProject { root: name },
                    ));
                    break;
                }
                st.open(&name, line);
                st.path.push(name);
                st.text.clear();
                // An empty element ends where it starts.
                if matches!(event, Event::Empty(_)) {
                    let line = lines.of(reader.buffer_position() as usize);
                    st.close(&mut out, line, file, &mut problems);
                }
            }
            Ok(Event::Text(t)) => {
                st.text.push_str(&t.xml10_content());
            }
            Ok(Event::CData(t)) => {
                st.text.push_str(t.as_ref());
            }
            Ok(Event::GeneralRef(r)) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    st.text.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(r.as_ref()) {
                    st.text.push_str(s);
                }
            }
            Ok(Event::End(_)) => {
                let line = lines.of(reader.buffer_position() as usize);
                st.close(&mut out, line, file, &mut problems);
            }
            Ok(_) => {}
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(invalid(problems))
    }
}

/// What the reader is inside of.
#[derive(Default)]
struct State {
    /// Element names from the root.
    path: Vec<String>,
    /// The current element's text.
    text: String,
    calendar: MsCalendar,
    day: Option<DayDraft>,
    exception: Option<MsExceptionDraft>,
    period: (Option<u16>, Option<u16>),
    dates: (String, String),
    task: MsTask,
    link: MsLink,
    value: MsValue,
    field: FieldDefinition,
}

/// A `WeekDay` being read: its `DayType`, the day, and (for an old-form
/// exception) its `TimePeriod` dates.
type DayDraft = (u32, MsWeekDay, Option<(String, String)>);

#[derive(Default)]
struct MsExceptionDraft {
    working: bool,
    times: Vec<Period>,
    recurrence: Option<u32>,
    name: String,
}

impl State {
    fn under(&self, names: &[&str]) -> bool {
        self.path.len() == names.len() && self.path.iter().zip(names).all(|(a, b)| a == b)
    }

    /// An element starts: records begin here.
    fn open(&mut self, name: &str, line: u64) {
        let p: Vec<&str> = self.path.iter().map(String::as_str).collect();
        match (p.as_slice(), name) {
            (["Project", "Calendars"], "Calendar") => {
                self.calendar = MsCalendar {
                    line,
                    ..MsCalendar::default()
                };
            }
            (["Project", "Calendars", "Calendar", "WeekDays"], "WeekDay") => {
                self.day = Some((0, MsWeekDay::default(), None));
            }
            (["Project", "Calendars", "Calendar", "Exceptions"], "Exception") => {
                self.exception = Some(MsExceptionDraft::default());
            }
            (_, "WorkingTime") => self.period = (None, None),
            (_, "TimePeriod") => self.dates = (String::new(), String::new()),
            (["Project", "Tasks"], "Task") => {
                self.task = MsTask {
                    active: true,
                    line,
                    ..MsTask::default()
                };
            }
            (["Project", "Tasks", "Task"], "PredecessorLink") => {
                self.link = MsLink {
                    kind: 1,
                    lag_format: 7,
                    line,
                    ..MsLink::default()
                };
            }
            (["Project", "Tasks", "Task"], "ExtendedAttribute") => {
                self.value = MsValue {
                    field: 0,
                    value: String::new(),
                    duration_format: None,
                };
            }
            (["Project", "ExtendedAttributes"], "ExtendedAttribute") => {
                self.field = FieldDefinition {
                    id: 0,
                    name: String::new(),
                    alias: None,
                };
            }
            _ => {}
        }
    }

    /// An element ends: its text goes to the record it belongs to.
    fn close(&mut self, out: &mut Mspdi, line: u64, file: &str, problems: &mut Vec<Problem>) {
        let Some(name) = self.path.pop() else {
            return;
        };
        let text = std::mem::take(&mut self.text);
        let v = text.trim();
        let mut bad = |expected: &'static str| {
            problems.push(problem(
                file,
                Some(line),
                MspdiProblem::BadValue {
                    element: name.clone(),
                    value: v.chars().take(40).collect(),
                    expected,
                },
            ));
        };
        let p: Vec<&str> = self.path.iter().map(String::as_str).collect();
        match p.as_slice() {
            ["Project"] => match name.as_str() {
                "SaveVersion" => out.save_version = Some(v.to_string()),
                "Name" => out.name = v.to_string(),
                "Title" if out.name.is_empty() => out.name = v.to_string(),
                "ScheduleFromStart" => out.schedule_from_start = v != "0",
                "StartDate" => out.start_date = date_time(v).or_else(|| none(&mut bad, v)),
                "FinishDate" => out.finish_date = date_time(v).or_else(|| none(&mut bad, v)),
                "StatusDate" => out.status_date = date_time(v).or_else(|| none(&mut bad, v)),
                "CalendarUID" => out.calendar = int(v).or_else(|| none(&mut bad, v)),
                "MinutesPerDay" => positive(v, &mut out.minutes_per_day, &mut bad),
                "MinutesPerWeek" => positive(v, &mut out.minutes_per_week, &mut bad),
                "DaysPerMonth" => positive(v, &mut out.days_per_month, &mut bad),
                _ => {}
            },
            ["Project", "Calendars"] if name == "Calendar" => {
                out.calendars.push(std::mem::take(&mut self.calendar));
            }
            ["Project", "Calendars", "Calendar"] => match name.as_str() {
                "UID" => self.calendar.uid = int(v).unwrap_or_else(|| zero(&mut bad)),
                "Name" => self.calendar.name = v.to_string(),
                "IsBaseCalendar" => self.calendar.is_base = v == "1",
                "BaseCalendarUID" => self.calendar.base = int(v).filter(|&u| u >= 0),
                "WorkWeeks" => self.calendar.work_weeks = true,
                _ => {}
            },
            ["Project", "Calendars", "Calendar", "WeekDays"] if name == "WeekDay" => {
                if let Some((day, d, period)) = self.day.take() {
                    self.week_day(day, d, period, &mut bad);
                }
            }
            ["Project", "Calendars", "Calendar", "WeekDays", "WeekDay"] => {
                if let Some((day, d, _)) = &mut self.day {
                    match name.as_str() {
                        "DayType" => *day = int(v).unwrap_or_else(|| zero(&mut bad)) as u32,
                        "DayWorking" => d.working = v == "1",
                        _ => {}
                    }
                }
            }
            ["Project", "Calendars", "Calendar", "Exceptions"] if name == "Exception" => {
                if let Some(x) = self.exception.take() {
                    let (from, to) = std::mem::take(&mut self.dates);
                    match (date_time(&from), date_time(&to)) {
                        (Some(a), Some(b)) => self.calendar.exceptions.push(MsException {
                            from: a.date(),
                            to: b.date().max(a.date()),
                            working: x.working,
                            times: x.times,
                            recurrence: x.recurrence,
                            name: x.name,
                        }),
                        _ => bad("an exception with a FromDate and ToDate"),
                    }
                }
            }
            [
                "Project",
                "Calendars",
                "Calendar",
                "Exceptions",
                "Exception",
            ] => {
                if let Some(x) = &mut self.exception {
                    match name.as_str() {
                        "DayWorking" => x.working = v == "1",
                        "Type" => x.recurrence = int(v).map(|t| t as u32),
                        "Name" => x.name = v.to_string(),
                        _ => {}
                    }
                }
            }
            [.., "WorkingTimes", "WorkingTime"] => {
                let t = time_minutes(v);
                if t.is_none() && !v.is_empty() {
                    bad("a time of day (HH:MM:SS)");
                }
                match name.as_str() {
                    "FromTime" => self.period.0 = t,
                    "ToTime" => self.period.1 = t,
                    _ => {}
                }
            }
            [.., "WorkingTimes"] if name == "WorkingTime" => {
                if let (Some(a), Some(b)) = self.period {
                    // A finish of 00:00 is midnight at the end of the day.
                    let b = if b <= a && b == 0 { 1440 } else { b };
                    if a < b {
                        if let Some(x) = &mut self.exception {
                            x.times.push((a, b));
                        } else if let Some((_, d, _)) = &mut self.day {
                            d.times.push((a, b));
                        }
                    }
                }
            }
            [.., "TimePeriod"] => match name.as_str() {
                "FromDate" => self.dates.0 = v.to_string(),
                "ToDate" => self.dates.1 = v.to_string(),
                _ => {}
            },
            [.., "WeekDay"] if name == "TimePeriod" => {
                if let Some((_, _, period)) = &mut self.day {
                    *period = Some(std::mem::take(&mut self.dates));
                }
            }
            ["Project", "Tasks"] if name == "Task" => {
                out.tasks.push(std::mem::take(&mut self.task));
            }
            ["Project", "Tasks", "Task"] => self.task_field(&name, v, &mut bad),
            ["Project", "Tasks", "Task", "PredecessorLink"] => {
                let l = &mut self.link;
                match name.as_str() {
                    "PredecessorUID" => l.pred = int(v).unwrap_or_else(|| zero(&mut bad)),
                    "Type" => l.kind = int(v).unwrap_or_else(|| zero(&mut bad)) as u32,
                    "LinkLag" => l.lag = number(v).unwrap_or_else(|| zero(&mut bad) as f64),
                    "LagFormat" => l.lag_format = int(v).map_or(7, |x| x as u32),
                    "CrossProject" => l.cross_project = v == "1",
                    _ => {}
                }
            }
            ["Project", "Tasks", "Task", "ExtendedAttribute"] => match name.as_str() {
                "FieldID" => self.value.field = int(v).map_or(0, |x| x as u32),
                "Value" => self.value.value = v.to_string(),
                "DurationFormat" => self.value.duration_format = int(v).map(|x| x as u32),
                _ => {}
            },
            ["Project", "ExtendedAttributes", "ExtendedAttribute"] => match name.as_str() {
                "FieldID" => self.field.id = int(v).map_or(0, |x| x as u32),
                "FieldName" => self.field.name = v.to_string(),
                "Alias" if !v.is_empty() => self.field.alias = Some(v.to_string()),
                _ => {}
            },
            ["Project", "ExtendedAttributes"] if name == "ExtendedAttribute" => {
                out.fields.push(self.field.clone());
            }
            _ => {}
        }
        if name == "PredecessorLink" && self.under(&["Project", "Tasks", "Task"]) {
            self.task.links.push(std::mem::take(&mut self.link));
        }
        if name == "ExtendedAttribute" && self.under(&["Project", "Tasks", "Task"]) {
            self.task.values.push(self.value.clone());
        }
    }

    /// A `WeekDay` ends: a weekday of the week, or (`DayType` 0, the form of
    /// older files) an exception over its `TimePeriod`.
    fn week_day(
        &mut self,
        day: u32,
        d: MsWeekDay,
        period: Option<(String, String)>,
        bad: &mut impl FnMut(&'static str),
    ) {
        match day {
            1..=7 => {
                // DayType 1 is Sunday; the week is kept Monday first.
                let i = ((day + 5) % 7) as usize;
                self.calendar.week[i] = Some(d);
            }
            0 => match period.map(|(a, b)| (date_time(&a), date_time(&b))) {
                Some((Some(a), Some(b))) => self.calendar.exceptions.push(MsException {
                    from: a.date(),
                    to: b.date().max(a.date()),
                    working: d.working,
                    times: d.times,
                    recurrence: None,
                    name: String::new(),
                }),
                _ => bad("an exception day with a TimePeriod"),
            },
            _ => bad("a DayType from 0 to 7"),
        }
    }

    fn task_field(&mut self, name: &str, v: &str, bad: &mut impl FnMut(&'static str)) {
        let t = &mut self.task;
        let dt = |bad: &mut dyn FnMut(&'static str)| {
            if v.is_empty() {
                return None;
            }
            let d = date_time(v);
            if d.is_none() {
                bad("a date and time (YYYY-MM-DDTHH:MM:SS)");
            }
            d
        };
        let dur = |bad: &mut dyn FnMut(&'static str)| {
            let d = duration_minutes(v);
            if d.is_none() && !v.is_empty() {
                bad("an ISO 8601 duration (PT8H0M0S)");
            }
            d
        };
        match name {
            "UID" => t.uid = int(v).unwrap_or_else(|| zero(bad)),
            "ID" => t.id = int(v),
            "Name" => t.name = v.to_string(),
            "Active" => t.active = v != "0",
            "Manual" => t.manual = v == "1",
            "IsNull" => t.is_null = v == "1",
            "Summary" => t.summary = v == "1",
            "Milestone" => t.milestone = v == "1",
            "ExternalTask" => t.external = v == "1",
            "OutlineLevel" => t.outline_level = int(v).map_or(0, |x| x.max(0) as u32),
            "WBS" => t.wbs = v.to_string(),
            "Start" => t.start = dt(bad),
            "Finish" => t.finish = dt(bad),
            "Duration" => t.duration = dur(bad),
            "DurationFormat" => t.duration_format = int(v).map(|x| x as u32),
            "RemainingDuration" => t.remaining = dur(bad),
            "PercentComplete" => t.percent_complete = number(v).unwrap_or(0.0),
            "ActualStart" => t.actual_start = dt(bad),
            "ActualFinish" => t.actual_finish = dt(bad),
            "ConstraintType" => t.constraint = int(v).map_or(0, |x| x as u32),
            "ConstraintDate" => t.constraint_date = dt(bad),
            "CalendarUID" => t.calendar = int(v).filter(|&u| u >= 0),
            _ => {}
        }
    }
}

fn none<T>(bad: &mut impl FnMut(&'static str), v: &str) -> Option<T> {
    if !v.is_empty() {
        bad("a value of the right type");
    }
    None
}

/// Says a value is not a whole number, and reads it as 0.
fn zero(bad: &mut impl FnMut(&'static str)) -> i64 {
    bad("a whole number");
    0
}

fn positive(v: &str, to: &mut f64, bad: &mut impl FnMut(&'static str)) {
    match number(v) {
        Some(x) if x > 0.0 => *to = x,
        _ => bad("a positive number"),
    }
}

fn int(v: &str) -> Option<i64> {
    v.trim().parse().ok()
}

fn number(v: &str) -> Option<f64> {
    v.trim().parse::<f64>().ok().filter(|x| x.is_finite())
}

/// `2018-10-18T08:00:00` (seconds optional).
pub(super) fn date_time(v: &str) -> Option<NaiveDateTime> {
    let v = v.trim();
    NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M"))
        .or_else(|_| NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S%.f"))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(chrono::NaiveTime::MIN))
        })
}

/// `08:00:00` as minutes after midnight (`24:00:00` is 1440).
fn time_minutes(v: &str) -> Option<u16> {
    let mut parts = v.trim().split(':');
    let h: u16 = parts.next()?.parse().ok()?;
    let m: u16 = parts.next().map_or(Some(0), |p| p.parse().ok())?;
    (h <= 24 && m < 60 && h * 60 + m <= 1440).then_some(h * 60 + m)
}

/// An ISO 8601 duration as MS Project writes it (`PT8H0M0S`, `-PT4H0M0S`,
/// `P1DT2H`, fractional seconds), in minutes.
pub(super) fn duration_minutes(v: &str) -> Option<f64> {
    let v = v.trim();
    let (sign, v) = match v.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, v),
    };
    let v = v.strip_prefix('P')?;
    let (date, time) = match v.split_once('T') {
        Some((d, t)) => (d, t),
        None => (v, ""),
    };
    let mut minutes = 0.0;
    let mut take = |part: &str, units: &[(char, f64)]| -> Option<()> {
        let mut num = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                num.push(c);
            } else {
                let scale = units.iter().find(|(u, _)| *u == c)?.1;
                minutes += num.parse::<f64>().ok()? * scale;
                num.clear();
            }
        }
        num.is_empty().then_some(())
    };
    take(
        date,
        &[
            ('Y', 525_600.0),
            ('M', 43_200.0),
            ('W', 10_080.0),
            ('D', 1440.0),
        ],
    )?;
    take(time, &[('H', 60.0), ('M', 1.0), ('S', 1.0 / 60.0)])?;
    Some(sign * minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_minutes() {
        assert_eq!(duration_minutes("PT8H0M0S"), Some(480.0));
        assert_eq!(duration_minutes("PT0H1M0S"), Some(1.0));
        assert_eq!(duration_minutes("PT720H0M0S"), Some(43_200.0));
        assert_eq!(duration_minutes("-PT4H30M0S"), Some(-270.0));
        assert_eq!(duration_minutes("P1DT2H"), Some(1560.0));
        assert_eq!(duration_minutes("PT0H0M30S"), Some(0.5));
        assert_eq!(duration_minutes("8 days"), None);
        assert_eq!(duration_minutes("PT8X"), None);
    }

    #[test]
    fn times_of_day_read_as_minutes() {
        assert_eq!(time_minutes("08:00:00"), Some(480));
        assert_eq!(time_minutes("24:00:00"), Some(1440));
        assert_eq!(time_minutes("25:00:00"), None);
    }

    #[test]
    fn detects_by_content() {
        let xml = br#"<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project"><Name>x</Name></Project>"#;
        assert!(is_mspdi(xml));
        assert!(!is_mspdi(b"id,name\nA,B\n"));
        assert!(!is_mspdi(b"<?xml version=\"1.0\"?><Other/>"));
    }

    #[test]
    fn entities_are_kept_in_names() {
        let xml = br#"<?xml version="1.0"?>
<Project xmlns="http://schemas.microsoft.com/project">
<Tasks><Task><UID>1</UID><Name>Design &amp; build &#x41;</Name><OutlineLevel>1</OutlineLevel></Task></Tasks>
</Project>"#;
        let m = parse("p.xml", xml).unwrap();
        assert_eq!(m.tasks[0].name, "Design & build A");
        assert_eq!(m.tasks[0].line, 3);
    }

    #[test]
    fn broken_xml_is_a_problem_with_its_line() {
        let xml = b"<?xml version=\"1.0\"?>\n<Project xmlns=\"http://schemas.microsoft.com/project\">\n<Tasks><Task></Tasks>\n</Project>";
        let e = parse("p.xml", xml).unwrap_err();
        let msg = e.problems()[0].to_string();
        assert!(
            msg.starts_with("p.xml:3: the XML cannot be read here"),
            "{msg}"
        );
    }

    #[test]
    fn bad_values_are_named() {
        let xml = br#"<Project xmlns="http://schemas.microsoft.com/project">
<Tasks><Task><UID>x1</UID><Start>tomorrow</Start></Task></Tasks></Project>"#;
        let e = parse("p.xml", xml).unwrap_err();
        assert_eq!(e.problems().len(), 2, "{e}");
        assert!(
            e.problems()[1]
                .to_string()
                .contains("<Start> is \"tomorrow\"")
        );
    }
}
