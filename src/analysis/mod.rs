//! What the draws mean: percentiles, dates, criticality, and the
//! [`Forecast`] every report is a view of. No I/O happens here.

mod percentiles;
mod spread;
mod summary;

pub use percentiles::{Sample, histogram_quantile, rank};
pub use spread::duration_std;
pub use summary::{
    CalendarInfo, DeterministicSummary, DurationStats, FinishDates, FinishDay, Forecast,
    ForecastInputs, HEADLINE, PercentileRow, TaskFinish, TaskSummary, summarize,
};
