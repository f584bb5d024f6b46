//! What the draws mean: percentiles, dates, criticality, and the
//! [`Forecast`] every report is a view of. No I/O happens here.

mod compare;
mod cutline;
mod percentiles;
mod spread;
mod summary;
mod target;

pub use compare::{
    BATCHES, CompareInputs, Comparison, Delta, Estimate, IntervalMethod, MIN_BATCH, ScenarioDates,
    ScenarioDays, ScenarioInput, ScenarioResult, compare,
};
pub use cutline::{
    CutGroup, CutLine, CutPosition, PositionDays, Recommendation, Scope, ScopeWarning, Shortfall,
    SweepOptions, sweep,
};

pub use percentiles::{Sample, histogram_quantile, rank};
pub use spread::duration_std;
pub use summary::{
    CalendarInfo, DeterministicSummary, DurationStats, FinishDates, FinishDay, Forecast,
    ForecastInputs, HEADLINE, PercentileRow, TaskFinish, TaskSummary, summarize,
};
pub use target::{
    Confidence, ConfidenceAnswer, ConfidenceError, Target, TargetAnswer, answer_confidence,
    answer_target,
};
