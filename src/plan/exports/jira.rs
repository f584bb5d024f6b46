//! Jira's CSV export: `Issue key`, `Summary`, estimates in seconds of
//! 8-hour days (`Remaining Estimate` ahead of `Original Estimate`), story
//! points with `--points-per-day`, `Status` by category, and the `Blocks`
//! issue links of every repeated column.

use std::collections::{HashMap, HashSet};

use super::shape::*;
use super::translate::{Translated, Translator, cell, fs};
use super::{ExportProblem, links, status, units};
use crate::plan::Status;
use crate::plan::columns::Col;
use crate::plan::error::{Problem, ProblemKind};
use crate::plan::warning::Warning;

impl Translator<'_, '_> {
    /// Jira: `Issue key`, `Summary`, estimates in seconds (Remaining
    /// first), story points with `--points-per-day`, `Status` by category,
    /// and `Blocks` links.
    pub(super) fn jira(&mut self, records: &[(u64, csv::StringRecord)]) -> Vec<Option<Translated>> {
        let h = self.h;
        let (id_col, name, stat) = (h.find(ISSUE_KEY), h.find(ISSUE_SUMMARY), h.find(STATUS));
        let (original, remaining, points) = (h.find(ORIGINAL), h.find(REMAINING), h.find(POINTS));
        let (inward, outward) = (h.all(INWARD_BLOCKS), h.all(OUTWARD_BLOCKS));
        let dc = self.ctx.decimal_comma;
        let ids: HashSet<&str> = records.iter().map(|(_, r)| cell(r, id_col)).collect();
        let mut out: Vec<Option<Translated>> = Vec::new();
        let mut unknown_status: Vec<String> = Vec::new();
        let mut points_only = (0usize, 0u64);
        // (successor, predecessor) pairs, each once.
        let mut edges: Vec<(String, String)> = Vec::new();
        let mut seen: HashSet<(String, String)> = HashSet::new();
        for (line, rec) in records {
            let line = *line;
            let id = cell(rec, id_col).to_string();
            let mut row = self.new_row(line, &id, cell(rec, name));
            let status_text = cell(rec, stat);
            let status = status::category(status_text).unwrap_or_else(|| {
                if !unknown_status.iter().any(|s| s == status_text) {
                    unknown_status.push(status_text.to_string());
                }
                Status::Todo
            });
            let st = match status {
                Status::Todo => "todo",
                Status::InProgress => "in_progress",
                Status::Done => "done",
            };
            row.cells.insert(Col::Status, st.into());
            if !self.mapped(Col::Likely) {
                let (r, o, p) = (cell(rec, remaining), cell(rec, original), cell(rec, points));
                let days = if !r.is_empty() {
                    units::seconds(&self.column(remaining), r, dc).map(Some)
                } else if !o.is_empty() {
                    units::seconds(&self.column(original), o, dc).map(Some)
                } else if !p.is_empty() {
                    units::points(&self.column(points), p, dc).map(|pts| {
                        match self.ctx.options.points_per_day {
                            Some(ppd) => Some(pts / ppd),
                            None => {
                                if points_only.0 == 0 {
                                    points_only.1 = line;
                                }
                                points_only.0 += 1;
                                None
                            }
                        }
                    })
                } else {
                    if status != Status::Done {
                        self.push(line, &id, ExportProblem::NoDuration("Original Estimate, Remaining Estimate and Story Points are blank; estimate the issue in Jira and export again, name a column of days with --map likely=COLUMN, or remove the row".into()));
                    }
                    Ok(None)
                };
                match days {
                    Ok(Some(d)) => {
                        row.cells.insert(Col::Likely, d.to_string());
                    }
                    Ok(None) => row.estimate_told = true,
                    Err(p) => {
                        self.push(line, &id, p);
                        row.estimate_told = true;
                    }
                }
                if status == Status::Done {
                    row.estimate_told = false;
                }
            }
            for (cols, blocked_by) in [(&inward, true), (&outward, false)] {
                for &i in cols {
                    for other in links::references(cell(rec, Some(i))) {
                        if !ids.contains(other) {
                            let verb = if blocked_by {
                                "is blocked by"
                            } else {
                                "blocks"
                            };
                            self.warnings.push(Warning {
                                file: self.ctx.file.into(),
                                line: Some(line),
                                task: Some(id.clone()),
                                message: format!("{verb} {other}, which is not an issue of this file; the link is read as already met"),
                            });
                            continue;
                        }
                        let edge = if blocked_by {
                            (id.clone(), other.to_string())
                        } else {
                            (other.to_string(), id.clone())
                        };
                        if seen.insert(edge.clone()) {
                            edges.push(edge);
                        }
                    }
                }
            }
            out.push(Some(row));
        }
        // Each link goes to the first row of its successor (a repeated key
        // is reported by the plan reader).
        let mut row_of: HashMap<String, usize> = HashMap::new();
        for (i, r) in out.iter().enumerate() {
            if let Some(id) = r.as_ref().and_then(|r| r.cells.get(&Col::Id)) {
                row_of.entry(id.clone()).or_insert(i);
            }
        }
        for (to, from) in edges {
            if let Some(Some(row)) = row_of.get(&to).map(|&i| &mut out[i])
                && let Some(l) = row.links.as_mut()
            {
                l.push(fs(from));
            }
        }
        if points_only.0 > 0 {
            self.problems.push(Problem {
                file: self.ctx.file.into(),
                line: Some(points_only.1),
                task: None,
                kind: ProblemKind::Export(ExportProblem::NeedsPointsPerDay {
                    column: self.column(points),
                    issues: points_only.0,
                    first_line: points_only.1,
                }),
            });
        }
        if !unknown_status.is_empty() {
            let list: Vec<String> = unknown_status.iter().map(|s| format!("\"{s}\"")).collect();
            self.warnings.push(Warning::file(
                self.ctx.file,
                format!(
                    "status {} is not a status slipcast knows, so those issues are read as to do; Done, Closed and Resolved (and the like) are read as done, In Progress and In Review as in progress",
                    list.join(", ")
                ),
            ));
        }
        out
    }
}
