//! What a result was made from, and when: the header every result
//! ([`Forecast`](super::Forecast), [`Cutline`](super::Cutline),
//! [`Comparison`](super::Comparison)) carries, flattened into its JSON, so
//! that any output can be traced back to the run that made it.

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use serde::Serialize;

use crate::plan::{AxisStart, Calendar, Scenario};

/// What every run shares: the calendar, where its holidays came from, the
/// seed, and when the run was made.
#[derive(Debug, Clone)]
pub struct RunBasis<'a> {
    /// The calendar that turns working days into dates.
    pub calendar: &'a Calendar,
    /// The holidays file behind the calendar, for the record.
    pub holidays_file: Option<String>,
    /// Seed of the random draws: a task id draws the same durations in
    /// every run with the same seed.
    pub seed: u64,
    /// When the result is said to be generated (whole seconds, UTC).
    pub generated: DateTime<Utc>,
    /// The calendars of a plan whose tasks keep their own (empty: the
    /// calendar above is the plan's).
    pub task_calendars: Vec<String>,
    /// With task calendars: what the plan's day 0 is, in its source tool's
    /// words.
    pub axis_start: AxisStart,
}

impl<'a> RunBasis<'a> {
    /// `calendar` (no holidays file recorded) and `seed`, generated now.
    pub fn new(calendar: &'a Calendar, seed: u64) -> RunBasis<'a> {
        RunBasis {
            calendar,
            holidays_file: None,
            seed,
            generated: Utc::now().trunc_subsecs(0),
            task_calendars: Vec::new(),
            axis_start: AxisStart::default(),
        }
    }

    /// The basis of a run of `plan`: on `axis`, its own time axis, when its
    /// tasks keep their own calendars (a P6 or MS Project plan), else on
    /// the run's `calendar` with its `holidays_file` recorded.
    pub fn for_plan(
        plan: &crate::plan::Plan,
        axis: Option<&'a Calendar>,
        calendar: &'a Calendar,
        holidays_file: Option<String>,
        seed: u64,
        generated: DateTime<Utc>,
    ) -> RunBasis<'a> {
        let own = plan.calendars.as_ref();
        RunBasis {
            task_calendars: own
                .map(|c| c.calendars.iter().map(|w| w.name.clone()).collect())
                .unwrap_or_default(),
            axis_start: own.map(|c| c.axis_start).unwrap_or_default(),
            calendar: axis.unwrap_or(calendar),
            holidays_file: if axis.is_some() { None } else { holidays_file },
            seed,
            generated,
        }
    }

    /// The calendar as a result records it.
    pub fn calendar_info(&self) -> CalendarInfo {
        CalendarInfo {
            workdays: self.calendar.workdays_text(),
            holidays: self.calendar.holidays().iter().copied().collect(),
            holidays_file: self.holidays_file.clone(),
            task_calendars: self.task_calendars.clone(),
            axis_start: (!self.task_calendars.is_empty()).then(|| self.axis_start.as_str()),
        }
    }
}

/// The environment variable of the reproducible-builds convention: seconds
/// since 1970-01-01 UTC, used instead of the clock to date the outputs.
pub const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// When a result is said to be generated: now (whole seconds, UTC), or
/// `SOURCE_DATE_EPOCH` when it is set (for byte-reproducible outputs).
///
/// # Errors
///
/// A `SOURCE_DATE_EPOCH` that is not whole seconds, with the fix.
pub fn generated_at() -> Result<DateTime<Utc>, String> {
    match std::env::var(SOURCE_DATE_EPOCH) {
        Err(_) => Ok(Utc::now().trunc_subsecs(0)),
        Ok(text) => text
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .ok_or_else(|| {
                format!(
                    "{SOURCE_DATE_EPOCH}={text:?} is not a time: give whole seconds since \
                     1970-01-01 UTC (e.g. 1798761600), or unset it"
                )
            }),
    }
}

/// The calendar a result used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalendarInfo {
    /// Worked weekdays, e.g. `Mon-Fri`.
    pub workdays: String,
    /// The holidays skipped.
    pub holidays: Vec<NaiveDate>,
    /// The holidays file, if any.
    pub holidays_file: Option<String>,
    /// With task calendars, their names: each task runs on its own, and
    /// times count calendar days from the start (the calendar above is then
    /// every day).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub task_calendars: Vec<String>,
    /// With task calendars, what the start is in the plan's source tool's
    /// words: `data date` (P6, and a plan CSV with its calendars), `status
    /// date` or `project start` (MS Project).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub axis_start: Option<&'static str>,
}

/// The files a plan was read from, as given on the command line.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Inputs {
    /// The plan file.
    pub plan: String,
    /// The edges file merged into the plan, if any.
    pub edges: Option<String>,
    /// The risk register applied, if any.
    pub risks: Option<String>,
    /// The pairwise correlations file, if any.
    pub correlations: Option<String>,
    /// The ranges file of a P6 plan (left out of the JSON without one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ranges: Option<String>,
    /// The calendars file of a plan CSV on task calendars (left out of the
    /// JSON without one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendars: Option<String>,
    /// The teams file of its capacity (left out of the JSON without one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub teams: Option<String>,
}

impl Inputs {
    /// The files of a scenario.
    pub fn of(sc: &Scenario) -> Inputs {
        let shown = |p: &Option<std::path::PathBuf>| p.as_ref().map(|p| p.display().to_string());
        Inputs {
            plan: sc.plan.source.clone(),
            edges: shown(&sc.sources.edges),
            risks: shown(&sc.sources.risks),
            correlations: shown(&sc.sources.correlations),
            ranges: shown(&sc.sources.ranges),
            calendars: (sc.sources.calendars.as_ref()).map(|c| c.path.display().to_string()),
            teams: shown(&sc.sources.teams),
        }
    }

    /// A plan file alone.
    pub fn plan(name: impl Into<String>) -> Inputs {
        Inputs {
            plan: name.into(),
            ..Inputs::default()
        }
    }
}

/// The header of every result: version, inputs, iterations, seed, start,
/// calendar, milestone and when it was generated.
///
/// The same inputs, options and seed give the same result, byte for byte,
/// apart from `generated` (set `SOURCE_DATE_EPOCH` to fix it too).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    /// The slipcast version that made it.
    pub version: String,
    /// When it was made (RFC 3339, UTC).
    pub generated: DateTime<Utc>,
    /// The files read (a comparison lists them per scenario instead).
    #[serde(flatten)]
    pub inputs: Option<Inputs>,
    /// Iterations simulated (per position of a cut line, per scenario of a
    /// comparison).
    pub iterations: u64,
    /// Seed of the random draws: the same plan, options and seed give the
    /// same result.
    pub seed: u64,
    /// Working day 1 is the first working day on or after this date.
    pub start: NaiveDate,
    /// The calendar used.
    pub calendar: CalendarInfo,
    /// The task whose finish is forecast (`null`: the whole plan).
    pub milestone: Option<String>,
}

impl Provenance {
    /// The header of a run on `basis` that read `inputs` and simulated
    /// `iterations`.
    pub fn new(
        basis: &RunBasis,
        inputs: Option<Inputs>,
        iterations: u64,
        milestone: Option<String>,
    ) -> Provenance {
        Provenance {
            version: env!("CARGO_PKG_VERSION").to_string(),
            generated: basis.generated,
            inputs,
            iterations,
            seed: basis.seed,
            start: basis.calendar.start(),
            calendar: basis.calendar_info(),
            milestone,
        }
    }

    /// The plan file, or `""` for a comparison.
    pub fn plan(&self) -> &str {
        self.inputs.as_ref().map_or("", |i| i.plan.as_str())
    }
}

/// A result that records how it was made.
pub trait Made {
    /// Its header.
    fn provenance(&self) -> &Provenance;
}

impl Made for super::Forecast {
    fn provenance(&self) -> &Provenance {
        &self.run
    }
}

impl Made for super::History {
    fn provenance(&self) -> &Provenance {
        &self.run
    }
}

impl Made for super::Cutline {
    fn provenance(&self) -> &Provenance {
        &self.run
    }
}

impl Made for super::Comparison {
    fn provenance(&self) -> &Provenance {
        &self.run
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_flattens_into_one_json_object() {
        let start = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
        let cal = Calendar::weekdays(start);
        let basis = RunBasis {
            generated: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
            ..RunBasis::new(&cal, 7)
        };
        let p = Provenance::new(&basis, Some(Inputs::plan("p.csv")), 1000, None);
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["generated"], "2027-01-15T08:00:00Z");
        assert_eq!(v["plan"], "p.csv");
        assert!(v["edges"].is_null());
        assert_eq!(v["seed"], 7);
        assert_eq!(v["start"], "2027-01-04");
        let bare = Provenance::new(&basis, None, 1000, None);
        let v = serde_json::to_value(&bare).unwrap();
        assert!(v.get("plan").is_none());
        assert_eq!(bare.plan(), "");
    }
}
