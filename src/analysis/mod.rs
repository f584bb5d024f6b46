//! What the draws mean: percentiles, dates, criticality, and the
//! [`Forecast`] every report is a view of. No I/O happens here.

mod capacity;
mod compare;
mod cutline;
mod drivers;
mod explain;
mod history;
mod import;
mod iteration;
mod percentiles;
mod pipeline;
mod precision;
mod provenance;
mod range;
mod replay;
mod sensitivity;
mod shard;
mod spread;
mod start_milestones;
mod summary;
mod target;
mod team_load;

pub use capacity::{
    Buffer, CapacityFindings, CapacityRun, HeadcountFinding, TeamFinding, capacity_findings,
};
pub use compare::{
    BATCHES, CompareInputs, Comparison, Delta, IntervalEstimate, IntervalMethod, MIN_BATCH,
    ScenarioDates, ScenarioDays, ScenarioInput, ScenarioResult, compare, paired_delta,
    paired_deltas,
};
pub use cutline::{
    CutGroup, CutPosition, Cutline, CutlineBar, CutlineChart, PositionDays, Recommendation, Scope,
    ScopeWarning, Shortfall, SweepOptions, sweep, sweep_merged, sweep_part,
};

pub use drivers::{Driver, DriverGap, DriverKind, DriverOptions, GRID, drivers};
pub use explain::{
    ExplainOptions, Explanation, PathLink, PathStep, WorldRisk, WorldTask, explain, explain_from,
};
pub use history::{
    Cause, History, HistoryError, HistoryOptions, Move, Part, PlanPoint, Point, Snapshot,
    SnapshotResult, WATERMELON_DAYS, data_date_of, date_in_name, history,
};
pub use import::{ImportError, Imported, ReplaySummary, import};
pub use iteration::{first_with, iteration_at};
pub use percentiles::{Sample, histogram_quantile, rank, task_percentiles, z_two_sided};
pub use pipeline::{
    CAPACITY_ITERATIONS, CompareOptions, CutlineOptions, ForecastError, ForecastOptions,
    ForecastRun, Iterations, PRECISION_PILOT, Progress, TASK_DATE_ITERATIONS, Timings,
    compare_merged, compare_part, compare_scenarios, cutline, cutline_merged, cutline_part,
    forecast, forecast_merged, forecast_part, forecast_with_finishes,
};
pub use precision::{Precision, Unreachable, iterations_for_precision, worst_half_width};
pub use provenance::{
    CalendarInfo, Inputs, Made, Provenance, RunBasis, SOURCE_DATE_EPOCH, generated_at,
};
pub use range::{MAX_WORKING_DAYS, OutOfRange, check_range};
pub use replay::{Replay, ReplayDifference, finish_date, replay, start_date};
pub use sensitivity::{SensitivityOptions, TaskSensitivity, mid_ranks, sensitivity};
pub use shard::{
    InputDigest, MergeError, PARTIAL_FORMAT, Partial, PartialError, PartialHeader, Shard,
    ShardError, Slice, assemble, sha256_hex,
};
pub use spread::duration_std;
pub use start_milestones::{is_start_milestone, start_day, start_milestone_days};
pub use summary::{
    CorrelationSummary, DeterministicSummary, DurationStats, Findings, FinishDates, FinishDay,
    Forecast, ForecastInputs, HEADLINE, HeadlineIntervals, Interval, PercentileRow, RiskSummary,
    TaskFinish, TaskSummary, summarize, summarize_sample,
};
pub use target::{
    Confidence, ConfidenceAnswer, ConfidenceError, Questions, Target, TargetAnswer,
    answer_confidence, answer_target,
};
pub use team_load::{TeamLoad, TeamLoadSeries, team_load};
