//! The uncertainty an import adds to P6's single durations: each
//! activity's range from its own row of the ranges file (`--ranges`), else
//! from the longest WBS prefix row that matches it, else from the `--range`
//! template, else none; counted for the import report.

use serde::Serialize;

use super::import::{ImportOptions, RangeTemplate};
use crate::plan::error::{LoadError, Problem, ProblemKind};
use crate::plan::{DistKind, Estimate, Range, RangeKey, RangeRow, RangeTarget, RangeUnit};

/// How the activities got their ranges.
///
/// Every activity is counted once: with remaining work, by where its range
/// came from (a range may still have no spread, e.g. 100%,100%,100%), or as
/// unranged; without (complete, milestones, no remaining duration), as
/// taking no time whatever the ranges say.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RangeCounts {
    /// The ranges file (`--ranges`), as given, if any.
    pub file: Option<String>,
    /// Activities ranged by their own row of the ranges file (`id`).
    pub by_id: usize,
    /// Activities ranged by the longest WBS prefix row that matches them.
    pub by_wbs: usize,
    /// Activities ranged by the `--range` template.
    pub by_template: usize,
    /// Tasks ranged by their own three estimate fields (an MS Project
    /// file's `Duration1`-`3`, or `--fields`).
    pub by_fields: usize,
    /// Activities with remaining work and no range: a single duration.
    pub unranged: usize,
    /// Activities with no remaining work: complete, milestones, or no
    /// remaining duration.
    pub no_remaining_work: usize,
    /// Activities an `id` row of the ranges file names that have no
    /// remaining work, so the row changes nothing (a file kept from week to
    /// week as work completes).
    pub ids_without_work: Vec<String>,
}

impl From<RangeTemplate> for Range {
    fn from(t: RangeTemplate) -> Range {
        Range {
            numbers: crate::plan::ThreePoint {
                low: Some(t.low),
                likely: Some(t.likely),
                high: Some(t.high),
                confidence: None,
            },
            unit: RangeUnit::Percent,
            dist: Some(t.dist),
        }
    }
}

/// Where each activity's range comes from, and the counts so far.
pub(in crate::plan) struct Ranging<'o> {
    /// Per activity, the row of the ranges file that ranges it.
    rows: Vec<Option<&'o RangeRow>>,
    template: Option<Range>,
    /// The P6 file and the ranges file, for messages.
    xer: &'o str,
    ranges: Option<&'o str>,
    counts: RangeCounts,
    problems: Vec<Problem>,
}

impl<'o> Ranging<'o> {
    /// Settles which row of `opts`' ranges file ranges each of
    /// `activities`; `left_out` are the level-of-effort activities.
    ///
    /// # Errors
    ///
    /// [`LoadError::InvalidInput`] naming each row that ranges nothing.
    pub(in crate::plan) fn new(
        xer: &'o str,
        opts: &'o ImportOptions,
        activities: &[RangeTarget<'_>],
        left_out: &[String],
    ) -> Result<Ranging<'o>, LoadError> {
        let rows = match &opts.ranges {
            Some(r) => {
                r.assign(activities, xer, left_out)
                    .map_err(|problems| LoadError::InvalidInput {
                        what: crate::plan::ranges::WHAT,
                        problems,
                    })?
            }
            None => vec![None; activities.len()],
        };
        Ok(Ranging {
            rows,
            template: opts.range.map(Range::from),
            xer,
            ranges: opts.ranges.as_ref().map(|r| r.file.as_str()),
            counts: RangeCounts {
                file: opts.ranges.as_ref().map(|r| r.file.clone()),
                ..RangeCounts::default()
            },
            problems: Vec::new(),
        })
    }

    /// The estimate of activity `i` (`id`, on `line` of the P6 file), whose
    /// remaining duration is `days` working days (0 without remaining work).
    pub(in crate::plan) fn estimate(
        &mut self,
        i: usize,
        id: &str,
        line: u64,
        days: f64,
    ) -> Estimate {
        let fixed = Estimate::Fixed { days };
        let row = self.rows[i];
        if days <= 0.0 {
            self.counts.no_remaining_work += 1;
            if row.is_some_and(|r| matches!(r.key, RangeKey::Id(_))) {
                self.counts.ids_without_work.push(id.to_string());
            }
            return fixed;
        }
        let (range, count, at) = match (row, self.template) {
            (Some(r), _) => {
                let count = match r.key {
                    RangeKey::Id(_) => &mut self.counts.by_id,
                    RangeKey::Wbs(_) => &mut self.counts.by_wbs,
                };
                (
                    r.range,
                    count,
                    self.ranges.map(|f| (f, r.line, Some(&r.key))),
                )
            }
            (None, Some(t)) => (t, &mut self.counts.by_template, None),
            (None, None) => {
                self.counts.unranged += 1;
                return fixed;
            }
        };
        *count += 1;
        match range.estimate(days) {
            Ok(e) => e,
            Err(e) => {
                let kind = ProblemKind::Estimate(e);
                self.problems.push(match at {
                    Some((file, line, Some(key))) => Problem {
                        file: file.to_string(),
                        line: Some(line),
                        task: Some(id.to_string()),
                        kind: ProblemKind::InRange {
                            key: key.clone(),
                            problem: Box::new(kind),
                        },
                    },
                    _ => Problem {
                        file: self.xer.to_string(),
                        line: Some(line),
                        task: Some(id.to_string()),
                        kind,
                    },
                });
                fixed
            }
        }
    }

    /// Counts an activity ranged by its own estimate fields (an MS
    /// Project task's `Duration1`-`3`), ahead of any row or template.
    pub(in crate::plan) fn by_fields(&mut self) {
        self.counts.by_fields += 1;
    }

    /// The counts, once every activity has its estimate.
    ///
    /// # Errors
    ///
    /// [`LoadError`] with each activity whose range, applied to its
    /// remaining duration, makes no estimate (a duration past the longest
    /// allowed).
    pub(in crate::plan) fn finish(self) -> Result<RangeCounts, LoadError> {
        if self.problems.is_empty() {
            return Ok(self.counts);
        }
        let problems = self.problems;
        Err(if problems.iter().any(|p| p.file != self.xer) {
            LoadError::InvalidInput {
                what: crate::plan::ranges::WHAT,
                problems,
            }
        } else {
            LoadError::Invalid { problems }
        })
    }
}

/// Whether an estimate has any spread (a fixed one has none).
pub(in crate::plan) fn has_spread(e: &Estimate) -> bool {
    e.kind() != DistKind::Fixed
}
