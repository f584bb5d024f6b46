//! A P6 calendar's working time, read from `CALENDAR.clndr_data`; the
//! format is described on [`CalendarData`].

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Days, NaiveDate, Weekday};
use thiserror::Error;

/// Minutes in a day: a shift ends at most at midnight at the day's end.
pub const DAY_MINUTES: u16 = 24 * 60;

/// Deepest nesting read; P6 writes five levels.
const MAX_DEPTH: usize = 16;

/// Characters of the data shown around a syntax error.
const NEAR: usize = 24;

/// P6's days of week, 1 = Sunday to 7 = Saturday.
const P6_WEEKDAYS: [Weekday; 7] = [
    Weekday::Sun,
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
];

/// The day exception serials count from (serial 0).
fn serial_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or(NaiveDate::MIN)
}

/// A working period within one day.
///
/// Invariant: `start_minute < end_minute <= 1440`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Shift {
    start_minute: u16,
    end_minute: u16,
}

impl Shift {
    /// The shift from `start_minute` to `end_minute` after midnight; `None`
    /// unless `start_minute < end_minute <= 1440`.
    pub fn new(start_minute: u16, end_minute: u16) -> Option<Shift> {
        (start_minute < end_minute && end_minute <= DAY_MINUTES).then_some(Shift {
            start_minute,
            end_minute,
        })
    }

    /// When the shift starts, in minutes after midnight.
    pub fn start_minute(self) -> u16 {
        self.start_minute
    }

    /// When it ends, in minutes after midnight (1440 is midnight at the end
    /// of the day).
    pub fn end_minute(self) -> u16 {
        self.end_minute
    }

    /// How long it lasts, in minutes.
    pub fn minutes(self) -> u32 {
        u32::from(self.end_minute - self.start_minute)
    }
}

/// `08:00-12:00`, `13:00-24:00`.
impl fmt::Display for Shift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        write!(f, "{}-{}", hm(self.start_minute), hm(self.end_minute))
    }
}

/// The shifts worked on each day of a normal week.
///
/// Invariant: each day's shifts are sorted and do not overlap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkWeek {
    /// Monday first.
    shifts: [Vec<Shift>; 7],
}

impl WorkWeek {
    /// A week of these shifts per day, Monday first (each day's shifts
    /// sorted and overlaps merged).
    pub fn from_days(days: [Vec<Shift>; 7]) -> WorkWeek {
        WorkWeek {
            shifts: days.map(|mut d| {
                d.sort();
                let mut out: Vec<Shift> = Vec::with_capacity(d.len());
                for s in d {
                    match out.last_mut() {
                        Some(last) if s.start_minute <= last.end_minute => {
                            last.end_minute = last.end_minute.max(s.end_minute);
                        }
                        _ => out.push(s),
                    }
                }
                out
            }),
        }
    }

    /// The shifts worked on a weekday, in order (empty: not worked).
    pub fn shifts(&self, day: Weekday) -> &[Shift] {
        &self.shifts[day.num_days_from_monday() as usize]
    }

    /// The minutes worked on a weekday.
    pub fn minutes(&self, day: Weekday) -> u32 {
        self.shifts(day).iter().map(|s| s.minutes()).sum()
    }

    /// The minutes worked on each weekday, Monday first.
    pub fn minutes_per_day(&self) -> [u32; 7] {
        std::array::from_fn(|i| self.shifts[i].iter().map(|s| s.minutes()).sum())
    }

    /// The minutes worked in a whole week.
    pub fn week_minutes(&self) -> u32 {
        self.minutes_per_day().iter().sum()
    }
}

/// A calendar's working time: its normal week and its exceptions, as
/// read from `CALENDAR.clndr_data` by [`CalendarData::parse`].
///
/// P6 keeps a calendar's week and its exceptions as one nested,
/// parenthesised value. Every node is `(0||NAME(ATTRIBUTES)(CHILDREN))`,
/// where `ATTRIBUTES` are `key|value` pairs separated by `|`:
///
/// ```text
/// (0||CalendarData()(
///   (0||DaysOfWeek()(
///     (0||1()())                                   Sunday: not worked
///     (0||2()( (0||0(s|08:00|f|12:00)())           Monday: two shifts
///              (0||1(s|13:00|f|17:00)()) ))
///     ...))
///   (0||VIEW(ShowTotal|Y)())
///   (0||Exceptions()(
///     (0||0(d|45519)())                            2024-08-15: not worked
///     (0||1(d|45604)( (0||0(s|00:00|f|00:00)()) )) 2024-11-08: worked 24 hours
///   ))))
/// ```
///
/// What the exports hold, as read here:
///
/// - DEL bytes (0x7F) and whitespace are layout only, and are dropped.
/// - Days of week are numbered 1 = Sunday to 7 = Saturday. A day with no
///   shift is not worked; a day the data leaves out is not worked either.
/// - A shift is `s|HH:MM|f|HH:MM`, in either order (`f|12:00|s|01:00`), with
///   one-digit hours allowed (`s|8:00`). A finish of `00:00` is midnight at
///   the end of the day, 24:00: a 7x24 calendar's `f|00:00|s|13:00` is the
///   eleven hours from 13:00, and `s|00:00|f|00:00` is a whole 24-hour day.
///   Read the other way (`00:00` as the start of the day) the first would
///   end before it starts and the second would be empty, and P6 names such
///   calendars "24hrs" or "7x24".
/// - Exceptions are days counted from 1899-12-30 (the spreadsheet serial
///   day: `d|45519` is 2024-08-15); a fractional serial counts as its day.
///   An exception without shifts is a day off; with shifts, it is worked in
///   exactly those hours that day.
/// - Other nodes (`VIEW`, ...) and other attributes are ignored, and the
///   root node's name may be blank (`(0||()(...))`).
///
/// `CALENDAR.day_hr_cnt` and `week_hr_cnt` are P6's "hours per time
/// period" settings, which convert hours to days and weeks. They are set
/// apart from the shifts and need not equal their hours: in real exports
/// `day_hr_cnt` is the hours of each worked day except in 24-hour
/// calendars (which keep the default 8), and `week_hr_cnt` does not
/// always follow the days worked (7-day calendars of 8 and 10 hours a day
/// set to 40 and 60).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarData {
    /// The normal week.
    pub week: WorkWeek,
    /// Days that differ from the week: no shifts is a day off, otherwise
    /// the shifts worked that day (sorted, not overlapping).
    pub exceptions: BTreeMap<NaiveDate, Vec<Shift>>,
}

/// What is wrong in a `clndr_data` value.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CalendarDataError {
    /// The data is blank.
    #[error("the calendar data is blank, so the calendar has no working time")]
    Blank,
    /// The parentheses or separators are not where the format has them.
    #[error("expected {expected} at character {at}, near \"{near}\"")]
    Syntax {
        /// What the format has there.
        expected: &'static str,
        /// Its position (in characters, layout removed), from 0.
        at: usize,
        /// The data around it.
        near: String,
    },
    /// Nodes nested deeper than any P6 calendar.
    #[error("the nodes are nested more than {MAX_DEPTH} deep, deeper than P6 writes")]
    TooDeep,
    /// No `DaysOfWeek` node.
    #[error("there is no DaysOfWeek node, so the calendar has no working week")]
    NoWeek,
    /// A day of week is not 1 to 7.
    #[error("day of week \"{day}\" is not 1 (Sunday) to 7 (Saturday)")]
    BadWeekday {
        /// The day as written.
        day: String,
    },
    /// A day of week is given twice.
    #[error("{day} is given twice in DaysOfWeek")]
    WeekdayTwice {
        /// The day.
        day: Weekday,
    },
    /// A shift lacks its start or its finish.
    #[error("shift \"{shift}\" {when} needs a start and a finish, s|HH:MM|f|HH:MM")]
    BadShift {
        /// The shift's attributes as written.
        shift: String,
        /// Which day: `on Mon` or `on 2024-08-15`.
        when: String,
    },
    /// A time is not `HH:MM`.
    #[error("time \"{value}\" {when} is not HH:MM (00:00 to 24:00)")]
    BadTime {
        /// The time as written.
        value: String,
        /// Which day.
        when: String,
    },
    /// A shift ends before it starts.
    #[error("shift s|{start}|f|{finish} {when} ends before it starts")]
    Backwards {
        /// The start as written.
        start: String,
        /// The finish as written.
        finish: String,
        /// Which day.
        when: String,
    },
    /// Two shifts of a day overlap.
    #[error("shifts {first} and {second} {when} overlap")]
    Overlap {
        /// The earlier shift.
        first: Shift,
        /// The one that starts before it ends.
        second: Shift,
        /// Which day.
        when: String,
    },
    /// An exception has no day.
    #[error("exception \"{attributes}\" has no day (d|serial)")]
    ExceptionWithoutDay {
        /// Its attributes as written.
        attributes: String,
    },
    /// An exception's day is not a day serial.
    #[error("exception day \"{value}\" is not a day serial (days since 1899-12-30, e.g. 45519)")]
    BadSerial {
        /// The serial as written.
        value: String,
    },
    /// The same day is an exception twice, with different hours.
    #[error("{date} is an exception twice, with different hours")]
    ExceptionTwice {
        /// The day.
        date: NaiveDate,
    },
}

/// One node: `(0||name(attributes)(children))`.
struct Node<'a> {
    name: &'a str,
    attributes: &'a str,
    children: Vec<Node<'a>>,
}

impl<'a> Node<'a> {
    /// The first node named `name` (ASCII case ignored), this one or below.
    fn find(&self, name: &str) -> Option<&Node<'a>> {
        if self.name.eq_ignore_ascii_case(name) {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(name))
    }

    /// The attributes as `(key, value)` pairs; `None` if one lacks a value.
    fn pairs(&self) -> Option<Vec<(&'a str, &'a str)>> {
        if self.attributes.is_empty() {
            return Some(Vec::new());
        }
        let parts: Vec<&str> = self.attributes.split('|').collect();
        if !parts.len().is_multiple_of(2) {
            return None;
        }
        Some(parts.chunks_exact(2).map(|p| (p[0], p[1])).collect())
    }
}

/// A recursive-descent reader of the node syntax.
struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, expected: &'static str) -> CalendarDataError {
        let from = self.text[..self.pos]
            .char_indices()
            .rev()
            .nth(NEAR / 2 - 1)
            .map_or(0, |(i, _)| i);
        let near: String = self.text[from..].chars().take(NEAR).collect();
        CalendarDataError::Syntax {
            expected,
            at: self.text[..self.pos].chars().count(),
            near,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn expect(&mut self, byte: u8, expected: &'static str) -> Result<(), CalendarDataError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(expected))
        }
    }

    /// The text up to (not including) the next `(` or `)`, which must be
    /// `stop`.
    fn until(&mut self, stop: u8, expected: &'static str) -> Result<&'a str, CalendarDataError> {
        let rest = &self.text.as_bytes()[self.pos..];
        match rest.iter().position(|&b| b == b'(' || b == b')') {
            Some(n) if rest[n] == stop => {
                let s = &self.text[self.pos..self.pos + n];
                self.pos += n;
                Ok(s)
            }
            Some(n) => {
                self.pos += n;
                Err(self.error(expected))
            }
            None => {
                self.pos = self.text.len();
                Err(self.error(expected))
            }
        }
    }

    fn node(&mut self, depth: usize) -> Result<Node<'a>, CalendarDataError> {
        if depth > MAX_DEPTH {
            return Err(CalendarDataError::TooDeep);
        }
        self.expect(b'(', "'(' opening a node")?;
        let head = self.until(b'(', "'(' after a node's name")?;
        let name = head.rsplit_once("||").map_or(head, |(_, n)| n);
        self.expect(b'(', "'(' opening a node's attributes")?;
        let attributes = self.until(b')', "')' closing a node's attributes")?;
        self.expect(b')', "')' closing a node's attributes")?;
        self.expect(b'(', "'(' opening a node's children")?;
        let mut children = Vec::new();
        while self.peek() == Some(b'(') {
            children.push(self.node(depth + 1)?);
        }
        self.expect(b')', "')' closing a node's children")?;
        self.expect(b')', "')' closing a node")?;
        Ok(Node {
            name,
            attributes,
            children,
        })
    }
}

/// Minutes after midnight of `H:MM` or `HH:MM` (up to 24:00).
fn minutes(value: &str) -> Option<u16> {
    let (h, m) = value.split_once(':')?;
    let ok =
        |s: &str, max: usize| (1..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !ok(h, 2) || m.len() != 2 || !ok(m, 2) {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && h * 60 + m <= DAY_MINUTES).then_some(h * 60 + m)
}

/// The shifts below a day or exception node, sorted and checked.
fn shifts(node: &Node, when: &str) -> Result<Vec<Shift>, CalendarDataError> {
    let mut out = Vec::with_capacity(node.children.len());
    for child in &node.children {
        let bad = || CalendarDataError::BadShift {
            shift: child.attributes.into(),
            when: when.into(),
        };
        let pairs = child.pairs().ok_or_else(bad)?;
        let get = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|&(_, v)| v)
        };
        let (Some(s), Some(f)) = (get("s"), get("f")) else {
            return Err(bad());
        };
        let time = |v: &str| {
            minutes(v).ok_or_else(|| CalendarDataError::BadTime {
                value: v.into(),
                when: when.into(),
            })
        };
        let (start, finish) = (time(s)?, time(f)?);
        // A finish of 00:00 is midnight at the end of the day.
        let end = if finish == 0 { DAY_MINUTES } else { finish };
        let shift = Shift::new(start, end).ok_or_else(|| CalendarDataError::Backwards {
            start: s.into(),
            finish: f.into(),
            when: when.into(),
        })?;
        out.push(shift);
    }
    out.sort();
    for pair in out.windows(2) {
        if pair[0].end_minute > pair[1].start_minute {
            return Err(CalendarDataError::Overlap {
                first: pair[0],
                second: pair[1],
                when: when.into(),
            });
        }
    }
    Ok(out)
}

/// The day of an exception's `d|serial`.
fn exception_day(node: &Node) -> Result<NaiveDate, CalendarDataError> {
    let without = || CalendarDataError::ExceptionWithoutDay {
        attributes: node.attributes.into(),
    };
    let pairs = node.pairs().ok_or_else(without)?;
    let value = pairs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("d"))
        .map(|&(_, v)| v)
        .ok_or_else(without)?;
    let bad = || CalendarDataError::BadSerial {
        value: value.into(),
    };
    let serial = value.parse::<f64>().map_err(|_| bad())?.floor();
    // Serial 2958465 is 9999-12-31, the last day spreadsheets know.
    if !(0.0..=2_958_465.0).contains(&serial) {
        return Err(bad());
    }
    serial_epoch()
        .checked_add_days(Days::new(serial as u64))
        .ok_or_else(bad)
}

impl CalendarData {
    /// Reads a `clndr_data` value.
    ///
    /// # Errors
    ///
    /// [`CalendarDataError`] when the data is blank, its parentheses do not
    /// match the format, it has no `DaysOfWeek`, or a day, shift or
    /// exception cannot be read.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{NaiveDate, Weekday};
    /// use slipcast::plan::xer::CalendarData;
    /// let data = "(0||CalendarData()( (0||DaysOfWeek()( (0||1()()) \
    ///     (0||2()( (0||0(s|08:00|f|12:00)()) (0||1(s|13:00|f|17:00)()))) )) \
    ///     (0||Exceptions()( (0||0(d|45519)()) ))))";
    /// let c = CalendarData::parse(data).unwrap();
    /// assert_eq!(c.week.minutes(Weekday::Mon), 8 * 60);
    /// assert_eq!(c.week.minutes(Weekday::Sun), 0);
    /// let day = NaiveDate::from_ymd_opt(2024, 8, 15).unwrap();
    /// assert_eq!(c.exceptions[&day], []);
    /// ```
    pub fn parse(data: &str) -> Result<CalendarData, CalendarDataError> {
        let text: String = data
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{7f}')
            .collect();
        if text.is_empty() {
            return Err(CalendarDataError::Blank);
        }
        let mut parser = Parser {
            text: &text,
            pos: 0,
        };
        let root = parser.node(0)?;
        if parser.pos != text.len() {
            return Err(parser.error("the end of the data after the root node"));
        }

        let days = root.find("DaysOfWeek").ok_or(CalendarDataError::NoWeek)?;
        let mut week = WorkWeek::default();
        let mut seen = [false; 7];
        for day in &days.children {
            let weekday = match day.name.parse::<u8>() {
                Ok(n @ 1..=7) => P6_WEEKDAYS[usize::from(n - 1)],
                _ => {
                    return Err(CalendarDataError::BadWeekday {
                        day: day.name.into(),
                    });
                }
            };
            let i = weekday.num_days_from_monday() as usize;
            if std::mem::replace(&mut seen[i], true) {
                return Err(CalendarDataError::WeekdayTwice { day: weekday });
            }
            week.shifts[i] = shifts(day, &format!("on {weekday}"))?;
        }

        let mut exceptions = BTreeMap::new();
        if let Some(list) = root.find("Exceptions") {
            for exception in &list.children {
                let date = exception_day(exception)?;
                let hours = shifts(exception, &format!("on {date}"))?;
                match exceptions.get(&date) {
                    Some(earlier) if *earlier != hours => {
                        return Err(CalendarDataError::ExceptionTwice { date });
                    }
                    _ => {
                        exceptions.insert(date, hours);
                    }
                }
            }
        }
        Ok(CalendarData { week, exceptions })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week_of(days: &str) -> String {
        format!("(0||CalendarData()((0||DaysOfWeek()({days}))))")
    }

    fn err(data: &str) -> String {
        CalendarData::parse(data).unwrap_err().to_string()
    }

    #[test]
    fn reads_a_standard_week_with_layout_bytes() {
        let data = "(0||CalendarData()(\x7f\r\n  (0||DaysOfWeek()(\x7f\r\n    (0||1()())\x7f\r\n    (0||2()(\x7f\r\n      (0||0(s|08:00|f|12:00)())\x7f\r\n      (0||1(s|13:00|f|17:00)())))\x7f\r\n    (0||7()())))\x7f\r\n  (0||VIEW(ShowTotal|Y)())\x7f\r\n  (0||Exceptions()(\x7f\r\n    (0||0(d|45519)())\x7f\r\n    (0||1(d|45604)(\x7f\r\n      (0||0(s|00:00|f|00:00)())))))))";
        let c = CalendarData::parse(data).unwrap();
        assert_eq!(c.week.minutes_per_day(), [480, 0, 0, 0, 0, 0, 0]);
        let mon: Vec<String> = c
            .week
            .shifts(Weekday::Mon)
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(mon, ["08:00-12:00", "13:00-17:00"]);
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(c.exceptions[&d("2024-08-15")], []);
        assert_eq!(
            c.exceptions[&d("2024-11-08")],
            [Shift::new(0, 1440).unwrap()]
        );
    }

    #[test]
    fn midnight_finish_is_the_end_of_the_day() {
        // The 7x24 calendar of P6's samples: 22 hours a day (day_hr_cnt 22).
        let day = |n| format!("(0||{n}()((0||0(f|12:00|s|01:00)())(0||1(f|00:00|s|13:00)())))");
        let days: String = (1..=7).map(day).collect();
        let c = CalendarData::parse(&week_of(&days)).unwrap();
        assert_eq!(c.week.minutes(Weekday::Wed), 22 * 60);
        assert_eq!(c.week.week_minutes(), 154 * 60);
        let c = CalendarData::parse(&week_of("(0||4()((0||0(s|00:00|f|00:00)())))")).unwrap();
        assert_eq!(c.week.minutes(Weekday::Wed), 24 * 60);
        assert_eq!(c.week.shifts(Weekday::Wed)[0].to_string(), "00:00-24:00");
    }

    #[test]
    fn tolerates_blank_root_names_one_digit_hours_and_fractional_days() {
        let data = "(0||()((0||DaysOfWeek()((0||2()((0||0(s|8:00|f|16:00)()))))) (0||Exceptions()((0||0(d|45519.75)())))))";
        let c = CalendarData::parse(data).unwrap();
        assert_eq!(c.week.minutes(Weekday::Mon), 480);
        assert!(
            c.exceptions
                .contains_key(&NaiveDate::from_ymd_opt(2024, 8, 15).unwrap())
        );
    }

    #[test]
    fn broken_data_says_what_is_wrong() {
        let cases: &[(&str, &str)] = &[
            (
                "",
                "the calendar data is blank, so the calendar has no working time",
            ),
            (
                "(0||CalendarData()(",
                "expected ')' closing a node's children at character 19, near \"endarData()(\"",
            ),
            (
                "(0||X()())",
                "there is no DaysOfWeek node, so the calendar has no working week",
            ),
            (
                "(0||X()())junk",
                "expected the end of the data after the root node at character 10, near \"(0||X()())junk\"",
            ),
            (
                &week_of("(0||8()())"),
                "day of week \"8\" is not 1 (Sunday) to 7 (Saturday)",
            ),
            (
                &week_of("(0||2()())(0||2()())"),
                "Mon is given twice in DaysOfWeek",
            ),
            (
                &week_of("(0||2()((0||0(s|08:00)())))"),
                "shift \"s|08:00\" on Mon needs a start and a finish, s|HH:MM|f|HH:MM",
            ),
            (
                &week_of("(0||2()((0||0(s|08:00|f|8h)())))"),
                "time \"8h\" on Mon is not HH:MM (00:00 to 24:00)",
            ),
            (
                &week_of("(0||3()((0||0(s|17:00|f|08:00)())))"),
                "shift s|17:00|f|08:00 on Tue ends before it starts",
            ),
            (
                &week_of("(0||3()((0||0(s|08:00|f|13:00)())(0||1(s|12:00|f|17:00)())))"),
                "shifts 08:00-13:00 and 12:00-17:00 on Tue overlap",
            ),
        ];
        for (data, message) in cases {
            assert_eq!(err(data), *message, "{data}");
        }
        let ex = |e: &str| format!("(0||C()((0||DaysOfWeek()())(0||Exceptions()({e}))))");
        assert_eq!(
            err(&ex("(0||0(x|1)())")),
            "exception \"x|1\" has no day (d|serial)"
        );
        assert_eq!(
            err(&ex("(0||0(d|-3)())")),
            "exception day \"-3\" is not a day serial (days since 1899-12-30, e.g. 45519)"
        );
        assert_eq!(
            err(&ex(
                "(0||0(d|45519)())(0||1(d|45519)((0||0(s|08:00|f|12:00)())))"
            )),
            "2024-08-15 is an exception twice, with different hours"
        );
        let deep = format!("{}{}", "(0||a()(".repeat(40), "))".repeat(40));
        assert_eq!(
            err(&deep),
            "the nodes are nested more than 16 deep, deeper than P6 writes"
        );
    }
}
