//! Turns the raw flags into a validated configuration, once.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, NaiveDate, Utc};

use slipcast::analysis::Questions;
use slipcast::plan::xer::{ImportOptions, RangeTemplate};
use slipcast::plan::{
    Calendar, CalendarsFile, ColumnMapping, ExportOptions, Headcount, Sources, TeamRule,
    TextEncoding, load_holidays_with, parse_correlate, parse_workdays,
};

use crate::cli::{
    ColumnArgs, ForecastArgs, InputArgs, OutputArgs, PlanArgs, QuestionArgs, ReadArgs, SimArgs,
};

mod explain;
mod history;
mod import;
mod scenarios;

pub use explain::ExplainConfig;
pub use history::HistoryConfig;
pub use import::ImportConfig;
pub use scenarios::{CompareConfig, CutlineConfig};

pub mod limits;
mod report;
mod shard;

pub use limits::check_memory;
pub use report::ReportConfig;
pub use shard::{MergeConfig, ShardConfig};

/// The calendar and how the input files are read (`--start`, `--workdays`,
/// `--holidays`, `--encoding`), parsed once.
#[derive(Debug, Clone)]
pub struct InputConfig {
    pub calendar: Calendar,
    pub holidays: Option<PathBuf>,
    /// The task calendars of a plan CSV (`--calendars`), from `--start`.
    pub calendars: Option<CalendarsFile>,
    /// How every input CSV is decoded (`--encoding`).
    pub encoding: TextEncoding,
    /// How a P6 XER plan is imported (`--project`, `--range`).
    pub import: ImportOptions,
    /// Whether `--start` was given (else the start is today).
    pub start_given: bool,
    /// `--workdays`, as given (else Mon-Fri).
    pub workdays: Option<String>,
    /// How an exported plan's columns are read (`--map`,
    /// `--points-per-day`, and this calendar for its dates).
    pub exports: ExportOptions,
}

/// `--map` and `--points-per-day`, with the calendar on which an export's
/// dates are counted.
fn export_options(a: &ColumnArgs, calendar: &Calendar) -> Result<ExportOptions> {
    let map = a
        .map
        .iter()
        .map(|m| {
            m.parse::<ColumnMapping>()
                .map_err(|e| anyhow::anyhow!("--map: {e}"))
        })
        .collect::<Result<Vec<_>>>()?;
    if let Some(p) = a.points_per_day
        && !(p > 0.0 && p.is_finite())
    {
        bail!(
            "--points-per-day {p}: give the story points the team finishes per working day, a \
             number above 0, e.g. --points-per-day 2 (or 0.5: a point takes 2 days)"
        );
    }
    Ok(ExportOptions {
        map,
        points_per_day: a.points_per_day,
        calendar: Some(calendar.clone()),
    })
}

/// How input files are read and a P6 file imported (`--encoding`,
/// `--project`, `--range`, `--range-dist`), parsed once.
#[derive(Debug, Clone)]
pub struct ReadConfig {
    pub encoding: TextEncoding,
    pub import: ImportOptions,
}

impl ReadConfig {
    pub fn from_args(a: &ReadArgs) -> Result<ReadConfig> {
        let encoding = match &a.encoding {
            Some(label) => {
                TextEncoding::for_label(label).map_err(|e| anyhow::anyhow!("--encoding: {e}"))?
            }
            None => TextEncoding::default(),
        };
        let import = ImportOptions {
            project: a.project.clone(),
            range: range_template(a.range.as_deref(), &a.range_dist)?,
            ranges: None,
            estimate_fields: match &a.fields {
                None => None,
                Some(text) => {
                    let names: Vec<String> = text
                        .split(',')
                        .map(|n| n.trim().to_string())
                        .filter(|n| !n.is_empty())
                        .collect();
                    anyhow::ensure!(
                        names.len() == 3,
                        "--fields {text}: give three custom duration fields, optimistic, expected and pessimistic, e.g. --fields Duration1,Duration2,Duration3"
                    );
                    Some(names)
                }
            },
        };
        Ok(ReadConfig { encoding, import })
    }
}

/// `--range L,M,H` and `--range-dist`.
fn range_template(range: Option<&str>, dist: &str) -> Result<Option<RangeTemplate>> {
    range
        .map(|text| RangeTemplate::parse(text, dist, ("--range", "--range-dist")))
        .transpose()
        .map_err(anyhow::Error::msg)
}

impl InputConfig {
    pub fn from_args(a: &InputArgs) -> Result<InputConfig> {
        let ReadConfig { encoding, import } = ReadConfig::from_args(&a.read)?;
        if let (Some(_), Some(h)) = (&a.calendars, &a.holidays) {
            bail!(
                "--holidays {} applies to a plan on the run's calendar; with --calendars, give \
                 the holidays as exception rows of the calendars file (calendar,date,working \
                 with working no), and leave --holidays out",
                h.display()
            );
        }
        let start = match &a.start {
            Some(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").with_context(|| {
                format!(
                    "--start \"{s}\" is not a date; write it as YYYY-MM-DD, e.g. --start 2027-01-04"
                )
            })?,
            None => chrono::Local::now().date_naive(),
        };
        if let (Some(_), Some(w)) = (&a.calendars, &a.workdays) {
            bail!(
                "--workdays {w} applies to a plan on the run's calendar; with --calendars, \
                 each task works on its calendar's days: change them in the calendars file, \
                 and leave --workdays out"
            );
        }
        let workdays = parse_workdays(a.workdays.as_deref().unwrap_or("Mon-Fri"))
            .map_err(|e| anyhow::anyhow!("--workdays: {e}"))?;
        let holidays = match &a.holidays {
            Some(p) => load_holidays_with(p, encoding)?,
            None => Default::default(),
        };
        let calendar = Calendar::new(start, workdays, holidays).map_err(anyhow::Error::msg)?;
        Ok(InputConfig {
            exports: export_options(&a.columns, &calendar)?,
            calendar,
            import,
            start_given: a.start.is_some(),
            workdays: a.workdays.clone(),
            holidays: a.holidays.clone(),
            calendars: a
                .calendars
                .clone()
                .map(|path| CalendarsFile { path, start }),
            encoding,
        })
    }

    /// What `--start` on a day off means, when it is one: work starts on
    /// the next working day, and the note names both dates.
    pub fn start_note(&self) -> Option<String> {
        let (cal, start) = (&self.calendar, self.calendar.start());
        if !self.start_given || self.calendars.is_some() || cal.is_working(start) {
            return None;
        }
        let why = match self.holidays_file() {
            Some(f) if cal.holidays().contains(&start) => format!("a holiday in {f}"),
            _ => format!(
                "a {}, not a working day (--workdays {})",
                start.format("%A"),
                cal.workdays_text()
            ),
        };
        let first = cal.workday(1);
        Some(format!(
            "--start {start} is {why}; the plan starts on the next working day, {} {first} (working day 1). Give --start {first} to say so",
            first.format("%A")
        ))
    }

    /// The holidays file, as shown in results.
    pub fn holidays_file(&self) -> Option<String> {
        self.holidays.as_ref().map(|p| p.display().to_string())
    }
}

/// Reads `--correlate` rules.
pub fn parse_rules(rules: &[String]) -> Result<Vec<TeamRule>> {
    rules
        .iter()
        .map(|r| parse_correlate(r).map_err(|e| anyhow::anyhow!("--correlate: {e}")))
        .collect()
}

/// Where the plan comes from, and its calendar.
#[derive(Debug, Clone)]
pub struct PlanConfig {
    /// The scenario's files, as the library reads them.
    pub sources: Sources,
    pub input: InputConfig,
}

/// Iterations, seed, milestone, threads and quiet, validated.
#[derive(Debug)]
pub struct SimConfig {
    pub iterations: u64,
    pub seed: u64,
    pub milestone: Option<String>,
    pub threads: Option<usize>,
    pub quiet: bool,
    /// When the results are said to be generated: now, or
    /// `SOURCE_DATE_EPOCH` when set (for byte-reproducible outputs).
    pub generated: DateTime<Utc>,
}

/// Now, or `SOURCE_DATE_EPOCH` when it is set.
fn generated_at() -> Result<DateTime<Utc>> {
    slipcast::analysis::generated_at().map_err(anyhow::Error::msg)
}

impl SimConfig {
    /// `bytes_per_iteration`: what the command keeps of each iteration
    /// (`None`: the iterations are settled later, by a precision).
    pub fn from_args(a: &SimArgs, bytes_per_iteration: Option<u64>) -> Result<SimConfig> {
        let iterations = checked_iterations(&a.iterations)?;
        check_threads(a.threads)?;
        if let Some(bytes) = bytes_per_iteration {
            check_memory(iterations, bytes)?;
        }
        Ok(SimConfig {
            iterations,
            seed: a.seed,
            milestone: a.milestone.clone(),
            threads: a.threads,
            quiet: a.quiet.quiet,
            generated: generated_at()?,
        })
    }
}

/// `--json`, `--out` and `--force`.
#[derive(Debug)]
pub struct OutputConfig {
    pub json: bool,
    pub out: Option<PathBuf>,
    pub force: bool,
}

impl OutputConfig {
    pub fn from_args(a: &OutputArgs) -> OutputConfig {
        OutputConfig {
            json: a.json,
            out: a.folder.out.clone(),
            force: a.folder.force,
        }
    }
}

/// Reads `--target` and `--confidence`.
pub fn questions(a: &QuestionArgs) -> Result<Questions> {
    Ok(Questions {
        target: (a.target.as_deref())
            .map(scenarios::parse_target)
            .transpose()?,
        confidence: a.confidence.map(scenarios::parse_confidence).transpose()?,
    })
}

/// A validated `forecast` run.
#[derive(Debug)]
pub struct RunConfig {
    pub plan: PlanConfig,
    pub sim: SimConfig,
    pub output: OutputConfig,
    pub questions: Questions,
    pub top: usize,
    pub drivers: usize,
    pub precision: Option<f64>,
    pub timings: bool,
    pub basic: bool,
    pub rank_iterations: Option<u64>,
    /// Headcount what-ifs (`--add`), each a set of changes.
    pub headcount: Vec<Vec<Headcount>>,
    /// The shard to compute (`--shard`), if the run is split.
    pub shard: Option<ShardConfig>,
}

/// An environment variable, if set (and Unicode).
pub fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Most iterations a run may ask for.
pub const MAX_ITERATIONS: u64 = 1 << 31;

impl PlanConfig {
    /// Every file this plan reads: its sources and the holidays.
    pub fn inputs(&self) -> impl Iterator<Item = &std::path::Path> {
        self.sources.inputs().chain(self.input.holidays.as_deref())
    }

    pub fn from_args(a: &PlanArgs) -> Result<PlanConfig> {
        let input = InputConfig::from_args(&a.input)?;
        Ok(PlanConfig {
            sources: Sources {
                plan: a.plan.clone(),
                edges: a.edges.clone(),
                risks: a.risks.clone(),
                ranges: a.ranges.clone(),
                correlations: a.correlations.clone(),
                correlate: parse_rules(&a.correlate)?,
                teams: a.teams.clone(),
                calendars: input.calendars.clone(),
                encoding: input.encoding,
                import: input.import.clone(),
                exports: input.exports.clone(),
            },
            input,
        })
    }
}

impl RunConfig {
    pub fn from_args(a: &ForecastArgs) -> Result<RunConfig> {
        if let Some(p) = a.precision
            && !(p > 0.0 && p.is_finite())
        {
            bail!("--precision {p}: give a positive number of working days, e.g. --precision 0.5");
        }
        let bytes = a.precision.is_none().then_some(limits::FORECAST_BYTES);
        let sim = SimConfig::from_args(&a.sim, bytes)?;
        let plan = PlanConfig::from_args(&a.plan)?;
        let questions = questions(&a.questions)?;
        let shard = ShardConfig::from_args(&a.shard, env_var, std::env::args())?;
        if shard.is_some() {
            if a.output.json || a.output.folder.out.is_some() {
                bail!(
                    "--shard writes only the shard's partial file; give --json or --out to \
                     `slipcast merge`, which finishes the run"
                );
            }
            if a.precision.is_some() {
                bail!(
                    "--precision settles the iterations as the run goes, so it cannot be split \
                     into shards; give --iterations"
                );
            }
        }
        Ok(RunConfig {
            shard,
            questions,
            output: OutputConfig::from_args(&a.output),
            top: a.top,
            drivers: a.drivers,
            precision: a.precision,
            timings: a.timings,
            basic: a.basic,
            headcount: parse_what_ifs(&a.add)?,
            rank_iterations: match a.rank_iterations.as_deref() {
                None => None,
                Some("all") => Some(sim.iterations),
                Some(s) => {
                    let n = parse_count(s)
                        .with_context(|| format!("--rank-iterations \"{s}\" (or all)"))?;
                    if n < MIN_RANK_ITERATIONS {
                        bail!(
                            "--rank-iterations {n} is too few to rank anything: a rank \
                             correlation from n iterations is uncertain by about 1/sqrt(n), \
                             so use at least {MIN_RANK_ITERATIONS} (the default ranks 100k), or all"
                        );
                    }
                    Some(n)
                }
            },
            sim,
            plan,
        })
    }
}

/// Reads `--add` what-ifs.
pub fn parse_what_ifs(values: &[String]) -> Result<Vec<Vec<Headcount>>> {
    values
        .iter()
        .map(|v| Headcount::parse_what_if(v).map_err(|e| anyhow::anyhow!("--add {v}: {e}")))
        .collect()
}

/// Reads and range-checks `--iterations`.
pub fn checked_iterations(text: &str) -> Result<u64> {
    let iterations = parse_count(text).with_context(|| format!("--iterations \"{text}\""))?;
    if iterations == 0 || iterations > MAX_ITERATIONS {
        bail!("--iterations {iterations} is out of range; use 1 to {MAX_ITERATIONS} (e.g. 1M)");
    }
    Ok(iterations)
}

/// Fewest iterations `--rank-iterations` may rank: a Spearman coefficient
/// from n pairs has a standard error of about `1 / sqrt(n - 1)`, 0.1 at 100.
pub const MIN_RANK_ITERATIONS: u64 = 100;

/// Most worker threads per core `--threads` may ask for (and never fewer
/// than [`MIN_THREAD_CAP`]): results do not depend on the thread count, and
/// thousands of threads only exhaust the system's limits.
const THREADS_PER_CORE: usize = 8;
const MIN_THREAD_CAP: usize = 64;

/// Checks `--threads`.
pub fn check_threads(threads: Option<usize>) -> Result<()> {
    if threads == Some(0) {
        bail!("--threads 0: use at least 1, or leave it out to use every core");
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cap = (cores * THREADS_PER_CORE).max(MIN_THREAD_CAP);
    if let Some(t) = threads
        && t > cap
    {
        bail!(
            "--threads {t} is more than {cap} ({THREADS_PER_CORE} per core, at least \
             {MIN_THREAD_CAP}; this machine has {cores}). Results do not depend on the thread \
             count: leave --threads out to use every core"
        );
    }
    Ok(())
}

/// Reads `1000000`, `1_000_000`, `1e6`, `1M`, `200k` or `2.5M`.
pub fn parse_count(s: &str) -> Result<u64> {
    let t = s.trim().replace(['_', ','], "");
    let (num, mult) = match t.chars().last() {
        Some('k' | 'K') => (&t[..t.len() - 1], 1e3),
        Some('m' | 'M') => (&t[..t.len() - 1], 1e6),
        Some('g' | 'G' | 'b' | 'B') => (&t[..t.len() - 1], 1e9),
        _ => (t.as_str(), 1.0),
    };
    match num.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 && (x * mult).fract() == 0.0 => Ok((x * mult) as u64),
        _ => bail!("is not a whole number of iterations; write e.g. 1000000, 1e6 or 1M"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        for (s, n) in [
            ("1000000", 1_000_000),
            ("1_000_000", 1_000_000),
            ("1e6", 1_000_000),
            ("1M", 1_000_000),
            ("200k", 200_000),
            ("2.5M", 2_500_000),
        ] {
            assert_eq!(parse_count(s).unwrap(), n, "{s}");
        }
        for s in ["", "x", "1.5", "-3", "1e400"] {
            assert!(parse_count(s).is_err(), "{s}");
        }
    }
}
