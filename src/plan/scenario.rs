//! A scenario: a plan with everything that goes with it (risk register,
//! correlations, the milestone), loaded and validated by one call.

use std::path::{Path, PathBuf};

use thiserror::Error;

use super::mspdi;
use super::ranges::{WHAT as RANGES, read_ranges};
use super::xer::{self, ImportOptions, ImportReport};
use super::{
    CalendarsFile, Capacity, Correlation, CorrelationError, ExportOptions, LoadError, Plan, Risk,
    TeamRule, TextEncoding, Warning, build_correlation, load_pairs_with, load_plan_from,
    load_risks_with, load_teams_with, parse_pairs, parse_plan_reading, parse_risks,
};

/// Where a scenario's files are, and how to read them.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The plan CSV.
    pub plan: PathBuf,
    /// Extra dependency edges (`from,to,type,lag`), if any.
    pub edges: Option<PathBuf>,
    /// The risk register, if any.
    pub risks: Option<PathBuf>,
    /// The ranges of a P6 plan's activities, by id or WBS prefix
    /// (`--ranges`), if any.
    pub ranges: Option<PathBuf>,
    /// Pairwise correlations (`a,b,rho`), if any.
    pub correlations: Option<PathBuf>,
    /// Team correlation rules (`--correlate`).
    pub correlate: Vec<TeamRule>,
    /// Team capacity (`team,people,unplanned`, `--teams`), if any.
    pub teams: Option<PathBuf>,
    /// The calendars of a plan CSV whose tasks run on their own
    /// (`--calendars`), with the plan's start.
    pub calendars: Option<CalendarsFile>,
    /// The encoding of every file (for an XER plan, `UTF-8` means: as
    /// detected, see [`super::xer::parse`]).
    pub encoding: TextEncoding,
    /// How to read a P6 XER plan.
    pub import: ImportOptions,
    /// How to read a plan CSV exported from another tool (`--map`,
    /// `--points-per-day`, the calendar its dates are counted on).
    pub exports: ExportOptions,
}

impl Sources {
    /// A plan file alone.
    pub fn plan(path: impl Into<PathBuf>) -> Sources {
        Sources {
            plan: path.into(),
            ..Sources::default()
        }
    }

    /// Every file these sources read.
    pub fn inputs(&self) -> impl Iterator<Item = &Path> {
        std::iter::once(self.plan.as_path())
            .chain(self.edges.as_deref())
            .chain(self.risks.as_deref())
            .chain(self.ranges.as_deref())
            .chain(self.correlations.as_deref())
            .chain(self.teams.as_deref())
            .chain(self.calendars.as_ref().map(|c| c.path.as_path()))
    }
}

/// Inputs held in memory rather than in files (a front end's tables, such
/// as the Python package's DataFrames): each one given is read in place of
/// the file of its role, and that role's [`Sources`] path names it in
/// results and messages (it is never opened).
#[derive(Debug, Clone, Default)]
pub struct Texts {
    /// The plan CSV's text (in place of [`Sources::plan`]).
    pub plan: Option<String>,
    /// The risk register's text (in place of [`Sources::risks`], which must
    /// name it).
    pub risks: Option<String>,
    /// The correlations' text (in place of [`Sources::correlations`], which
    /// must name it).
    pub correlations: Option<String>,
}

/// Why a scenario could not be loaded.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// A file could not be read, or has problems.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The correlations cannot hold together.
    #[error(transparent)]
    Correlation(#[from] CorrelationError),
    /// A calendars file was given with a P6 or MS Project file, which has
    /// its own.
    #[error(
        "--calendars {calendars}: {plan} is {format}, which carries its own calendars; leave --calendars out (it is for plan CSVs, such as the plan.csv of slipcast import)"
    )]
    CalendarsWithXer {
        /// The plan file.
        plan: String,
        /// What it is: "a P6 XER file", "an MS Project XML file".
        format: &'static str,
        /// The calendars file.
        calendars: String,
    },
    /// A ranges file was given with a plan CSV, which has its own ranges.
    #[error(
        "--ranges {ranges}: {plan} is a plan CSV, which carries its own low, likely and high per task; write the ranges into its columns, or import the P6 file with them (slipcast import PROGRAMME.xer --ranges {ranges} --out DIR writes them into plan.csv). --ranges is for P6 XER and MS Project XML plans, whose tasks carry single durations"
    )]
    RangesWithCsv {
        /// The plan file.
        plan: String,
        /// The ranges file.
        ranges: String,
    },
    /// The plan file is a workbook or a binary project file, which slipcast
    /// does not read: the message says how to save it in a form it reads.
    #[error("{plan} is {what}, not a file slipcast reads; {fix}")]
    Binary {
        /// The plan file.
        plan: String,
        /// What it looks like.
        what: &'static str,
        /// How to save it in a form slipcast reads.
        fix: &'static str,
    },
    /// The milestone is not a task of the plan.
    #[error("--milestone \"{id}\" is not a task id in {plan}{hint}")]
    Milestone {
        /// The id asked for.
        id: String,
        /// The plan file.
        plan: String,
        /// ` (did you mean "x"?)`, or empty.
        hint: String,
    },
}

/// A plan with its risk register, correlations and milestone, validated
/// against each other.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The plan.
    pub plan: Plan,
    /// The risk register (empty without one).
    pub risks: Vec<Risk>,
    /// Correlations between task durations, if any.
    pub correlation: Option<Correlation>,
    /// Plan index of the milestone whose finish is forecast (`None`: the
    /// whole plan).
    pub milestone: Option<usize>,
    /// Team capacity (`None`: every task starts as soon as its links allow).
    pub capacity: Option<Capacity>,
    /// Where it was read from.
    pub sources: Sources,
    /// What importing it did, for a plan read from P6.
    pub import: Option<ImportReport>,
    /// What reads but should be looked at, from every file (the plan's
    /// own first).
    pub warnings: Vec<Warning>,
}

impl Scenario {
    /// A plan already in memory, alone: no risks, correlations or
    /// milestone (set the fields to add them).
    pub fn new(plan: Plan) -> Scenario {
        Scenario {
            sources: Sources::plan(&plan.source),
            warnings: plan.warnings.clone(),
            plan,
            risks: Vec::new(),
            correlation: None,
            milestone: None,
            capacity: None,
            import: None,
        }
    }

    /// Loads and validates the plan, its risk register and correlations, and
    /// resolves the milestone id.
    ///
    /// # Errors
    ///
    /// [`ScenarioError`]: every problem of a file at once, correlations that
    /// cannot hold, or an unknown milestone (with the closest id).
    pub fn load(sources: Sources, milestone: Option<&str>) -> Result<Scenario, ScenarioError> {
        Scenario::load_with(sources, &Texts::default(), milestone)
    }

    /// [`Scenario::load`], with the inputs of `texts` read from memory in
    /// place of their files: a plan given as text is a plan CSV.
    ///
    /// # Errors
    ///
    /// As [`Scenario::load`].
    pub fn load_with(
        sources: Sources,
        texts: &Texts,
        milestone: Option<&str>,
    ) -> Result<Scenario, ScenarioError> {
        let enc = sources.encoding;
        let name = |p: &Path| p.display().to_string();
        let (plan, import) = match &texts.plan {
            None => load_any_plan(&sources)?,
            Some(text) => {
                let plan = parse_plan_reading(
                    &name(&sources.plan),
                    text,
                    sources.edges.as_deref(),
                    sources.calendars.as_ref(),
                    enc,
                    &sources.exports,
                )?;
                (plan, None)
            }
        };
        let risks = match (&sources.risks, &texts.risks) {
            (Some(p), Some(text)) => parse_risks(&name(p), text, &plan)?,
            (Some(p), None) => load_risks_with(p, &plan, enc)?,
            (None, _) => Vec::new(),
        };
        let pairs = match (&sources.correlations, &texts.correlations) {
            (Some(p), Some(text)) => parse_pairs(&name(p), text, &plan)?,
            (Some(p), None) => load_pairs_with(p, &plan, enc)?,
            (None, _) => Vec::new(),
        };
        let correlation = build_correlation(&plan, &sources.correlate, &pairs)?;
        let (capacity, team_warnings) = match &sources.teams {
            Some(p) => {
                let (c, w) = load_teams_with(p, &plan, enc)?;
                (Some(c), w)
            }
            None => (None, Vec::new()),
        };
        let milestone = match milestone {
            None => None,
            Some(id) => Some(plan.index_of(id).ok_or_else(|| {
                ScenarioError::Milestone {
                    id: id.into(),
                    plan: plan.source.clone(),
                    hint: plan
                        .suggest(id)
                        .map(|s| format!(" (did you mean \"{s}\"?)"))
                        .unwrap_or_default(),
                }
            })?),
        };
        let mut warnings = plan.warnings.clone();
        // A P6 import says itself when nothing is ranged.
        warnings.extend(super::lint::lint(
            &plan,
            &risks,
            capacity.as_ref(),
            import.is_some(),
        ));
        warnings.extend(team_warnings);
        Ok(Scenario {
            plan,
            warnings,
            risks,
            correlation,
            milestone,
            capacity,
            sources,
            import,
        })
    }
}

/// Reads the plan file: a P6 XER export or an MS Project XML file (known
/// by their content), or a plan CSV with its edges file.
fn load_any_plan(sources: &Sources) -> Result<(Plan, Option<ImportReport>), ScenarioError> {
    let path = &sources.plan;
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        what: "the plan",
        path: name.clone(),
        source,
    })?;
    if let Some((what, fix)) = binary_kind(&bytes, path) {
        return Err(ScenarioError::Binary {
            plan: name,
            what,
            fix,
        });
    }
    let is_xer = xer::is_xer(&bytes);
    let format = if is_xer {
        "a P6 XER file"
    } else if mspdi::is_mspdi(&bytes) {
        "an MS Project XML file"
    } else {
        if let Some(r) = &sources.ranges {
            return Err(ScenarioError::RangesWithCsv {
                plan: name,
                ranges: r.display().to_string(),
            });
        }
        let mut plan = load_plan_from(
            path,
            sources.edges.as_deref(),
            sources.calendars.as_ref(),
            sources.encoding,
            &sources.exports,
        )?;
        let i = &sources.import;
        for (given, flag) in [
            (i.project.is_some(), "--project"),
            (i.range.is_some(), "--range"),
            (i.estimate_fields.is_some(), "--fields"),
        ] {
            if given {
                plan.warnings.push(Warning::file(
                    &name,
                    format!(
                        "{flag} is for P6 XER and MS Project XML plans, and this is a plan CSV, whose tasks carry their own low, likely and high: {flag} is ignored"
                    ),
                ));
            }
        }
        return Ok((plan, None));
    };
    if let Some(c) = &sources.calendars {
        return Err(ScenarioError::CalendarsWithXer {
            plan: name,
            format,
            calendars: c.path.display().to_string(),
        });
    }
    // The rows of the ranges file that read are matched to the activities,
    // and every problem of the file is reported at once, in line order.
    let (ranges, mut problems) = match &sources.ranges {
        Some(p) => {
            let text = sources.encoding.read(p, Some(RANGES))?;
            let (r, problems) = read_ranges(&p.display().to_string(), &text);
            (Some(r), problems)
        }
        None => (None, Vec::new()),
    };
    let opts = ImportOptions {
        ranges,
        ..sources.import.clone()
    };
    let ignored = |flag: &str, why: &str| Warning::file(&name, format!("{flag} is ignored: {why}"));
    let imported = if is_xer {
        let encoding = (sources.encoding != TextEncoding::UTF_8).then_some(sources.encoding);
        let file = xer::parse(&name, &bytes, encoding)?;
        let data = xer::read(&file)?;
        xer::import(&name, &file.version, &data, &opts).map(|(mut plan, mut report)| {
            report.encoding = file.encoding.to_string();
            if opts.estimate_fields.is_some() {
                plan.warnings.push(ignored(
                    "--fields",
                    "it names MS Project's custom duration fields, and a P6 file has none; range P6 activities with --ranges or --range",
                ));
            }
            (plan, report)
        })
    } else {
        let file = mspdi::parse(&name, &bytes)?;
        mspdi::import(&name, &file, &opts).map(|(mut plan, report, warnings)| {
            plan.warnings.extend(warnings);
            if opts.project.is_some() {
                plan.warnings.push(ignored(
                    "--project",
                    "it picks one project of a P6 file, and an MS Project file holds one",
                ));
            }
            (plan, report)
        })
    };
    match imported {
        Ok(_) if !problems.is_empty() => {}
        Ok((plan, report)) => return Ok((plan, Some(report))),
        Err(LoadError::InvalidInput { what, problems: p }) if what == RANGES => problems.extend(p),
        // The plan file's own problems first; the ranges file's once it reads.
        Err(e) => return Err(e.into()),
    }
    problems.sort_by_key(|p| p.line);
    Err(LoadError::InvalidInput {
        what: RANGES,
        problems,
    }
    .into())
}

/// What a binary plan file is, by its first bytes (and its extension, to
/// tell a binary MS Project file from an old Excel workbook), with how to
/// save it in a form slipcast reads.
fn binary_kind(bytes: &[u8], path: &Path) -> Option<(&'static str, &'static str)> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    const SAVE_CSV: &str = "save the sheet as CSV (in Excel: File > Save As > CSV UTF-8 (comma delimited)) and give that file";
    if bytes.starts_with(b"PK\x03\x04") {
        return Some(match ext.as_str() {
            "ods" => ("a spreadsheet (OpenDocument, .ods)", SAVE_CSV),
            _ => (
                "a spreadsheet workbook (.xlsx) or another ZIP archive",
                SAVE_CSV,
            ),
        });
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Some(match ext.as_str() {
            "mpp" | "mpt" => (
                "a binary MS Project file (.mpp)",
                "in MS Project, File > Save As, type XML Format (*.xml), and give that file",
            ),
            _ => (
                "an old Excel workbook (.xls) or another Office file",
                SAVE_CSV,
            ),
        });
    }
    None
}
