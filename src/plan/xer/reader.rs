//! The XER text format: a header line, then tables of tab-separated rows.
//!
//! ```text
//! ERMHDR  23.12  2025-04-24  ...          the header: version, export date
//! %T  TASK                                a table
//! %F  task_id  proj_id  task_code  ...    its field names
//! %R  116763   4533     A1000      ...    one row per activity
//! %E                                      the end of the file
//! ```
//!
//! Values are separated by tabs, with no quoting: a value holds no tab and
//! no line break. Lines end in LF or CR LF. Tables and fields are named, and
//! both their order and the extra fields differ between P6 versions, so
//! values are always looked up by field name ([`Row::text`] and the typed
//! getters beside it), never by position.
//!
//! The header also names the person who exported the file; [`parse`] keeps
//! only the version and the export date.
//!
//! P6 writes XER in the code page of the Windows machine that exported it,
//! not in UTF-8, so [`parse`] reads windows-1252 unless told otherwise or
//! the text is plainly Cyrillic (windows-1251: see [`code_page`]): any byte
//! decodes, and a file from, say, a Greek machine reads with the wrong
//! letters instead of failing (pass e.g. windows-1253 to read them right).
//! A byte order mark wins over either.

use chrono::{NaiveDate, NaiveDateTime};

use super::super::TextEncoding;
use super::super::error::{LoadError, Problem};
use super::problem::XerProblem;

/// The first word of every XER file.
const MAGIC: &[u8] = b"ERMHDR";

/// Characters of an unknown line shown in its problem.
const SHOWN: usize = 20;

/// Whether `bytes` look like an XER file: they start with `ERMHDR`, after
/// an optional UTF-8 or UTF-16 byte order mark.
///
/// # Examples
///
/// ```
/// use slipcast::plan::xer::is_xer;
/// assert!(is_xer(b"ERMHDR\t23.12\t2025-04-24\n"));
/// assert!(is_xer(b"\xEF\xBB\xBFERMHDR\t8.0\n"));
/// assert!(!is_xer(b"id,name,low,likely,high\n"));
/// ```
pub fn is_xer(bytes: &[u8]) -> bool {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return rest.starts_with(MAGIC);
    }
    let utf16 = |rest: &[u8], low_first: bool| {
        rest.len() >= 2 * MAGIC.len()
            && MAGIC.iter().zip(rest.chunks_exact(2)).all(|(&m, pair)| {
                let (lo, hi) = if low_first {
                    (pair[0], pair[1])
                } else {
                    (pair[1], pair[0])
                };
                lo == m && hi == 0
            })
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false);
    }
    bytes.starts_with(MAGIC)
}

/// A whole XER file, read into named tables.
///
/// A `Xer` that exists is well formed: every table has its field names,
/// no row has more values than its table has fields, and the file ends
/// with `%E`. What the values mean is read by [`read`](super::read).
#[derive(Debug, Clone, PartialEq)]
pub struct Xer {
    /// The P6 version that wrote the file, as in its header (e.g. `23.12`).
    pub version: String,
    /// The day the file was exported, from its header.
    pub exported: Option<NaiveDate>,
    /// The encoding the file was read in (e.g. `windows-1252`).
    pub encoding: &'static str,
    /// The file, as the user named it, for problems.
    file: String,
    /// The tables, in file order.
    tables: Vec<Table>,
}

impl Xer {
    /// The table with this name (`TASK`, `TASKPRED`, ...), if the file has
    /// it. P6 leaves out the tables it has no rows for.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// Every table, in file order.
    pub fn tables(&self) -> &[Table] {
        &self.tables
    }

    /// The file, as named to [`parse`].
    pub fn file(&self) -> &str {
        &self.file
    }
}

/// One table of an XER file: its field names and its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The table's name, e.g. `TASK`.
    pub name: String,
    /// The line of its `%T` line.
    pub line: u64,
    /// The line of its `%F` line.
    fields_line: u64,
    /// The file, as the user named it, for problems.
    file: String,
    fields: Vec<String>,
    rows: Vec<Row>,
}

impl Table {
    /// The position of a field in the rows, by its name in the `%F` line.
    pub fn field(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f == name)
    }

    /// The field names, in the order of the `%F` line.
    pub fn fields(&self) -> &[String] {
        &self.fields
    }

    /// The rows, in file order.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// The line of the table's `%F` (field names) line.
    pub fn fields_line(&self) -> u64 {
        self.fields_line
    }

    /// A problem at `line` of this table's file.
    pub(super) fn problem(&self, line: u64, kind: XerProblem) -> Problem {
        problem(&self.file, Some(line), kind)
    }

    /// A problem at the `%F` line when the table lacks `field`.
    ///
    /// # Errors
    ///
    /// [`XerProblem::MissingField`] when the `%F` line does not name it.
    pub fn require(&self, field: &str) -> Result<usize, Box<Problem>> {
        self.field(field).ok_or_else(|| {
            Box::new(self.problem(
                self.fields_line,
                XerProblem::MissingField {
                    table: self.name.clone(),
                    field: field.into(),
                },
            ))
        })
    }
}

/// One `%R` row of a table.
///
/// Its values are read by field name, through the table it belongs to:
/// `row.text(table, "task_code")`. A row may have fewer values than its
/// table has fields; the missing ones read as blank.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The row's line in the file.
    pub line: u64,
    values: Vec<String>,
}

impl Row {
    /// The value of a field as written, `None` when the table has no such
    /// field. A blank value is `Some("")`.
    pub fn value(&self, table: &Table, field: &str) -> Option<&str> {
        let i = table.field(field)?;
        Some(self.values.get(i).map_or("", String::as_str))
    }

    /// Whether the field exists and its value is not blank.
    pub fn has(&self, table: &Table, field: &str) -> bool {
        self.value(table, field)
            .is_some_and(|v| !v.trim().is_empty())
    }

    /// The text of a field, as written (possibly blank).
    ///
    /// # Errors
    ///
    /// [`XerProblem::MissingField`] when the table has no such field.
    pub fn text<'r>(&'r self, table: &Table, field: &str) -> Result<&'r str, Box<Problem>> {
        table.require(field)?;
        Ok(self.value(table, field).unwrap_or(""))
    }

    /// The non-blank value of a field, trimmed.
    fn filled<'r>(&'r self, table: &Table, field: &str) -> Result<&'r str, Box<Problem>> {
        let v = self.text(table, field)?.trim();
        if v.is_empty() {
            return Err(Box::new(self.problem(
                table,
                XerProblem::Blank {
                    table: table.name.clone(),
                    field: field.into(),
                },
            )));
        }
        Ok(v)
    }

    /// A date and time as P6 writes them, `YYYY-MM-DD HH:MM` (seconds,
    /// `YYYY-MM-DD HH:MM:SS`, and a bare `YYYY-MM-DD` meaning midnight, are
    /// read too).
    ///
    /// # Errors
    ///
    /// A [`Problem`] naming the file, line, table, field and value when the
    /// field is missing or blank, or the value is not such a date.
    pub fn date(&self, table: &Table, field: &str) -> Result<NaiveDateTime, Box<Problem>> {
        let v = self.filled(table, field)?;
        parse_date_time(v).ok_or_else(|| {
            Box::new(self.problem(
                table,
                XerProblem::BadDate {
                    table: table.name.clone(),
                    field: field.into(),
                    value: v.into(),
                },
            ))
        })
    }

    /// A finite number, such as `8`, `-16` or `870.333333` (hours in P6).
    ///
    /// # Errors
    ///
    /// A [`Problem`] naming the file, line, table, field and value when the
    /// field is missing or blank, or the value is not a finite number.
    pub fn number(&self, table: &Table, field: &str) -> Result<f64, Box<Problem>> {
        let v = self.filled(table, field)?;
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            _ => Err(Box::new(self.problem(
                table,
                XerProblem::BadNumber {
                    table: table.name.clone(),
                    field: field.into(),
                    value: v.into(),
                },
            ))),
        }
    }

    /// An id: P6 keys (`task_id`, `proj_id`, `clndr_id`, ...) are whole
    /// numbers.
    ///
    /// # Errors
    ///
    /// A [`Problem`] naming the file, line, table, field and value when the
    /// field is missing or blank, or the value is not a whole number.
    pub fn id(&self, table: &Table, field: &str) -> Result<u64, Box<Problem>> {
        let v = self.filled(table, field)?;
        v.parse::<u64>().map_err(|_| {
            Box::new(self.problem(
                table,
                XerProblem::BadId {
                    table: table.name.clone(),
                    field: field.into(),
                    value: v.into(),
                },
            ))
        })
    }

    /// A problem on this row.
    pub(super) fn problem(&self, table: &Table, kind: XerProblem) -> Problem {
        table.problem(self.line, kind)
    }
}

/// `YYYY-MM-DD HH:MM`, with seconds or without a time accepted too.
fn parse_date_time(v: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M:%S"))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(chrono::NaiveTime::MIN))
        })
}

fn problem(file: &str, line: Option<u64>, kind: XerProblem) -> Problem {
    Problem {
        file: file.into(),
        line,
        task: None,
        kind: kind.into(),
    }
}

/// The code page of a file that is not UTF-8: windows-1251 when most of its
/// bytes beyond ASCII are Cyrillic letters in runs (words written in
/// windows-1251: every letter is such a byte), else windows-1252, the code
/// page of most P6 exports (where such bytes are accented letters, one at a
/// time among ASCII ones, or punctuation).
fn code_page(body: &[u8]) -> TextEncoding {
    // The letters of windows-1251: А..я, and Ё, ё.
    let letter = |b: u8| b >= 0xC0 || b == 0xA8 || b == 0xB8;
    let (mut high, mut in_words, mut run) = (0usize, 0usize, 0usize);
    for &b in body.iter().chain([b' '].iter()) {
        if letter(b) {
            run += 1;
            continue;
        }
        if run >= 3 {
            in_words += run;
        }
        high += run + usize::from(b >= 0x80);
        run = 0;
    }
    let label = if in_words >= 6 && 2 * in_words > high {
        "windows-1251"
    } else {
        "windows-1252"
    };
    // Labels of the WHATWG standard: `for_label` cannot refuse them.
    TextEncoding::for_label(label).unwrap_or_default()
}

/// A table being read.
struct Building {
    table: Table,
    /// Whether the `%F` line was read.
    has_fields: bool,
    /// Whether a `%R` before the `%F` was reported.
    orphans_reported: bool,
    /// Whether a second `%F` line was found: the `%T` line of the table it
    /// belongs to is lost, so the rows that follow are not checked against
    /// this table's fields (one problem, not one per row).
    lost: bool,
}

/// Reads an XER file into its tables.
///
/// `file` names the file in problems. `encoding` is the code page it was
/// exported in; `None` reads a file that is valid UTF-8 as UTF-8, and any
/// other as windows-1252, which decodes any byte (the letters of a file from
/// another code page come out wrong rather than failing). A byte order mark
/// wins over either.
///
/// # Errors
///
/// [`LoadError::Invalid`] with every problem found, each with its line: an
/// empty file, a file that is not XER, a file cut short (no `%E`), a `%F`
/// without a `%T`, a `%R` before its `%F`, a row with more values than its
/// table has fields (blank extra values are ignored), a table given twice,
/// a line that is not an XER record, or bytes that are not text in the
/// encoding (only possible with an explicit encoding or a byte order mark).
///
/// # Examples
///
/// ```
/// use slipcast::plan::xer;
/// let text = "ERMHDR\t23.12\t2025-04-24\n%T\tTASK\n%F\ttask_id\ttask_code\n%R\t7\tA100\n%E\n";
/// let xer = xer::parse("p.xer", text.as_bytes(), None).unwrap();
/// assert_eq!(xer.version, "23.12");
/// let task = xer.table("TASK").unwrap();
/// let row = &task.rows()[0];
/// assert_eq!((row.id(task, "task_id").unwrap(), row.text(task, "task_code").unwrap()), (7, "A100"));
/// assert_eq!(row.line, 4);
/// ```
pub fn parse(file: &str, bytes: &[u8], encoding: Option<TextEncoding>) -> Result<Xer, LoadError> {
    let invalid = |problems| LoadError::Invalid { problems };
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(invalid(vec![problem(file, Some(1), XerProblem::Empty)]));
    }
    if !is_xer(bytes) {
        return Err(invalid(vec![problem(file, Some(1), XerProblem::NotXer)]));
    }
    // Without an encoding: a file that is valid UTF-8 is read as UTF-8 (a
    // code-page file with letters beyond ASCII almost never is), any other
    // in the code page its bytes look like.
    let encoding = encoding.unwrap_or_else(|| match std::str::from_utf8(body) {
        Ok(_) => TextEncoding::UTF_8,
        Err(_) => code_page(body),
    });
    let text = encoding
        .decode(file, bytes)
        .map_err(|p| invalid(vec![*p]))?;

    let mut problems = Vec::new();
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let header = lines.next().unwrap_or("");
    let mut parts = header.split('\t').skip(1).map(str::trim);
    let version = parts.next().unwrap_or("").to_string();
    let exported = parts
        .next()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());

    let mut tables: Vec<Table> = Vec::new();
    let mut current: Option<Building> = None;
    let mut end: Option<u64> = None;
    let mut last = 1;
    // Rows before any table are reported once, not one by one.
    let mut loose_rows = false;
    for (n, line) in lines.enumerate() {
        let n = n as u64 + 2;
        if line.trim().is_empty() {
            continue;
        }
        last = n;
        if let Some(end) = end {
            problems.push(problem(file, Some(n), XerProblem::AfterEnd { end }));
            break;
        }
        let (marker, rest) = line.split_once('\t').unwrap_or((line, ""));
        let at = |kind| problem(file, Some(n), kind);
        match marker.trim_end() {
            "%T" => {
                if let Some(b) = current.take() {
                    finish(b, &mut tables, &mut problems);
                }
                let name = rest.split('\t').next().unwrap_or("").trim();
                if name.is_empty() {
                    problems.push(at(XerProblem::TableWithoutName));
                }
                if let Some(first) = tables.iter().find(|t| t.name == name) {
                    problems.push(at(XerProblem::DuplicateTable {
                        table: name.into(),
                        first_line: first.line,
                    }));
                }
                current = Some(Building {
                    table: Table {
                        name: name.into(),
                        line: n,
                        fields_line: n,
                        file: file.into(),
                        fields: Vec::new(),
                        rows: Vec::new(),
                    },
                    has_fields: false,
                    orphans_reported: false,
                    lost: false,
                });
            }
            "%F" => match &mut current {
                None => problems.push(at(XerProblem::FieldsWithoutTable)),
                Some(b) if b.has_fields => {
                    b.lost = true;
                    problems.push(at(XerProblem::FieldsAgain {
                        table: b.table.name.clone(),
                        first_line: b.table.fields_line,
                    }));
                }
                Some(b) => {
                    b.has_fields = true;
                    b.table.fields_line = n;
                    b.table.fields = rest.split('\t').map(|f| f.trim().to_string()).collect();
                }
            },
            "%R" => match &mut current {
                None if loose_rows => {}
                None => {
                    loose_rows = true;
                    problems.push(at(XerProblem::RowWithoutTable));
                }
                Some(b) if !b.has_fields => {
                    if !b.orphans_reported {
                        b.orphans_reported = true;
                        problems.push(at(XerProblem::RowBeforeFields {
                            table: b.table.name.clone(),
                        }));
                    }
                }
                Some(b) if b.lost => {}
                Some(b) => {
                    let mut values: Vec<String> = rest.split('\t').map(String::from).collect();
                    let expected = b.table.fields.len();
                    if values.len() > expected {
                        if values[expected..].iter().any(|v| !v.trim().is_empty()) {
                            problems.push(at(XerProblem::TooManyValues {
                                table: b.table.name.clone(),
                                found: values.len(),
                                expected,
                            }));
                        }
                        values.truncate(expected);
                    }
                    b.table.rows.push(Row { line: n, values });
                }
            },
            "%E" => end = Some(n),
            "ERMHDR" => problems.push(at(XerProblem::SecondHeader)),
            _ => problems.push(at(XerProblem::UnknownLine {
                start: line.chars().take(SHOWN).collect(),
            })),
        }
    }
    if let Some(b) = current.take() {
        finish(b, &mut tables, &mut problems);
    }
    if end.is_none() {
        problems.push(problem(file, Some(last), XerProblem::Truncated { last }));
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(invalid(problems));
    }
    Ok(Xer {
        version,
        exported,
        encoding: encoding.name(),
        file: file.into(),
        tables,
    })
}

/// Ends a table: one without field names is a problem (unless its rows
/// already were).
fn finish(b: Building, tables: &mut Vec<Table>, problems: &mut Vec<Problem>) {
    if !b.has_fields && !b.orphans_reported {
        problems.push(b.table.problem(
            b.table.line,
            XerProblem::NoFields {
                table: b.table.name.clone(),
            },
        ));
    }
    tables.push(b.table);
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "ERMHDR\t23.12\t2025-04-24\tProject\tsomeone\n\
        %T\tTASK\n\
        %F\ttask_id\ttask_code\tremain_drtn_hr_cnt\tact_start_date\n\
        %R\t1\tA1\t8\t2025-04-22 08:00\n\
        %R\t2\tA2\t\t\n\
        %E\n";

    fn messages(text: &str) -> Vec<String> {
        match parse("p.xer", text.as_bytes(), None) {
            Ok(_) => Vec::new(),
            Err(e) => e.problems().iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn reads_tables_rows_and_typed_values() {
        let xer = parse("p.xer", GOOD.as_bytes(), None).unwrap();
        assert_eq!(xer.version, "23.12");
        assert_eq!(xer.exported, NaiveDate::from_ymd_opt(2025, 4, 24));
        let t = xer.table("TASK").unwrap();
        assert_eq!((t.line, t.fields_line()), (2, 3));
        assert_eq!(t.field("task_code"), Some(1));
        let [r1, r2] = t.rows() else { panic!() };
        assert_eq!(r1.id(t, "task_id").unwrap(), 1);
        assert_eq!(r1.number(t, "remain_drtn_hr_cnt").unwrap(), 8.0);
        assert_eq!(
            r1.date(t, "act_start_date").unwrap().to_string(),
            "2025-04-22 08:00:00"
        );
        assert!(!r2.has(t, "act_start_date"));
        assert_eq!(r2.text(t, "act_start_date").unwrap(), "");
        assert_eq!(
            r2.number(t, "remain_drtn_hr_cnt").unwrap_err().to_string(),
            "p.xer:5: TASK.remain_drtn_hr_cnt is blank; P6 always fills it in, so the file was written by another program or edited; fill it in or export the project again from P6 (File > Export > Primavera PM (XER), export type Project)"
        );
        assert_eq!(
            r2.text(t, "wbs_id").unwrap_err().to_string(),
            "p.xer:3: table TASK has no wbs_id field; P6 writes it in every XER export, so the file was written by another program or edited; export the project again from P6 (File > Export > Primavera PM (XER), export type Project)"
        );
    }

    #[test]
    fn bad_values_name_table_field_and_value() {
        let text = GOOD.replace("\t8\t", "\t8h\t").replace("\t1\t", "\tone\t");
        let xer = parse("p.xer", text.as_bytes(), None).unwrap();
        let t = xer.table("TASK").unwrap();
        let r = &t.rows()[0];
        assert_eq!(
            r.id(t, "task_id").unwrap_err().to_string(),
            "p.xer:4: TASK.task_id \"one\" is not an id (P6 ids are whole numbers such as 116763); correct it or export the project again from P6 (File > Export > Primavera PM (XER), export type Project)"
        );
        assert!(
            r.number(t, "remain_drtn_hr_cnt")
                .unwrap_err()
                .to_string()
                .starts_with("p.xer:4: TASK.remain_drtn_hr_cnt \"8h\" is not a number")
        );
        let text = GOOD.replace("2025-04-22 08:00", "22/04/2025");
        let xer = parse("p.xer", text.as_bytes(), None).unwrap();
        let t = xer.table("TASK").unwrap();
        assert!(
            t.rows()[0]
                .date(t, "act_start_date")
                .unwrap_err()
                .to_string()
                .starts_with("p.xer:4: TASK.act_start_date \"22/04/2025\" is not a date")
        );
    }

    #[test]
    fn crlf_and_bom_are_read() {
        let text = format!("\u{feff}{}", GOOD.replace('\n', "\r\n"));
        let xer = parse("p.xer", text.as_bytes(), None).unwrap();
        let t = xer.table("TASK").unwrap();
        assert_eq!(t.rows()[1].line, 5);
        assert_eq!(t.fields()[3], "act_start_date");
    }

    #[test]
    fn encodings() {
        let bytes = b"ERMHDR\t8.0\n%T\tTASK\n%F\ttask_name\n%R\t\xC7\xE0\xE4\xE0\xF7\xE0\n%E\n";
        let name = |enc: Option<TextEncoding>| {
            let xer = parse("p.xer", bytes, enc).unwrap();
            let t = xer.table("TASK").unwrap();
            t.rows()[0].text(t, "task_name").unwrap().to_string()
        };
        // Cyrillic words in runs of high bytes: read as windows-1251.
        assert_eq!(name(None), "Задача");
        assert_eq!(
            name(Some(TextEncoding::for_label("windows-1252").unwrap())),
            "Çàäà÷à"
        );
    }

    #[test]
    fn broken_files_are_reported_by_line() {
        assert_eq!(
            messages(""),
            [
                "p.xer:1: the file is empty; export the project again from P6 (File > Export > Primavera PM (XER), export type Project)"
            ]
        );
        assert!(
            messages("id,name\n")[0]
                .starts_with("p.xer:1: the file does not start with an ERMHDR line")
        );
        let cut = &GOOD[..GOOD.find("%R\t2").unwrap()];
        assert_eq!(
            messages(cut),
            [
                "p.xer:4: the file ends at line 4 without the %E line that closes every XER export, so it was cut short (an interrupted download, copy or attachment); export the project again from P6 (File > Export > Primavera PM (XER), export type Project)"
            ]
        );
        let all = messages(
            "ERMHDR\t8.0\n%F\ta\n%R\t1\n%R\t2\n%T\tA\n%R\t1\n%R\t2\n%F\tx\n%R\t1\t2\n%T\tB\n%T\tA\n%F\ta\nhello\n%E\nmore\n",
        );
        let expected = [
            "p.xer:2: a %F (fields) line before any %T (table) line",
            "p.xer:3: %R (row) lines from here on come before any %T (table) line",
            "p.xer:6: table A has %R rows from here on before its %F (fields) line",
            "p.xer:9: the row has 2 values but table A has 1 fields (its %F line)",
            "p.xer:10: table B has no %F (fields) line",
            "p.xer:11: table A appears again (first on line 5)",
            "p.xer:13: the line starts with \"hello\", which is not an XER record",
            "p.xer:15: the file goes on after its %E end line (line 14)",
        ];
        assert_eq!(all.len(), expected.len(), "{all:#?}");
        for (m, e) in all.iter().zip(expected) {
            assert!(m.starts_with(e), "{m}\n does not start with\n{e}");
        }
    }

    #[test]
    fn blank_extra_values_are_ignored() {
        let text = GOOD.replace("\t2025-04-22 08:00\n", "\t2025-04-22 08:00\t\t\n");
        let xer = parse("p.xer", text.as_bytes(), None).unwrap();
        assert_eq!(xer.table("TASK").unwrap().rows().len(), 2);
    }

    #[test]
    fn code_pages() {
        let cp = |bytes: &[u8]| code_page(bytes).name();
        // "Задача 1; Проект" in windows-1251.
        let cyrillic = b"\xC7\xE0\xE4\xE0\xF7\xE0 1; \xCF\xF0\xEE\xE5\xEA\xF2";
        assert_eq!(cp(cyrillic), "windows-1251");
        // "Müller Straße, Zürich, Café, déjà" in windows-1252.
        let western = b"M\xFCller Stra\xDFe, Z\xFCrich, Caf\xE9, d\xE9j\xE0";
        assert_eq!(cp(western), "windows-1252");
        assert_eq!(cp(b"plain ASCII"), "windows-1252");
        // A lone run (a name in capitals) is not a Cyrillic file.
        assert_eq!(
            cp(b"\xC9\xC9\xC9 caf\xE9 na\xEFve \xA9 \xAE \x96"),
            "windows-1252"
        );
    }

    #[test]
    fn detection() {
        assert!(is_xer(b"ERMHDR"));
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("ERMHDR\t".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("ERMHDR\t".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert!(is_xer(&le) && is_xer(&be));
        assert!(!is_xer(b"") && !is_xer(b"ERM") && !is_xer(b" ERMHDR"));
    }
}
