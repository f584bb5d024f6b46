//! The native module of the slipcast Python package: the library's
//! forecast, cut line, comparison and validation, called with the settings
//! the Python layer (`slipcast/`) passes on, and their results rendered by
//! the same views as the command line, so the JSON is the CLI's to the bit.
//!
//! Every run releases the GIL, runs on rayon (every core, or `threads`),
//! and stops within a chunk when Ctrl-C arrives.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;

use slipcast::analysis::{
    CompareOptions, Confidence, CutlineOptions, ExplainOptions, Explanation, Forecast,
    ForecastError, ForecastOptions, ForecastRun, HistoryError, HistoryOptions, Made, Partial,
    Progress, Questions, RunBasis, Shard, Slice, Snapshot, WATERMELON_DAYS, assemble,
    compare_scenarios, cutline, data_date_of, explain_from, forecast_merged, forecast_part,
    forecast_with_finishes, generated_at,
};
use slipcast::engine::Tallies;
use slipcast::plan::xer::{ImportOptions, RangeTemplate};
use slipcast::plan::{
    Calendar, ExportOptions, Scenario, Sources, Texts, load_holidays_with, parse_correlate,
    parse_workdays,
};
use slipcast::report::chart::{
    Chart, ChartError, ChartKind, CompareView, CutlineView, GanttView, TrendView,
};
use slipcast::report::partials::{check_inputs, read_partials, shard_partial, write_partial_file};
use slipcast::report::{
    Destination, Exporter, ReportOptions, Validation, Views, commitment, compare_views,
    cutline_views, explain_views, forecast_views, history_views, report_set_with,
};

create_exception!(
    slipcast._slipcast,
    InputProblems,
    PyValueError,
    "Inputs that do not load: args are (message, problems as JSON)."
);

/// Rows of the terminal text's task table (as the CLI's default `--top`).
const TOP: usize = 10;

/// How often a waiting run looks for Ctrl-C.
const SIGNAL_POLL: Duration = Duration::from_millis(50);

/// An input: a file, or `(name, text)` of a table held in memory.
#[derive(FromPyObject)]
enum Source {
    Text(String, String),
    Path(PathBuf),
}

/// Holidays: a file, or the dates themselves (`YYYY-MM-DD`).
#[derive(FromPyObject)]
enum Holidays {
    Path(PathBuf),
    Dates(Vec<String>),
}

/// The calendar of a run, as the Python layer passes it (a dict with every
/// key): `start` and `holidays` as `YYYY-MM-DD` text.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct CalendarArgs {
    start: Option<String>,
    workdays: Option<String>,
    holidays: Option<Holidays>,
}

/// The calendar and reading settings shared by every call.
struct Run {
    calendar: Calendar,
    holidays_file: Option<String>,
    workdays_given: bool,
    holidays_given: bool,
    seed: u64,
    generated: DateTime<Utc>,
}

fn value_error(message: impl Into<String>) -> PyErr {
    PyValueError::new_err(message.into())
}

fn parse_date(what: &str, text: &str) -> PyResult<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        value_error(format!(
            "{what}={text:?} is not a date; give a datetime.date or YYYY-MM-DD, e.g. {what}=\"2027-01-04\""
        ))
    })
}

impl Run {
    fn new(calendar: CalendarArgs, seed: u64) -> PyResult<Run> {
        let CalendarArgs {
            start,
            workdays,
            holidays,
        } = calendar;
        let start = match start.as_deref() {
            Some(s) => parse_date("start", s)?,
            None => chrono::Local::now().date_naive(),
        };
        let days = parse_workdays(workdays.as_deref().unwrap_or("Mon-Fri"))
            .map_err(|e| value_error(format!("workdays: {e}")))?;
        let holidays_given = holidays.is_some();
        let (set, holidays_file) = match holidays {
            None => (BTreeSet::new(), None),
            Some(Holidays::Path(p)) => {
                let set = load_holidays_with(&p, Default::default())
                    .map_err(|e| plan_error(p.display().to_string(), e.into()))?;
                (set, Some(p.display().to_string()))
            }
            Some(Holidays::Dates(d)) => (
                d.iter()
                    .map(|t| parse_date("holidays", t))
                    .collect::<PyResult<_>>()?,
                None,
            ),
        };
        Ok(Run {
            calendar: Calendar::new(start, days, set).map_err(|e| value_error(e.to_string()))?,
            holidays_file,
            workdays_given: workdays.is_some(),
            holidays_given,
            seed,
            generated: generated_at().map_err(value_error)?,
        })
    }

    /// The basis of a run of `sc` (on its own time axis when its tasks keep
    /// their own calendars).
    fn basis<'a>(&'a self, sc: &Scenario, axis: Option<&'a Calendar>) -> RunBasis<'a> {
        RunBasis::for_plan(
            &sc.plan,
            axis,
            &self.calendar,
            self.holidays_file.clone(),
            self.seed,
            self.generated,
        )
    }

    /// Refuses workdays and holidays for a plan on its own calendars (they
    /// would be ignored), and a target before the plan's start.
    fn check(&self, sc: &Scenario, target: Option<NaiveDate>) -> PyResult<()> {
        let plan = &sc.plan.source;
        if let Some(c) = &sc.plan.calendars {
            for (given, what) in [
                (self.workdays_given, "workdays"),
                (self.holidays_given, "holidays"),
            ] {
                if given {
                    return Err(value_error(format!(
                        "{what}= applies to a plan on the run's calendar; the tasks of {plan} \
                         work on their own calendars (from the file), so leave {what} out"
                    )));
                }
            }
            if let Some(d) = target
                && d < c.start
            {
                return Err(value_error(format!(
                    "target {d} is before the {} of {plan}, {}; give a target on or after it",
                    c.axis_start.as_str(),
                    c.start
                )));
            }
        } else if let Some(d) = target
            && d < self.calendar.start()
        {
            return Err(value_error(format!(
                "target {d} is before the start date {}; give a later target, or an earlier start",
                self.calendar.start()
            )));
        }
        Ok(())
    }
}

/// The files and texts of one scenario, as the Python layer passes them
/// (a dict with every key).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct Inputs {
    plan: Source,
    edges: Option<PathBuf>,
    risks: Option<Source>,
    correlations: Option<Source>,
    correlate: Vec<String>,
    teams: Option<PathBuf>,
    /// A P6 or MS Project plan's range for every remaining duration
    /// (`LOW,LIKELY,HIGH` percentages), its distribution, and its ranges
    /// file (per activity id or WBS prefix).
    range: Option<String>,
    range_dist: String,
    ranges: Option<PathBuf>,
}

impl Inputs {
    /// Loads and validates the scenario, as `slipcast validate` does.
    fn load(self, run: &Run, milestone: Option<&str>) -> Result<Scenario, (String, anyhow::Error)> {
        let mut texts = Texts::default();
        let place = |s: Source, text: &mut Option<String>| match s {
            Source::Path(p) => p,
            Source::Text(name, t) => {
                *text = Some(t);
                PathBuf::from(name)
            }
        };
        let plan = place(self.plan, &mut texts.plan);
        let risks = self.risks.map(|s| place(s, &mut texts.risks));
        let correlations = self.correlations.map(|s| place(s, &mut texts.correlations));
        let name = plan.display().to_string();
        let correlate = self
            .correlate
            .iter()
            .map(|r| parse_correlate(r).map_err(|e| anyhow::anyhow!("correlate: {e}")))
            .collect::<anyhow::Result<Vec<_>>>()
            .map_err(|e| (name.clone(), e))?;
        let range = (self.range.as_deref())
            .map(|r| RangeTemplate::parse(r, &self.range_dist, ("range", "range_dist")))
            .transpose()
            .map_err(|e| (name.clone(), anyhow::Error::msg(e)))?;
        let sources = Sources {
            plan,
            ranges: self.ranges,
            import: ImportOptions {
                range,
                ..ImportOptions::default()
            },
            edges: self.edges,
            risks,
            correlations,
            correlate,
            teams: self.teams,
            exports: ExportOptions {
                calendar: Some(run.calendar.clone()),
                ..ExportOptions::default()
            },
            ..Sources::default()
        };
        Scenario::load_with(sources, &texts, milestone).map_err(|e| (name, e.into()))
    }
}

/// The `InputProblems` of a load that failed: the message as the CLI
/// prints it, and every problem as `validate --json` lists them.
fn plan_error(plan: String, e: anyhow::Error) -> PyErr {
    let listed = Validation::failed(plan, &e);
    let problems = serde_json::to_string(&listed.problems).unwrap_or_else(|_| "[]".into());
    InputProblems::new_err((format!("{e:#}"), problems))
}

fn forecast_error(e: ForecastError) -> PyErr {
    match e {
        ForecastError::Cancelled => PyRuntimeError::new_err(e.to_string()),
        e => value_error(e.to_string()),
    }
}

fn export_error(e: impl std::fmt::Display) -> PyErr {
    PyRuntimeError::new_err(e.to_string())
}

/// Runs `work` on its own thread with the GIL released (on a pool of
/// `threads`, else every core), looking for Ctrl-C as it waits: an
/// interrupt cancels `progress`, waits for the run to stop (within a chunk)
/// and raises `KeyboardInterrupt`.
fn interruptible<T: Send>(
    py: Python<'_>,
    progress: &Progress,
    threads: Option<usize>,
    work: impl FnOnce() -> T + Send,
) -> PyResult<T> {
    let pool = match threads {
        None => None,
        Some(0) => {
            return Err(value_error(
                "threads=0: give at least 1, or None for every core",
            ));
        }
        Some(n) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| {
                    PyRuntimeError::new_err(format!("could not start the worker threads: {e}"))
                })?,
        ),
    };
    std::thread::scope(|s| {
        let (done, finished) = mpsc::channel::<()>();
        let finished = std::sync::Mutex::new(finished);
        let handle = s.spawn(move || {
            let out = match &pool {
                Some(p) => p.install(work),
                None => work(),
            };
            let _ = done.send(());
            out
        });
        loop {
            let over = py.detach(|| {
                let finished = finished.lock().unwrap_or_else(|e| e.into_inner());
                !matches!(
                    finished.recv_timeout(SIGNAL_POLL),
                    Err(mpsc::RecvTimeoutError::Timeout)
                )
            });
            if over {
                break;
            }
            if let Err(interrupt) = py.check_signals() {
                progress.cancel();
                let _ = py.detach(|| handle.join());
                return Err(interrupt);
            }
        }
        handle
            .join()
            .map_err(|_| PyRuntimeError::new_err("slipcast stopped on an internal error"))
    })
}

/// Loads a scenario with the GIL released.
fn load(py: Python<'_>, inputs: Inputs, run: &Run, milestone: Option<&str>) -> PyResult<Scenario> {
    py.detach(|| inputs.load(run, milestone))
        .map_err(|(plan, e)| plan_error(plan, e))
}

/// A forecast, as the Python `Forecast` wraps it.
#[pyclass(module = "slipcast._slipcast", frozen)]
struct NativeForecast {
    forecast: Forecast,
    scenario: Scenario,
    run: Run,
    iterations: u64,
    warnings: Vec<String>,
}

#[pymethods]
impl NativeForecast {
    /// The forecast's JSON, as `slipcast forecast --json` prints it.
    fn json(&self) -> PyResult<String> {
        utf8(forecast_views(TOP).json.render(&self.forecast))
    }

    /// The terminal text, as `slipcast forecast` prints it.
    fn text(&self) -> PyResult<String> {
        utf8(forecast_views(TOP).terminal.render(&self.forecast))
    }

    /// The commitment sentence.
    fn commitment(&self) -> String {
        commitment(&self.forecast)
    }

    /// The finish-date chart (histogram and S-curve) as SVG.
    fn finish_svg(&self) -> PyResult<String> {
        Chart::new(ChartKind::Finish, &self.forecast)
            .svg()
            .map_err(export_error)
    }

    /// What reads but should be looked at, from every input.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// The world of this run's iteration at percentile `at` (as `slipcast
    /// explain --at`), replayed from `finishes` (this run's) without
    /// simulating again.
    fn explain(
        &self,
        py: Python<'_>,
        finishes: PyReadonlyArray1<'_, f32>,
        at: f64,
    ) -> PyResult<NativeResult> {
        let finishes = finishes.as_slice().map_err(export_error)?;
        let axis = self.scenario.plan.axis_calendar();
        let opts = ExplainOptions {
            basis: self.run.basis(&self.scenario, axis.as_ref()),
            iterations: self.iterations,
            at: percentile(at)?,
        };
        let sc = &self.scenario;
        let world = py
            .detach(|| explain_from(sc, &opts, finishes))
            .map_err(forecast_error)?;
        explained(&world, self.warnings.clone())
    }

    /// Writes the report folder of `slipcast report` to `dir`, with the
    /// P80's world replayed from `finishes` (this run's), as one set: never
    /// over a folder slipcast did not write, or over an input. Returns the
    /// files written.
    #[pyo3(signature = (dir, finishes, *, force=false, title=None))]
    fn report(
        &self,
        py: Python<'_>,
        dir: PathBuf,
        finishes: PyReadonlyArray1<'_, f32>,
        force: bool,
        title: Option<String>,
    ) -> PyResult<Vec<String>> {
        let finishes = finishes.as_slice().map_err(export_error)?;
        let inputs: Vec<&Path> = self
            .scenario
            .sources
            .inputs()
            .filter(|p| p.exists())
            .collect();
        let dest = Destination::check(&dir, "report", force, &inputs).map_err(export_error)?;
        let axis = self.scenario.plan.axis_calendar();
        let basis = self.run.basis(&self.scenario, axis.as_ref());
        let world_opts = ExplainOptions {
            basis,
            iterations: self.iterations,
            at: Confidence::new(80.0).expect("80 is a percentile"),
        };
        let (sc, forecast) = (&self.scenario, &self.forecast);
        let set = py.detach(|| {
            let world = explain_from(sc, &world_opts, finishes).map_err(|e| e.to_string())?;
            let options = ReportOptions {
                title: title.as_deref(),
                world: Some(&world),
                history: None,
            };
            report_set_with(forecast, &options).map_err(|e| e.to_string())
        });
        let set = set.map_err(PyRuntimeError::new_err)?;
        py.detach(|| dest.publish(&set)).map_err(export_error)?;
        Ok(set.names().map(String::from).collect())
    }
}

/// A cut line or a comparison: its JSON, terminal text and chart.
#[pyclass(module = "slipcast._slipcast", frozen, get_all)]
struct NativeResult {
    json: String,
    text: String,
    svg: String,
    warnings: Vec<String>,
}

fn warnings_of(sc: &Scenario) -> Vec<String> {
    sc.warnings.iter().map(ToString::to_string).collect()
}

/// What a forecast asks, as the Python layer passes it (a dict with every
/// key).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct Asked {
    milestone: Option<String>,
    iterations: u64,
    seed: u64,
    target: Option<String>,
    confidence: Option<f64>,
    drivers: usize,
    basic: bool,
}

/// A run's calendar and scenario, loaded and checked (the iterations,
/// the milestone, the workdays and holidays against a plan on its own
/// calendars, a target against the start).
struct Prepared {
    run: Run,
    sc: Scenario,
    axis: Option<Calendar>,
}

impl Prepared {
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        inputs: Inputs,
        calendar: CalendarArgs,
        milestone: Option<&str>,
        iterations: u64,
        seed: u64,
        target: Option<NaiveDate>,
    ) -> PyResult<Prepared> {
        check_iterations(iterations)?;
        let run = Run::new(calendar, seed)?;
        let sc = load(py, inputs, &run, milestone)?;
        run.check(&sc, target)?;
        let axis = sc.plan.axis_calendar();
        Ok(Prepared { run, sc, axis })
    }

    /// A forecast's: with the questions it asks.
    fn forecast(
        py: Python<'_>,
        inputs: Inputs,
        calendar: CalendarArgs,
        a: &Asked,
    ) -> PyResult<(Prepared, Questions)> {
        let questions = questions(a.target.as_deref(), a.confidence)?;
        let p = Prepared::new(
            py,
            inputs,
            calendar,
            a.milestone.as_deref(),
            a.iterations,
            a.seed,
            questions.target,
        )?;
        Ok((p, questions))
    }

    fn basis(&self) -> RunBasis<'_> {
        self.run.basis(&self.sc, self.axis.as_ref())
    }

    /// The options of `slipcast forecast` with these flags.
    fn options(&self, a: &Asked, questions: Questions) -> ForecastOptions<'_> {
        ForecastOptions {
            questions,
            driver_tasks: a.drivers,
            basic: a.basic,
            ..ForecastOptions::new(&self.run.calendar, a.iterations, a.seed)
        }
        .with_basis(self.basis())
    }
}

/// `slipcast forecast`; with `partials` (the shards' files of this run),
/// `slipcast merge` of them: the run's result without simulating again.
#[pyfunction]
#[pyo3(signature = (inputs, calendar, asked, *, threads=None, partials=None))]
fn forecast<'py>(
    py: Python<'py>,
    inputs: Inputs,
    calendar: CalendarArgs,
    asked: Asked,
    threads: Option<usize>,
    partials: Option<Vec<PathBuf>>,
) -> PyResult<(NativeForecast, Bound<'py, PyArray1<f32>>)> {
    let (p, questions) = Prepared::forecast(py, inputs, calendar, &asked)?;
    let opts = p.options(&asked, questions);
    let progress = Progress::default();
    let done = match partials {
        None => interruptible(py, &progress, threads, || {
            forecast_with_finishes(&p.sc, &opts, Some(&progress))
        })?
        .map_err(forecast_error)?,
        Some(files) => {
            let tallies = merged_tallies(py, &files)?;
            let finishes = tallies.project().to_vec();
            let (forecast, timings) = interruptible(py, &progress, threads, || {
                forecast_merged(&p.sc, &opts, tallies, Some(&progress))
            })?
            .map_err(forecast_error)?;
            ForecastRun {
                forecast,
                timings,
                finishes,
            }
        }
    };
    drop(opts);
    let finishes = done.finishes.into_pyarray(py);
    let native = NativeForecast {
        forecast: done.forecast,
        warnings: warnings_of(&p.sc),
        scenario: p.sc,
        run: p.run,
        iterations: asked.iterations,
    };
    Ok((native, finishes))
}

/// The merged tallies of a whole run's partial files (checked to be every
/// slice of one forecast run, with its inputs unchanged).
fn merged_tallies(py: Python<'_>, files: &[PathBuf]) -> PyResult<Tallies> {
    let merged = read_run(py, files)?;
    match <[Tallies; 1]>::try_from(merged.tallies) {
        Ok([t]) => Ok(t),
        Err(_) => Err(value_error(
            "the partials are of a run of several scenarios, not a forecast",
        )),
    }
}

/// Reads partial files and assembles them as one whole run, its inputs
/// checked against the files as they are now.
fn read_run(py: Python<'_>, files: &[PathBuf]) -> PyResult<Partial> {
    py.detach(|| {
        let parts = read_partials(files)?;
        let merged =
            assemble(parts, true).map_err(|e| format!("the partials do not merge:\n{e}"))?;
        check_inputs(&merged.header.inputs)?;
        Ok(merged)
    })
    .map_err(|e: String| value_error(e))
}

/// The command that identifies a whole run of partial files, the start it
/// settled on when none was given, its iterations and seed: what `slipcast
/// merge` runs again.
#[pyfunction]
#[allow(clippy::type_complexity)]
fn partials_run(
    py: Python<'_>,
    files: Vec<PathBuf>,
) -> PyResult<(Vec<String>, Option<String>, u64, u64)> {
    let h = read_run(py, &files)?.header;
    Ok((h.command, h.start, h.iterations, h.seed))
}

/// `slipcast forecast --shard K/M --partial DIR`: the shard's slice of the
/// run, written as its partial file (which `slipcast merge`, or
/// `forecast(partials=...)`, finishes); `command` is the run's command line
/// (its words after `slipcast`), recorded for the merge. Returns the file.
#[pyfunction]
#[pyo3(signature = (inputs, calendar, asked, *, shard, partial, command, threads=None))]
#[allow(clippy::too_many_arguments)]
fn forecast_shard(
    py: Python<'_>,
    inputs: Inputs,
    calendar: CalendarArgs,
    asked: Asked,
    shard: String,
    partial: PathBuf,
    command: Vec<String>,
    threads: Option<usize>,
) -> PyResult<String> {
    let shard = if shard.trim().starts_with("auto") {
        Shard::from_engine("shard", &shard, &|k| std::env::var(k).ok())
    } else {
        shard
            .parse::<Shard>()
            .map_err(|e| format!("shard {shard}: {e}"))
    }
    .map_err(value_error)?;
    let start_given = calendar.start.is_some();
    let (p, questions) = Prepared::forecast(py, inputs, calendar, &asked)?;
    let opts = p.options(&asked, questions);
    let range = shard.range(asked.iterations);
    let progress = Progress::default();
    let tallies = interruptible(py, &progress, threads, || {
        forecast_part(&p.sc, &opts, range.clone(), Some(&progress))
    })?
    .map_err(forecast_error)?;
    let mut files: Vec<&Path> = p.sc.sources.inputs().collect();
    if let Some(h) = &p.run.holidays_file {
        files.push(Path::new(h));
    }
    files.sort();
    files.dedup();
    let start = (!start_given && p.sc.plan.calendars.is_none()).then(|| p.run.calendar.start());
    let slice = Slice {
        scenario: 0,
        first: range.start,
        end: range.end,
    };
    let name = format!("shard-{:04}-of-{:04}.part", shard.index(), shard.count());
    let path = py
        .detach(|| {
            let part = shard_partial(shard, command, start, &files, 1, vec![(slice, tallies)])?;
            write_partial_file(&partial, &name, &part.to_bytes(), &files)
        })
        .map_err(value_error)?;
    Ok(path.display().to_string())
}

fn check_iterations(iterations: u64) -> PyResult<()> {
    const MAX: u64 = 1 << 31;
    if iterations == 0 || iterations > MAX {
        return Err(value_error(format!(
            "iterations={iterations}: give between 1 and {MAX} (the default, 1,000,000, gives P80 to about a hundredth of a working day)"
        )));
    }
    Ok(())
}

fn questions(target: Option<&str>, confidence: Option<f64>) -> PyResult<Questions> {
    Ok(Questions {
        target: target.map(|t| parse_date("target", t)).transpose()?,
        confidence: confidence.map(confidence_of).transpose()?,
    })
}

/// A confidence in percent; a fraction such as 0.8 is refused with the
/// percentage it probably means.
fn confidence_of(v: f64) -> PyResult<Confidence> {
    if v > 0.0 && v < 1.0 {
        let p = (v * 100.0 * 1e9).round() / 1e9;
        return Err(value_error(format!(
            "confidence={v}: a confidence is a percentage, so {v} would be P{v}; did you mean confidence={p}?"
        )));
    }
    Confidence::new(v).map_err(|e| value_error(format!("confidence: {e}")))
}

/// `slipcast validate --json`: the outcome as JSON when the plan loads;
/// `InputProblems` when it does not.
#[pyfunction]
#[pyo3(signature = (inputs, calendar, *, milestone=None))]
fn validate(
    py: Python<'_>,
    inputs: Inputs,
    calendar: CalendarArgs,
    milestone: Option<String>,
) -> PyResult<String> {
    let run = Run::new(calendar, 0)?;
    let sc = load(py, inputs, &run, milestone.as_deref())?;
    run.check(&sc, None)?;
    serde_json::to_string_pretty(&Validation::passed(&sc)).map_err(export_error)
}

/// `slipcast cutline`.
#[pyfunction]
#[pyo3(signature = (inputs, calendar, *, target, confidence=80.0, milestone=None,
    iterations=1_000_000, seed=42, threads=None))]
#[allow(clippy::too_many_arguments)]
fn cutline_run(
    py: Python<'_>,
    inputs: Inputs,
    calendar: CalendarArgs,
    target: String,
    confidence: f64,
    milestone: Option<String>,
    iterations: u64,
    seed: u64,
    threads: Option<usize>,
) -> PyResult<NativeResult> {
    let target = parse_date("target", &target)?;
    let p = Prepared::new(
        py,
        inputs,
        calendar,
        milestone.as_deref(),
        iterations,
        seed,
        Some(target),
    )?;
    let sc = &p.sc;
    let opts = CutlineOptions {
        basis: p.basis(),
        iterations,
        target,
        confidence: confidence_of(confidence)?,
    };
    let progress = Progress::default();
    let (line, scope) = interruptible(py, &progress, threads, || {
        cutline(sc, &opts, Some(&progress))
    })?
    .map_err(forecast_error)?;
    let mut warnings = warnings_of(sc);
    warnings.extend(scope.iter().map(ToString::to_string));
    rendered(
        cutline_views(),
        &line,
        Chart::from(CutlineView::new(&line)).svg(),
        warnings,
    )
}

fn utf8<E: std::fmt::Display>(bytes: Result<Vec<u8>, E>) -> PyResult<String> {
    String::from_utf8(bytes.map_err(export_error)?).map_err(export_error)
}

/// `slipcast compare`: `scenarios` are (label, inputs) pairs.
#[pyfunction]
#[pyo3(signature = (scenarios, calendar, *, target=None, milestone=None, iterations=1_000_000,
    seed=42, threads=None))]
#[allow(clippy::too_many_arguments)]
fn compare(
    py: Python<'_>,
    scenarios: Vec<(String, Inputs)>,
    calendar: CalendarArgs,
    target: Option<String>,
    milestone: Option<String>,
    iterations: u64,
    seed: u64,
    threads: Option<usize>,
) -> PyResult<NativeResult> {
    check_iterations(iterations)?;
    if scenarios.len() < 2 {
        return Err(value_error("compare needs two or more scenarios"));
    }
    let run = Run::new(calendar, seed)?;
    let target = target.map(|t| parse_date("target", &t)).transpose()?;
    let mut labels = Vec::new();
    let mut loaded = Vec::new();
    for (label, inputs) in scenarios {
        let sc = load(py, inputs, &run, milestone.as_deref())?;
        run.check(&sc, target)?;
        labels.push(label);
        loaded.push(sc);
    }
    let pairs: Vec<(&str, &Scenario)> = labels.iter().map(String::as_str).zip(&loaded).collect();
    let axis = loaded[0].plan.axis_calendar();
    let opts = CompareOptions {
        basis: run.basis(&loaded[0], axis.as_ref()),
        iterations,
        milestone: milestone.clone(),
        target,
        cuts: Vec::new(),
    };
    let progress = Progress::default();
    let result = interruptible(py, &progress, threads, || {
        compare_scenarios(&pairs, &opts, Some(&progress))
    })?
    .map_err(forecast_error)?;
    rendered(
        compare_views(),
        &result,
        Chart::from(CompareView::new(&result)).svg(),
        loaded.iter().flat_map(warnings_of).collect(),
    )
}

/// A result as its command renders it: JSON, terminal text and `chart`.
fn rendered<R: serde::Serialize + Made + 'static>(
    views: Views<R>,
    result: &R,
    svg: Result<String, ChartError>,
    warnings: Vec<String>,
) -> PyResult<NativeResult> {
    Ok(NativeResult {
        json: utf8(views.json.render(result))?,
        text: utf8(views.terminal.render(result))?,
        svg: svg.map_err(export_error)?,
        warnings,
    })
}

/// An explanation, with its Gantt chart.
fn explained(world: &Explanation, warnings: Vec<String>) -> PyResult<NativeResult> {
    rendered(
        explain_views(),
        world,
        GanttView::new(world).svg(),
        warnings,
    )
}

/// A percentile to explain, e.g. 80.
fn percentile(at: f64) -> PyResult<Confidence> {
    Confidence::new(at).map_err(|e| value_error(format!("at: {e}")))
}

/// `slipcast explain`: the iteration at percentile `at`, replayed.
#[pyfunction]
#[pyo3(signature = (inputs, calendar, *, at=80.0, milestone=None, iterations=1_000_000, seed=42,
    threads=None))]
#[allow(clippy::too_many_arguments)]
fn explain(
    py: Python<'_>,
    inputs: Inputs,
    calendar: CalendarArgs,
    at: f64,
    milestone: Option<String>,
    iterations: u64,
    seed: u64,
    threads: Option<usize>,
) -> PyResult<NativeResult> {
    let p = Prepared::new(
        py,
        inputs,
        calendar,
        milestone.as_deref(),
        iterations,
        seed,
        None,
    )?;
    let sc = &p.sc;
    let opts = ExplainOptions {
        basis: p.basis(),
        iterations,
        at: percentile(at)?,
    };
    let progress = Progress::default();
    let world = interruptible(py, &progress, threads, || {
        slipcast::analysis::explain(sc, &opts, Some(&progress))
    })?
    .map_err(forecast_error)?;
    explained(&world, warnings_of(sc))
}

/// `slipcast history`: `snapshots` are (label, inputs, data date or None)
/// triples, oldest first; a snapshot without a date takes its file's data
/// or status date, else a date in its file name.
#[pyfunction]
#[pyo3(signature = (snapshots, calendar, *, target=None, watermelon=WATERMELON_DAYS,
    milestone=None, iterations=1_000_000, seed=42, threads=None))]
#[allow(clippy::too_many_arguments)]
fn history(
    py: Python<'_>,
    snapshots: Vec<(String, Inputs, Option<String>)>,
    calendar: CalendarArgs,
    target: Option<String>,
    watermelon: f64,
    milestone: Option<String>,
    iterations: u64,
    seed: u64,
    threads: Option<usize>,
) -> PyResult<NativeResult> {
    check_iterations(iterations)?;
    if !(watermelon.is_finite() && watermelon >= 0.0) {
        return Err(value_error(format!(
            "watermelon={watermelon}: give the P80 slip, in days, from which a move with the plan \
             date standing still is flagged, e.g. watermelon=5"
        )));
    }
    let run = Run::new(calendar, seed)?;
    let target = target.map(|t| parse_date("target", &t)).transpose()?;
    let mut labels = Vec::new();
    let mut loaded = Vec::new();
    let mut dates = Vec::new();
    for (label, inputs, as_of) in snapshots {
        let sc = load(py, inputs, &run, milestone.as_deref())?;
        run.check(&sc, None)?;
        let date = match as_of {
            Some(d) => parse_date("as_of", &d)?,
            None => data_date_of(&sc).ok_or_else(|| {
                value_error(format!(
                    "{}: no data date: give it in as_of (one date per snapshot, in order, None \
                     for a snapshot whose file carries it), or put it in the file name (e.g. \
                     plan-2027-01-18.csv)",
                    sc.sources.plan.display()
                ))
            })?,
        };
        labels.push(label);
        loaded.push(sc);
        dates.push(date);
    }
    let snapshots = Snapshot::list(&loaded, &labels, &dates);
    let first = loaded
        .first()
        .ok_or_else(|| value_error(HistoryError::TooFew.to_string()))?;
    let axis = first.plan.axis_calendar();
    let opts = HistoryOptions {
        basis: run.basis(first, axis.as_ref()),
        iterations,
        target,
        watermelon_days: watermelon,
        milestone: milestone.clone(),
    };
    let progress = Progress::default();
    let result = interruptible(py, &progress, threads, || {
        slipcast::analysis::history(&snapshots, &opts)
    })?
    .map_err(|e| value_error(e.to_string()))?;
    rendered(
        history_views(),
        &result,
        Chart::from(TrendView::new(&result)).svg(),
        loaded.iter().flat_map(warnings_of).collect(),
    )
}

/// The native module.
#[pymodule]
fn _slipcast(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("InputProblems", m.py().get_type::<InputProblems>())?;
    m.add_class::<NativeForecast>()?;
    m.add_class::<NativeResult>()?;
    m.add_function(wrap_pyfunction!(forecast, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(cutline_run, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    m.add_function(wrap_pyfunction!(forecast_shard, m)?)?;
    m.add_function(wrap_pyfunction!(partials_run, m)?)?;
    m.add_function(wrap_pyfunction!(history, m)?)?;
    Ok(())
}
