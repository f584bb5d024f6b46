//! Translating an export's records into the cells of slipcast's own plan
//! CSV, with links by id.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::shape::*;
use super::{ExportOptions, ExportProblem, links, status, units};
use crate::plan::columns::{Col, names};
use crate::plan::error::{Problem, ProblemKind};
use crate::plan::warning::Warning;
use crate::plan::{Calendar, LinkKind, LinkSpec, Status};

/// A record of an export, in slipcast's terms.
pub(in crate::plan) struct Translated {
    /// Its line.
    pub line: u64,
    /// The cells of slipcast's columns (`likely` in working days, `status`
    /// as todo, in_progress or done).
    pub cells: HashMap<Col, String>,
    /// Its links by id; `None` when a `depends_on` column is mapped, whose
    /// cell is then read as slipcast's own.
    pub links: Option<Vec<LinkSpec>>,
    /// Whether a problem with its estimate was already reported.
    pub estimate_told: bool,
}

/// What a translation reads with.
pub(in crate::plan) struct Context<'a> {
    pub file: &'a str,
    pub header_line: u64,
    pub headers: &'a csv::StringRecord,
    /// The file's delimiter is `;`: numbers may have decimal commas.
    pub decimal_comma: bool,
    pub options: &'a ExportOptions,
    /// The columns named with `--map`.
    pub mapped: &'a HashMap<Col, usize>,
}

/// Translates the records of an export of `shape`. Problems are pushed
/// with the record's line and id; warnings (a link to an issue the file
/// does not have, unknown statuses) likewise.
pub(in crate::plan) fn translate(
    shape: Shape,
    ctx: &Context<'_>,
    records: &[(u64, csv::StringRecord)],
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Warning>,
) -> Vec<Translated> {
    let h = Header::new(ctx.headers);
    let mut t = Translator {
        ctx,
        h: &h,
        problems,
        warnings,
        calendar: ctx.options.calendar.clone().unwrap_or_else(|| {
            Calendar::weekdays(NaiveDate::from_ymd_opt(2000, 1, 3).unwrap_or_default())
        }),
    };
    let mut rows = match shape {
        Shape::Jira => t.jira(records),
        Shape::Asana => t.asana(records),
        _ => t.schedule(shape, records),
    };
    // One entry per record: `None` for a record left out (a summary row).
    for (row, (_, rec)) in rows.iter_mut().zip(records) {
        if let Some(row) = row {
            t.passthrough(row, rec);
        }
    }
    let rows: Vec<Translated> = rows.into_iter().flatten().collect();
    // A plan with no range at all is warned about once, for every kind of
    // plan, by the scenario's lint.
    rows
}

/// A translation under way: what it reads with, and where its problems
/// and warnings go.
pub(super) struct Translator<'a, 'p> {
    pub(super) ctx: &'a Context<'a>,
    pub(super) h: &'a Header,
    pub(super) problems: &'p mut Vec<Problem>,
    pub(super) warnings: &'p mut Vec<Warning>,
    calendar: Calendar,
}

/// A record's cell by column index; blank when absent.
pub(super) fn cell(rec: &csv::StringRecord, i: Option<usize>) -> &str {
    i.and_then(|i| rec.get(i))
        .map_or("", |c| crate::plan::cells::text(c).trim())
}

impl Translator<'_, '_> {
    pub(super) fn column(&self, i: Option<usize>) -> String {
        i.and_then(|i| self.ctx.headers.get(i))
            .unwrap_or_default()
            .trim()
            .to_string()
    }

    pub(super) fn push(&mut self, line: u64, task: &str, p: ExportProblem) {
        self.problems.push(Problem {
            file: self.ctx.file.into(),
            line: Some(line),
            task: (!task.is_empty()).then(|| task.to_string()),
            kind: ProblemKind::Export(p),
        });
    }

    pub(super) fn mapped(&self, col: Col) -> bool {
        self.ctx.mapped.contains_key(&col)
    }

    pub(super) fn new_row(&self, line: u64, id: &str, name: &str) -> Translated {
        let mut cells = HashMap::new();
        cells.insert(Col::Id, id.to_string());
        cells.insert(Col::Name, name.to_string());
        Translated {
            line,
            cells,
            links: Some(Vec::new()),
            estimate_told: false,
        }
    }

    /// slipcast's own range columns (`low`, `high`, `dist`, `confidence`)
    /// where the export has them, then the `--map` columns, which win.
    fn passthrough(&self, row: &mut Translated, rec: &csv::StringRecord) {
        let numeric = [Col::Low, Col::Likely, Col::High, Col::Confidence];
        for col in [Col::Low, Col::High, Col::Dist, Col::Confidence] {
            let v = cell(rec, self.h.find(names(col)));
            if !v.is_empty() {
                row.cells
                    .insert(col, units::number_text(v, self.ctx.decimal_comma));
            }
        }
        for (&col, &i) in self.ctx.mapped {
            let v = cell(rec, Some(i));
            let v = if numeric.contains(&col) {
                units::number_text(v, self.ctx.decimal_comma)
            } else {
                v.to_string()
            };
            if col == Col::DependsOn {
                row.links = None;
            }
            if col == Col::Likely {
                row.estimate_told = false;
            }
            row.cells.insert(col, v);
        }
    }

    /// Working days from `start` through `end`, both counted, on the run's
    /// calendar.
    fn working_days(&self, start: NaiveDate, end: NaiveDate) -> f64 {
        let mut n = 0u64;
        let mut d = start;
        while d <= end {
            if self.calendar.is_working(d) {
                n += 1;
            }
            match d.succ_opt() {
                Some(next) => d = next,
                None => break,
            }
        }
        n as f64
    }

    /// The working days between two date cells; `None` (with the problem
    /// pushed) when one is not a date or the end comes first.
    fn dates(
        &mut self,
        line: u64,
        id: &str,
        (start_col, start): (Option<usize>, &str),
        (end_col, end): (Option<usize>, &str),
    ) -> Option<f64> {
        let (sc, ec) = (self.column(start_col), self.column(end_col));
        let s = units::date(&sc, start);
        let e = units::date(&ec, end);
        let (s, e) = match (s, e) {
            (Ok(s), Ok(e)) => (s, e),
            (s, e) => {
                for p in [s.err(), e.err()].into_iter().flatten() {
                    self.push(line, id, p);
                }
                return None;
            }
        };
        if e < s {
            self.push(
                line,
                id,
                ExportProblem::EndBeforeStart {
                    start_column: sc,
                    start: s.to_string(),
                    end_column: ec,
                    end: e.to_string(),
                },
            );
            return None;
        }
        if (e - s).num_days() > 200_000 {
            self.push(
                line,
                id,
                ExportProblem::BadDate {
                    column: ec,
                    value: end.into(),
                },
            );
            return None;
        }
        Some(self.working_days(s, e))
    }

    /// MS Project and Smartsheet: ids by `ID` or row number, a duration
    /// or dates, predecessors by id.
    fn schedule(
        &mut self,
        shape: Shape,
        records: &[(u64, csv::StringRecord)],
    ) -> Vec<Option<Translated>> {
        let h = self.h;
        let id_col = h.find(ID);
        let (name, duration, preds) = (h.find(NAME), h.find(DURATION), h.find(PREDECESSORS));
        let (start, end) = (h.find(START), h.find(END));
        let (pct, stat, summary) = (h.find(PERCENT_COMPLETE), h.find(STATUS), h.find(SUMMARY));
        let dates_first = shape == Shape::Smartsheet;
        let dc = self.ctx.decimal_comma;
        let mut out = Vec::new();
        for (line, rec) in records {
            let line = *line;
            if matches!(
                cell(rec, summary).to_ascii_lowercase().as_str(),
                "yes" | "true" | "1"
            ) {
                out.push(None);
                continue;
            }
            let id = match id_col {
                Some(_) => cell(rec, id_col).to_string(),
                None => (line - self.ctx.header_line).to_string(),
            };
            let mut row = self.new_row(line, &id, cell(rec, name));
            let (d, s, e) = (cell(rec, duration), cell(rec, start), cell(rec, end));
            let has_dates = !s.is_empty() && !e.is_empty();
            let days = if self.mapped(Col::Likely) {
                None
            } else if has_dates && (dates_first || d.is_empty()) {
                self.dates(line, &id, (start, s), (end, e))
            } else if !d.is_empty() {
                let col = self.column(duration);
                units::duration(&col, d, dc)
                    .map_err(|p| self.push(line, &id, p))
                    .ok()
            } else {
                let hint = if duration.is_some() {
                    "Duration is blank; give it (5d, 3w, 2.5h) or Start and Finish dates"
                } else {
                    "give both Start and End dates"
                };
                self.push(line, &id, ExportProblem::NoDuration(hint.into()));
                None
            };
            match days {
                Some(d) => {
                    row.cells
                        .insert(Col::Likely, units::number_text(&d.to_string(), false));
                }
                None => row.estimate_told = !self.mapped(Col::Likely),
            }
            let pct_done = units::number_text(cell(rec, pct).trim_end_matches('%'), dc)
                .parse::<f64>()
                .is_ok_and(|p| p >= 100.0);
            if pct_done || status::category(cell(rec, stat)) == Some(Status::Done) {
                row.cells.insert(Col::Status, "done".into());
                row.estimate_told = false;
            }
            let (links, problems) = links::predecessors(cell(rec, preds), dc);
            for p in problems {
                self.push(line, &id, p);
            }
            row.links = Some(links);
            out.push(Some(row));
        }
        out
    }

    /// Asana: `Task ID`, dates, `Completed At`, and `Blocked By` by id or
    /// name.
    fn asana(&mut self, records: &[(u64, csv::StringRecord)]) -> Vec<Option<Translated>> {
        let h = self.h;
        let (id_col, name) = (h.find(TASK_ID), h.find(NAME));
        let (start, due) = (h.find(START_DATE), h.find(DUE_DATE));
        let (done, blocked) = (h.find(COMPLETED_AT), h.find(BLOCKED_BY));
        let ids: HashSet<&str> = records.iter().map(|(_, r)| cell(r, id_col)).collect();
        let mut by_name: HashMap<&str, &str> = HashMap::new();
        for (_, r) in records {
            by_name.entry(cell(r, name)).or_insert(cell(r, id_col));
        }
        let resolve = |r: &str| -> Option<String> {
            ids.contains(r)
                .then(|| r.to_string())
                .or_else(|| by_name.get(r).map(|s| s.to_string()))
        };
        let mut out = Vec::new();
        for (line, rec) in records {
            let line = *line;
            let id = cell(rec, id_col).to_string();
            let mut row = self.new_row(line, &id, cell(rec, name));
            let (s, e) = (cell(rec, start), cell(rec, due));
            if !self.mapped(Col::Likely) {
                // A task with a due date alone takes that day, as Asana's
                // timeline draws it.
                let (sc, s) = if s.is_empty() { (due, e) } else { (start, s) };
                let days = if e.is_empty() {
                    self.push(line, &id, ExportProblem::NoDuration("Due Date is blank; give it (and a Start Date for a task of several days)".into()));
                    None
                } else {
                    self.dates(line, &id, (sc, s), (due, e))
                };
                match days {
                    Some(d) => {
                        row.cells.insert(Col::Likely, d.to_string());
                    }
                    None => row.estimate_told = true,
                }
            }
            if !cell(rec, done).is_empty() {
                row.cells.insert(Col::Status, "done".into());
                row.estimate_told = false;
            }
            let text = cell(rec, blocked);
            let refs: Vec<&str> = if text.is_empty() {
                Vec::new()
            } else if resolve(text).is_some() {
                vec![text]
            } else {
                links::references(text).collect()
            };
            let mut specs = Vec::new();
            for r in refs {
                match resolve(r) {
                    Some(from) => specs.push(fs(from)),
                    None => self.warnings.push(Warning {
                        file: self.ctx.file.into(),
                        line: Some(line),
                        task: Some(id.clone()),
                        message: format!("is blocked by \"{r}\", which is not a task of this file (by Task ID or Name); the link is read as already met"),
                    }),
                }
            }
            row.links = Some(specs);
            out.push(Some(row));
        }
        out
    }
}

/// A finish-to-start link from `from`.
pub(super) fn fs(from: String) -> LinkSpec {
    LinkSpec {
        from,
        kind: LinkKind::FS,
        lag: 0.0,
        whole: None,
    }
}
