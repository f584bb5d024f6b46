//! A ranges file (`--ranges FILE`): the uncertainty of a plan whose
//! durations are single numbers, as a P6 schedule's are, given per activity
//! (`id`) or per WBS prefix (`wbs`).
//!
//! ```text
//! id,wbs,low,likely,high,dist,confidence
//! A1040,,12,15,25,pert,
//! ,4.HRN,90%,100%,140%,triangular,
//! ,5.4,80%,,150%,lognormal,80
//! ```
//!
//! Each row names an activity id or a WBS prefix, not both. A prefix
//! matches whole WBS codes (`4.HRN` matches `4.HRN` and `4.HRN.2`, not
//! `4.HRNX`), with or without the project's code in front (`935.4.HRN`, as
//! P6 shows WBS codes). `low`, `likely` and `high` are working days of the
//! activity's calendar, its remaining work as a plan CSV's durations are;
//! written with `%` (on each of them), or with a `unit` column that says
//! `percent`, they are percent of the activity's remaining duration. `dist`
//! and `confidence` mean what they mean in a plan CSV, and so does a blank
//! `dist`: fixed for `likely` alone, else PERT. Unknown columns (a `name`,
//! a note) are passed over.
//!
//! The rows are read through the shared reader ([`super::records`]), with
//! every problem reported at once; which activity each row ranges is
//! settled against the plan by [`Ranges::assign`].

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use super::cells;
use super::columns::{Col, names};
use super::error::{LoadError, Problem, ProblemKind};
use super::records::{Records, normalise};
use super::{DistKind, Estimate, EstimateError, TextEncoding, ThreePoint};

mod assign;

pub use assign::RangeTarget;

/// What a ranges file is called in messages.
pub(super) const WHAT: &str = "the ranges file";

/// The unit of a range's low, likely and high.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeUnit {
    /// Working days of the activity's calendar.
    Days,
    /// Percent of the activity's remaining duration.
    Percent,
}

/// A range as written: three-point numbers in a unit, and a distribution.
///
/// Invariant (checked when a file is read): the numbers make an estimate
/// of `dist`, read as days, or for percentages as the days of a
/// 100-day activity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    /// Low, likely and high as written, in `unit`, and the confidence (in
    /// percent) of the low-high interval, if it is not hard bounds.
    pub numbers: ThreePoint,
    /// Days, or percent of the remaining duration.
    pub unit: RangeUnit,
    /// The distribution (`None`: fixed for likely alone, else PERT).
    pub dist: Option<DistKind>,
}

impl Range {
    /// The estimate of an activity whose remaining duration is `days`
    /// working days: the numbers as they are, or as percent of `days`.
    ///
    /// # Errors
    ///
    /// [`EstimateError`] when the numbers, so scaled, make no estimate
    /// (a duration longer than [`super::MAX_DAYS`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use slipcast::plan::{DistKind, Estimate, Range, RangeUnit, ThreePoint};
    /// let r = Range {
    ///     numbers: ThreePoint { low: Some(90.0), likely: Some(100.0), high: Some(150.0), confidence: None },
    ///     unit: RangeUnit::Percent,
    ///     dist: Some(DistKind::Triangular),
    /// };
    /// assert_eq!(r.estimate(10.0)?, Estimate::Triangular { low: 9.0, mode: 10.0, high: 15.0 });
    /// # Ok::<(), slipcast::plan::EstimateError>(())
    /// ```
    pub fn estimate(&self, days: f64) -> Result<Estimate, EstimateError> {
        let n = self.numbers;
        let tp = match self.unit {
            RangeUnit::Days => n,
            RangeUnit::Percent => {
                let of = |p: Option<f64>| p.map(|p| days * p / 100.0);
                ThreePoint {
                    low: of(n.low),
                    likely: of(n.likely),
                    high: of(n.high),
                    confidence: n.confidence,
                }
            }
        };
        Estimate::new(cells::kind(self.dist, &tp), tp)
    }
}

/// What a row of a ranges file ranges.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RangeKey {
    /// One activity, by its id.
    Id(String),
    /// Every activity whose WBS path starts with this prefix.
    Wbs(String),
}

impl RangeKey {
    /// What the key is, in words: `activity id` or `WBS prefix`.
    pub fn what(&self) -> &'static str {
        match self {
            RangeKey::Id(_) => "activity id",
            RangeKey::Wbs(_) => "WBS prefix",
        }
    }
}

/// `id "A1040"` or `wbs "4.HRN"`.
impl fmt::Display for RangeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RangeKey::Id(id) => write!(f, "id \"{id}\""),
            RangeKey::Wbs(wbs) => write!(f, "wbs \"{wbs}\""),
        }
    }
}

/// One row of a ranges file.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeRow {
    /// What it ranges.
    pub key: RangeKey,
    /// The range.
    pub range: Range,
    /// Its line in the file.
    pub line: u64,
}

/// A ranges file, read: its rows in file order, no key given twice.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ranges {
    /// The file, as the user named it.
    pub file: String,
    /// The rows.
    pub rows: Vec<RangeRow>,
}

/// Reads a ranges file in `encoding` (a byte order mark wins).
///
/// # Errors
///
/// [`LoadError::Io`] if it cannot be read; [`LoadError::InvalidInput`] with
/// every problem found.
pub fn load_ranges(path: &Path, encoding: TextEncoding) -> Result<Ranges, LoadError> {
    let text = encoding.read(path, Some(WHAT))?;
    parse_ranges(&path.display().to_string(), &text)
}

/// Parses a ranges file from text (`file` names it in messages).
///
/// # Errors
///
/// [`LoadError::InvalidInput`] with every problem found.
///
/// # Examples
///
/// ```
/// use slipcast::plan::{RangeKey, RangeUnit, parse_ranges};
/// let r = parse_ranges("r.csv", "id,wbs,low,likely,high\nA1,,3,4,8\n,4.HRN,90%,100%,130%\n")?;
/// assert_eq!(r.rows[0].key, RangeKey::Id("A1".into()));
/// assert_eq!(r.rows[1].range.unit, RangeUnit::Percent);
/// let e = parse_ranges("r.csv", "id,low,likely,high\nA1,3,x,8\nA1,5,4,8\n").unwrap_err();
/// assert_eq!(e.problems().len(), 3);
/// # Ok::<(), slipcast::plan::LoadError>(())
/// ```
pub fn parse_ranges(file: &str, text: &str) -> Result<Ranges, LoadError> {
    match read_ranges(file, text) {
        (ranges, problems) if problems.is_empty() => Ok(ranges),
        (_, problems) => Err(LoadError::InvalidInput {
            what: WHAT,
            problems,
        }),
    }
}

/// The rows of a ranges file that read, and the problems of the others (a
/// plan reader reports them with those of matching the rows to the plan).
pub(super) fn read_ranges(file: &str, text: &str) -> (Ranges, Vec<Problem>) {
    let mut ranges = Ranges {
        file: file.to_string(),
        rows: Vec::new(),
    };
    let mut problems = Vec::new();
    let at = |line: u64, kind| Problem {
        file: file.into(),
        line: Some(line),
        task: None,
        kind,
    };
    let mut records = match Records::new(file, text) {
        Ok(r) => r,
        Err(p) => return (ranges, vec![*p]),
    };
    let header_line = records.header_line();
    let Some(cols) = columns(&records, &mut |k| problems.push(at(header_line, k))) else {
        return (ranges, problems);
    };
    let mut seen: HashMap<RangeKey, u64> = HashMap::new();
    let mut any = false;
    while let Some((line, rec)) = records.next_reporting(&mut problems) {
        any = true;
        let cell = |c: Option<usize>| c.and_then(|i| rec.get(i)).map_or("", cells::text);
        let key = key(cell(cols.id), cell(cols.wbs), &mut |k| {
            problems.push(at(line, k))
        });
        if let Some(key) = &key {
            match seen.get(key) {
                Some(&first_line) => problems.push(at(
                    line,
                    ProblemKind::DuplicateRange {
                        key: key.clone(),
                        first_line,
                    },
                )),
                None => {
                    seen.insert(key.clone(), line);
                }
            }
        }
        let cells = [cell(cols.low), cell(cols.likely), cell(cols.high)];
        let extra = [cell(cols.dist), cell(cols.confidence), cell(cols.unit)];
        // A row's own problems name what it ranges.
        let mut push = |kind| {
            problems.push(at(
                line,
                match &key {
                    Some(key) => ProblemKind::InRange {
                        key: key.clone(),
                        problem: Box::new(kind),
                    },
                    None => kind,
                },
            ))
        };
        let range = range(cells, extra, &mut push);
        if let (Some(key), Some(range)) = (key, range) {
            ranges.rows.push(RangeRow { key, range, line });
        }
    }
    if !any && problems.is_empty() {
        problems.push(at(header_line, ProblemKind::NoRanges));
    }
    (ranges, problems)
}

/// Where each column of a ranges file is.
struct Columns {
    id: Option<usize>,
    wbs: Option<usize>,
    low: Option<usize>,
    likely: Option<usize>,
    high: Option<usize>,
    dist: Option<usize>,
    confidence: Option<usize>,
    unit: Option<usize>,
}

/// Header names of a ranges file's key columns (its others are a plan's).
const ID: &[&str] = &["id", "activity_id", "activity", "task_id", "task", "key"];
const WBS: &[&str] = &["wbs", "wbs_code", "wbs_path", "wbs_prefix"];
const UNIT: &[&str] = &["unit", "units"];

/// Finds the columns; `None` (with the problems pushed) when a column is
/// named twice or a required one is missing: `id` or `wbs`, and one of
/// `low`, `likely` and `high`.
fn columns(records: &Records<'_>, push: &mut impl FnMut(ProblemKind)) -> Option<Columns> {
    let headers = records.headers();
    let mut ok = true;
    let mut find = |names: &[&str]| {
        let found: Vec<usize> = (headers.iter().enumerate())
            .filter(|(_, h)| names.contains(&normalise(h).as_str()))
            .map(|(i, _)| i)
            .collect();
        if let [first, second, ..] = found[..] {
            ok = false;
            push(ProblemKind::DuplicateColumn {
                column: names[0].into(),
                first: headers[first].into(),
                second: headers[second].into(),
            });
        }
        found.first().copied()
    };
    let cols = Columns {
        id: find(ID),
        wbs: find(WBS),
        low: find(names(Col::Low)),
        likely: find(names(Col::Likely)),
        high: find(names(Col::High)),
        dist: find(names(Col::Dist)),
        confidence: find(names(Col::Confidence)),
        unit: find(UNIT),
    };
    if cols.id.is_none() && cols.wbs.is_none() {
        ok = false;
        push(ProblemKind::MissingColumn {
            column: "id".into(),
            aliases: format!(
                "{} for an activity; or wbs ({}) for a WBS prefix",
                ID.join(", "),
                WBS.join(", ")
            ),
        });
    }
    if cols.low.is_none() && cols.likely.is_none() && cols.high.is_none() {
        ok = false;
        push(ProblemKind::MissingColumn {
            column: "likely".into(),
            aliases:
                "low, likely, high (working days, or percent of the remaining duration with %)"
                    .into(),
        });
    }
    ok.then_some(cols)
}

/// The key of a row from its `id` and `wbs` cells: exactly one of them.
fn key(id: &str, wbs: &str, push: &mut impl FnMut(ProblemKind)) -> Option<RangeKey> {
    match (id.is_empty(), wbs.is_empty()) {
        (false, true) => Some(RangeKey::Id(id.into())),
        (true, false) => Some(RangeKey::Wbs(wbs.into())),
        (true, true) => {
            push(ProblemKind::RangeWithoutKey);
            None
        }
        (false, false) => {
            push(ProblemKind::RangeWithBothKeys {
                id: id.into(),
                wbs: wbs.into(),
            });
            None
        }
    }
}

/// Reads a row's range from its `[low, likely, high]` and `[dist,
/// confidence, unit]` cells; `None` when a cell is wrong (the problem is
/// pushed) or the row gives no numbers.
fn range(
    [low, likely, high]: [&str; 3],
    [dist, confidence, unit]: [&str; 3],
    push: &mut impl FnMut(ProblemKind),
) -> Option<Range> {
    let mut ok = true;
    let mut number = |column: &'static str, text: &str| -> Option<(f64, bool)> {
        if text.is_empty() {
            return None;
        }
        let (num, pct) = match text.strip_suffix('%') {
            Some(n) => (n.trim_end(), true),
            None => (text, false),
        };
        match num.parse::<f64>() {
            Ok(x) if x.is_finite() => Some((x, pct)),
            _ => {
                ok = false;
                push(ProblemKind::NotARangeNumber {
                    column,
                    value: text.into(),
                });
                None
            }
        }
    };
    let values = [
        ("low", number("low", low), low),
        ("likely", number("likely", likely), likely),
        ("high", number("high", high), high),
    ];
    let confidence = cells::confidence(confidence).unwrap_or_else(|p| {
        push(p);
        ok = false;
        None
    });
    let dist = cells::distribution(dist).unwrap_or_else(|p| {
        push(p);
        ok = false;
        None
    });
    let given: Vec<_> = values.iter().filter(|(_, v, _)| v.is_some()).collect();
    let percent = given
        .iter()
        .filter(|(_, v, _)| v.is_some_and(|v| v.1))
        .count();
    let unit = match unit.to_ascii_lowercase().as_str() {
        "" if percent > 0 && percent < given.len() => {
            let cells: Vec<&str> = given.iter().map(|(_, _, t)| *t).collect();
            push(ProblemKind::MixedUnits {
                cells: cells.join(", "),
            });
            return None;
        }
        "" if percent > 0 => RangeUnit::Percent,
        "" | "days" | "day" | "d" | "working_days" | "working days" => {
            if let Some((column, _, text)) = given.iter().find(|(_, v, _)| v.is_some_and(|v| v.1)) {
                push(ProblemKind::UnitConflict {
                    column,
                    value: text.to_string(),
                });
                return None;
            }
            RangeUnit::Days
        }
        "percent" | "%" | "pct" | "percentage" => RangeUnit::Percent,
        _ => {
            push(ProblemKind::BadUnit(unit.into()));
            return None;
        }
    };
    if !ok {
        return None;
    }
    if given.is_empty() {
        push(ProblemKind::NoEstimate);
        return None;
    }
    let numbers = ThreePoint {
        low: values[0].1.map(|v| v.0),
        likely: values[1].1.map(|v| v.0),
        high: values[2].1.map(|v| v.0),
        confidence,
    };
    let range = Range {
        numbers,
        unit,
        dist,
    };
    // Percentages are checked as the days of a 100-day activity, so that a
    // message shows the numbers as written.
    match range.estimate(100.0) {
        Ok(_) => Some(range),
        Err(e) => {
            push(ProblemKind::Estimate(e));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        let (_, p) = read_ranges("r.csv", text);
        p.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_good_file_reads_every_form() {
        let text = "\u{feff}# ranges for the weekly run\n\
                    ID,WBS,Min,Most Likely,Max,Distribution,Confidence,Unit,note\n\
                    A1,,3,4,8,,,,PERT by default\n\
                    A2,,,6,,,,,fixed\n\
                    ,4.HRN,90%,100%,130%,triangular,,,\n\
                    ,5,80,,150,uniform,80,percent,\n\
                    ,935.5.4,2,,9,normal,,days,\n\
                    '-A3,,1,2,3,,,,inert id\n";
        let r = parse_ranges("r.csv", text).unwrap();
        let got: Vec<(RangeKey, u64, RangeUnit, Option<DistKind>)> = (r.rows.iter())
            .map(|r| (r.key.clone(), r.line, r.range.unit, r.range.dist))
            .collect();
        let id = |s: &str| RangeKey::Id(s.into());
        let wbs = |s: &str| RangeKey::Wbs(s.into());
        use RangeUnit::{Days, Percent};
        assert_eq!(
            got,
            [
                (id("A1"), 3, Days, None),
                (id("A2"), 4, Days, None),
                (wbs("4.HRN"), 5, Percent, Some(DistKind::Triangular)),
                (wbs("5"), 6, Percent, Some(DistKind::Uniform)),
                (wbs("935.5.4"), 7, Days, Some(DistKind::Normal)),
                (id("-A3"), 8, Days, None),
            ]
        );
        assert_eq!(r.rows[3].range.numbers.confidence, Some(80.0));
        assert_eq!(
            r.rows[0].range.estimate(99.0),
            Ok(Estimate::Pert {
                low: 3.0,
                mode: 4.0,
                high: 8.0
            })
        );
        assert_eq!(
            r.rows[1].range.estimate(99.0),
            Ok(Estimate::Fixed { days: 6.0 })
        );
        // Percent of the remaining duration, as `--range` computes it.
        assert_eq!(
            r.rows[2].range.estimate(7.0),
            Ok(Estimate::Triangular {
                low: 7.0 * 90.0 / 100.0,
                mode: 7.0,
                high: 7.0 * 130.0 / 100.0
            })
        );
    }

    /// Table-driven: one row per problem kind, each with its message.
    #[test]
    fn each_problem_is_said_with_its_fix() {
        let head = "id,wbs,low,likely,high,dist,confidence,unit\n";
        let cases: &[(&str, &str)] = &[
            (",,1,2,3,,,", "r.csv:2: the row has no id and no wbs"),
            (
                "A1,4.HRN,1,2,3,,,",
                "r.csv:2: the row gives both id \"A1\" and wbs \"4.HRN\"",
            ),
            (
                "A1,,1,x,3,,,",
                "r.csv:2: id \"A1\": likely \"x\" is not a number; write working days such as 12 or 2.5, or percent",
            ),
            (
                ",4,90%,12,130%,,,",
                "r.csv:2: wbs \"4\": low, likely and high mix percentages and working days (90%, 12, 130%)",
            ),
            (
                "A1,,90%,100%,130%,,,days",
                "r.csv:2: id \"A1\": unit is days, but low \"90%\" is a percentage",
            ),
            (
                "A1,,1,2,3,,,weeks",
                "r.csv:2: id \"A1\": unit \"weeks\" is not days or percent",
            ),
            (
                "A1,,1,2,3,triangel,,",
                "r.csv:2: id \"A1\": unknown distribution \"triangel\" (did you mean \"triangular\"?)",
            ),
            (
                "A1,,1,2,3,,high,",
                "r.csv:2: id \"A1\": confidence \"high\" is not a number",
            ),
            (
                "A1,,5,2,3,,,",
                "r.csv:2: id \"A1\": low (5) > likely (2); expected low <= likely <= high",
            ),
            (
                "A1,,120%,100%,130%,,,",
                "r.csv:2: id \"A1\": low (120) > likely (100)",
            ),
            (
                "A1,,1,2,3,pert,80,",
                "r.csv:2: id \"A1\": confidence is supported for normal, lognormal and uniform",
            ),
            ("A1,,,,,,,", "r.csv:2: id \"A1\": has no estimate"),
            (
                "A1,,1,,3,triangular,,",
                "r.csv:2: id \"A1\": triangular needs low, likely and high; likely is blank",
            ),
        ];
        for (row, want) in cases {
            let got = problems(&format!("{head}{row}\n"));
            assert_eq!(got.len(), 1, "{row}: {got:?}");
            assert!(
                got[0].starts_with(want),
                "{row}:\n{}\nwanted\n{want}",
                got[0]
            );
        }
        let header = |text: &str| problems(text).join("\n");
        assert!(
            header("name,low,likely,high\nA1,1,2,3\n")
                .starts_with("r.csv:1: there is no \"id\" column (accepted names: id, activity_id"),
        );
        assert!(header("id,note\nA1,x\n").starts_with("r.csv:1: there is no \"likely\" column"),);
        assert!(
            header("id,min,low,likely,high\nA1,1,1,2,3\n")
                .starts_with("r.csv:1: columns \"min\" and \"low\" both mean \"low\""),
        );
        assert_eq!(
            header("id,low,likely,high\n# nothing yet\n"),
            "r.csv:1: the file has no rows below its header; add a row per activity (id) or WBS prefix (wbs), with its low, likely and high"
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let text = "id,wbs,low,likely,high,dist\n\
                    A1,,1,2,3,\n\
                    A1,,1,2,4,\n\
                    ,4.HRN,90%,100%,130%,\n\
                    ,4.HRN,1,2,x,\n\
                    A2,,3,2,1,\n\
                    \"A3,,1,2,3,\n";
        let got = problems(text);
        let lines: Vec<&str> = got.iter().map(|p| &p[..p.find(": ").unwrap()]).collect();
        assert_eq!(
            lines,
            ["r.csv:3", "r.csv:5", "r.csv:5", "r.csv:6", "r.csv:7"],
            "{got:#?}"
        );
        assert!(got[0].contains(
            "id \"A1\" is given again; it was first given on line 2. Keep one row per activity id"
        ));
        assert!(got[1].contains(
            "wbs \"4.HRN\" is given again; it was first given on line 4. Keep one row per WBS prefix"
        ));
        assert!(got[2].contains("wbs \"4.HRN\": high \"x\" is not a number"));
        assert!(got[4].contains("is never closed"));
        let e = parse_ranges("r.csv", text).unwrap_err();
        assert!(
            e.to_string().starts_with("the ranges file has 5 problems:"),
            "{e}"
        );
    }
}
