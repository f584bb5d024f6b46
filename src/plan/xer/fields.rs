//! Reading a table's rows into records: each value by field name, every
//! problem of a row kept (a row with problems makes no record), required
//! fields checked once per table, and keys checked for uniqueness.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use super::super::error::Problem;
use super::codes::ConstraintType;
use super::model::Constraint;
use super::problem::XerProblem;
use super::reader::{Row, Table};

/// One row being read: its values, with every problem found kept.
///
/// Getters return a placeholder when a value cannot be read; a row with
/// problems is never made into a record.
pub(super) struct Fields<'a> {
    pub(super) table: &'a Table,
    pub(super) row: &'a Row,
    pub(super) problems: Vec<Problem>,
}

impl<'a> Fields<'a> {
    pub(super) fn new(table: &'a Table, row: &'a Row) -> Fields<'a> {
        Fields {
            table,
            row,
            problems: Vec::new(),
        }
    }

    pub(super) fn keep<T>(&mut self, r: Result<T, Box<Problem>>) -> Option<T> {
        r.map_err(|p| self.problems.push(*p)).ok()
    }

    pub(super) fn id(&mut self, field: &str) -> u64 {
        let r = self.row.id(self.table, field);
        self.keep(r).unwrap_or_default()
    }

    pub(super) fn number(&mut self, field: &str) -> f64 {
        let r = self.row.number(self.table, field);
        self.keep(r).unwrap_or_default()
    }

    /// Text that may be blank.
    pub(super) fn text(&mut self, field: &str) -> String {
        let r = self.row.text(self.table, field);
        self.keep(r).unwrap_or_default().to_string()
    }

    /// Text that must not be blank.
    pub(super) fn filled(&mut self, field: &str) -> String {
        let t = self.text(field);
        if t.trim().is_empty() {
            self.blank(field);
        }
        t
    }

    pub(super) fn blank(&mut self, field: &str) {
        self.problems.push(self.row.problem(
            self.table,
            XerProblem::Blank {
                table: self.table.name.clone(),
                field: field.into(),
            },
        ));
    }

    /// `None` when the table lacks the field or the value is blank.
    pub(super) fn optional<T>(
        &mut self,
        field: &str,
        get: fn(&Row, &Table, &str) -> Result<T, Box<Problem>>,
    ) -> Option<T> {
        if !self.row.has(self.table, field) {
            return None;
        }
        let r = get(self.row, self.table, field);
        self.keep(r)
    }

    pub(super) fn date(&mut self, field: &str) -> Option<NaiveDateTime> {
        self.optional(field, Row::date)
    }

    /// `Y` is true; `N` and blank are false.
    pub(super) fn flag(&mut self, field: &str) -> bool {
        match self.text(field).trim() {
            "Y" | "y" => true,
            "N" | "n" | "" => false,
            other => {
                let p = self.unknown(field, other, &["Y", "N"]);
                self.problems.push(p);
                false
            }
        }
    }

    pub(super) fn unknown(&self, field: &str, value: &str, codes: &[&str]) -> Problem {
        self.row.problem(
            self.table,
            XerProblem::UnknownCode {
                table: self.table.name.clone(),
                field: field.into(),
                value: value.into(),
                expected: codes.join(", "),
            },
        )
    }

    /// A code that must be one of `codes`.
    pub(super) fn code<T>(
        &mut self,
        field: &str,
        codes: &[&str],
        from: fn(&str) -> Option<T>,
    ) -> Option<T> {
        let text = self.text(field);
        let text = text.trim();
        if text.is_empty() {
            self.blank(field);
            return None;
        }
        let value = from(text);
        if value.is_none() {
            let p = self.unknown(field, text, codes);
            self.problems.push(p);
        }
        value
    }

    /// A constraint from its type and date fields, `None` when the type is
    /// blank or absent.
    pub(super) fn constraint(&mut self, kind_field: &str, date_field: &str) -> Option<Constraint> {
        let text = self.row.value(self.table, kind_field)?.trim();
        if text.is_empty() {
            return None;
        }
        let kind = self.code(kind_field, ConstraintType::CODES, ConstraintType::from_code)?;
        let date = self.date(date_field);
        if kind.has_date() && !self.row.has(self.table, date_field) {
            self.problems.push(self.row.problem(
                self.table,
                XerProblem::ConstraintWithoutDate {
                    table: self.table.name.clone(),
                    field: kind_field.into(),
                    constraint: text.into(),
                    date_field: date_field.into(),
                },
            ));
        }
        Some(Constraint {
            kind,
            date: date.filter(|_| kind.has_date()),
        })
    }
}

/// A table's key field, and how to get it from a record.
pub(super) type Key<T> = (&'static str, fn(&T) -> Option<u64>);

/// Reads the records of one table: checks its required fields once, then
/// makes each row that has no problem into a record with `make`, and
/// checks that `key` (a field's value per record) is unique.
pub(super) fn records<T>(
    table: Option<&Table>,
    required: &[&str],
    key: Option<Key<T>>,
    make: impl Fn(&mut Fields) -> T,
    problems: &mut Vec<Problem>,
) -> Vec<T> {
    let Some(table) = table else {
        return Vec::new();
    };
    let missing: Vec<Problem> = required
        .iter()
        .filter_map(|f| table.require(f).err().map(|p| *p))
        .collect();
    if !missing.is_empty() {
        problems.extend(missing);
        return Vec::new();
    }
    let mut out = Vec::with_capacity(table.rows().len());
    let mut seen: HashMap<u64, u64> = HashMap::new();
    for row in table.rows() {
        let mut fields = Fields::new(table, row);
        let record = make(&mut fields);
        if !fields.problems.is_empty() {
            problems.append(&mut fields.problems);
            continue;
        }
        if let Some((field, id)) = key.and_then(|(f, key)| Some((f, key(&record)?))) {
            if let Some(&first_line) = seen.get(&id) {
                problems.push(row.problem(
                    table,
                    XerProblem::DuplicateKey {
                        table: table.name.clone(),
                        field: field.into(),
                        id,
                        first_line,
                    },
                ));
                continue;
            }
            seen.insert(id, row.line);
        }
        out.push(record);
    }
    out
}
