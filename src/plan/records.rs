//! The one CSV record reader behind every file slipcast reads: plans,
//! edges, risk registers, correlations, holidays and ranges.
//!
//! It gives each record the line an editor shows for it, skips blank rows,
//! comment lines (`#`) and a leading byte order mark, and refuses, in place
//! and by line, the records that would otherwise be read wrongly without a
//! word: a quoted cell that runs over several lines (how an unbalanced quote
//! swallows the rows after it), a quote that never closes, and a row with
//! more non-blank cells than the header has columns (an unquoted comma).

use super::error::{CsvError, Problem, ProblemKind};

/// Maps a record's position to the line an editor shows for it.
///
/// The csv reader reports where it *started* reading a record, which is the
/// first of any blank or comment lines before it; this skips those.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The 1-based line of the record that the reader started at `byte`.
    ///
    /// After a CRLF line end the reader starts the next record at the
    /// `\n` (it ends a record at the `\r`), which is still on the line
    /// before; a start on a line end is read as the start of the next line.
    fn line_of(&self, byte: u64) -> u64 {
        let mut byte = byte as usize;
        if self.text.as_bytes().get(byte) == Some(&b'\n') {
            byte += 1;
        }
        let mut li = self.starts.partition_point(|&s| s <= byte).max(1) - 1;
        while li + 1 < self.starts.len() {
            let line = &self.text[self.starts[li]..self.starts[li + 1]];
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                li += 1;
            } else {
                break;
            }
        }
        li as u64 + 1
    }

    /// The byte where a 1-based line starts.
    fn start(&self, line: u64) -> usize {
        self.starts[(line as usize - 1).min(self.starts.len() - 1)]
    }

    /// The number of the last line with any text on it.
    fn last(&self) -> u64 {
        let n = self.starts.len() as u64;
        if self.text.ends_with('\n') { n - 1 } else { n }.max(1)
    }
}

/// The shared reader of every CSV slipcast reads (plans, edges, risks,
/// correlations, holidays): the header, then each record with the line an
/// editor shows for it, blank records skipped.
///
/// A record that cannot be trusted comes back as an `Err(Problem)` in its
/// place, so callers report it where it stands and go on: a quoted cell that
/// runs over several lines (an unbalanced quote swallows the rows after it),
/// a quote that never closes, and a row with more non-blank cells than the
/// header has columns (an unquoted comma). Rows may be shorter than the
/// header (the missing cells read as blank), and extra cells that are blank
/// (trailing commas) are ignored. A leading byte order mark is skipped.
pub(super) struct Records<'t> {
    file: &'t str,
    text: &'t str,
    lines: Lines<'t>,
    rdr: csv::Reader<&'t [u8]>,
    headers: csv::StringRecord,
    header_line: u64,
    delimiter: u8,
}

/// The delimiters a file may use, the first winning a tie.
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// The delimiter of a file: the one of `,`, `;` and tab found most often
/// outside quotes on its header line (the first line that is neither blank
/// nor a comment); `,` when none is.
///
/// Spreadsheets in locales with a decimal comma save "CSV" with `;`, and
/// copying a table out of a spreadsheet or a tracker gives tabs.
pub(super) fn sniff_delimiter(text: &str) -> u8 {
    let Some(header) = text.lines().find(|l| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    }) else {
        return b',';
    };
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    for b in header.bytes() {
        match b {
            b'"' => in_quotes = !in_quotes,
            _ if in_quotes => {}
            _ => {
                if let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
                    counts[i] += 1;
                }
            }
        }
    }
    let mut best = 0;
    for i in 1..DELIMITERS.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    DELIMITERS[best]
}

impl<'t> Records<'t> {
    /// Reads the header (the first record that is not a comment).
    ///
    /// # Errors
    ///
    /// A [`Problem`] when the header itself cannot be read; an empty file
    /// has an empty header.
    pub(super) fn new(file: &'t str, text: &'t str) -> Result<Records<'t>, Box<Problem>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let delimiter = sniff_delimiter(text);
        let rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let mut records = Records {
            file,
            text,
            lines: Lines::new(text),
            rdr,
            headers: csv::StringRecord::new(),
            header_line: 1,
            delimiter,
        };
        if let Some(first) = records.read(false) {
            let (line, headers) = first.map_err(Box::new)?;
            records.headers = headers;
            records.header_line = line;
        }
        Ok(records)
    }

    /// The header's cells.
    pub(super) fn headers(&self) -> &csv::StringRecord {
        &self.headers
    }

    /// The first header column that is one of `names` (lower case, with
    /// `_` between words), the header read as [`normalise`] does.
    pub(super) fn column(&self, names: &[&str]) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| names.contains(&normalise(h).as_str()))
    }

    /// The delimiter the file uses (see [`sniff_delimiter`]).
    pub(super) fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// The header's line (1 unless comment lines come first).
    pub(super) fn header_line(&self) -> u64 {
        self.header_line
    }

    /// The next record that can be read, with its line. Each record that
    /// cannot is pushed onto `problems`, in its place, and passed over: the
    /// loop `while let Some((line, rec)) = records.next_reporting(&mut
    /// problems)` reports every bad row and reads the rest.
    pub(super) fn next_reporting(
        &mut self,
        problems: &mut Vec<Problem>,
    ) -> Option<(u64, csv::StringRecord)> {
        loop {
            match self.next()? {
                Ok(row) => return Some(row),
                Err(p) => problems.push(p),
            }
        }
    }

    /// [`Records::next_reporting`] for a file of several sections, each
    /// with its own header (a calendars file): a row may be wider than the
    /// first header.
    pub(super) fn next_in_sections(
        &mut self,
        problems: &mut Vec<Problem>,
    ) -> Option<(u64, csv::StringRecord)> {
        loop {
            match self.read(false)? {
                Ok(row) => return Some(row),
                Err(p) => problems.push(p),
            }
        }
    }

    fn problem(&self, line: u64, kind: ProblemKind) -> Problem {
        Problem {
            file: self.file.into(),
            line: Some(line),
            task: None,
            kind,
        }
    }

    /// The next record that is not blank; `check_width` compares its length
    /// with the header's.
    fn read(&mut self, check_width: bool) -> Option<Result<(u64, csv::StringRecord), Problem>> {
        loop {
            let mut rec = csv::StringRecord::new();
            match self.rdr.read_record(&mut rec) {
                Ok(false) => return None,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(1, |p| self.lines.line_of(p.byte()));
                    return Some(Err(
                        self.problem(line, ProblemKind::Csv(CsvError::from_csv(&e)))
                    ));
                }
            }
            if rec.iter().all(str::is_empty) {
                continue;
            }
            let line = rec.position().map_or(1, |p| self.lines.line_of(p.byte()));
            let end = (self.rdr.position().byte() as usize).min(self.text.len());
            let raw = &self.text[self.lines.start(line).min(end)..end];
            if let Some(kind) = quote_problem(raw, line, self.lines.last(), self.delimiter) {
                let open = match kind {
                    ProblemKind::QuoteSpansLines { open, .. }
                    | ProblemKind::UnclosedQuote { open, .. } => open,
                    _ => line,
                };
                return Some(Err(self.problem(open, kind)));
            }
            let width = self.headers.len();
            if check_width && rec.len() > width && rec.iter().skip(width).any(|c| !c.is_empty()) {
                let found = rec.len();
                return Some(Err(self.problem(
                    line,
                    ProblemKind::TooManyCells {
                        found,
                        expected: width,
                    },
                )));
            }
            return Some(Ok((line, rec)));
        }
    }
}

/// A header cell as column names are written: trimmed, lower case, with
/// spaces and hyphens read as underscores (`Most Likely` and `most-likely`
/// are `most_likely`), without a byte order mark, and without a unit of
/// days in brackets (`Low (days)` is `low`; `Effort (hours)` keeps its
/// unit, and so matches no column).
pub(super) fn normalise(h: &str) -> String {
    let h = h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
    // A unit of days in brackets says what the column already means
    // (`Low (days)`); other units (`Effort (hours)`) stay, and do not match.
    let h = ["(days)", "(day)", "(d)", "(working days)", "[days]", "[d]"]
        .iter()
        .find_map(|unit| h.strip_suffix(unit))
        .map_or(h.as_str(), str::trim_end);
    h.replace([' ', '-'], "_")
}

impl Iterator for Records<'_> {
    type Item = Result<(u64, csv::StringRecord), Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        self.read(true)
    }
}

/// Scans the raw text of one record (from its first line to its end) as the
/// csv reader does, and finds a quoted cell that runs past a line end or
/// never closes. `first` is the record's line, `last` the file's last line,
/// `delimiter` the file's.
fn quote_problem(raw: &str, first: u64, last: u64, delimiter: u8) -> Option<ProblemKind> {
    let bytes = raw.as_bytes();
    let (mut in_quotes, mut cell_start) = (false, true);
    let (mut line, mut open) = (first, first);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        if in_quotes {
            match b {
                // `""` inside quotes is one literal quote.
                b'"' if bytes.get(i) == Some(&b'"') => i += 1,
                b'"' if line > open => {
                    return Some(ProblemKind::QuoteSpansLines { open, close: line });
                }
                b'"' => in_quotes = false,
                b'\n' => line += 1,
                _ => {}
            }
            continue;
        }
        match b {
            // A quote opens a cell only as its first character.
            b'"' if cell_start => {
                in_quotes = true;
                open = line;
            }
            b'\r' => {
                cell_start = true;
                continue;
            }
            d if d == delimiter => {
                cell_start = true;
                continue;
            }
            b'\n' => {
                line += 1;
                cell_start = true;
                continue;
            }
            _ => {}
        }
        cell_start = false;
    }
    in_quotes.then_some(ProblemKind::UnclosedQuote {
        open,
        last: last.max(open),
    })
}

/// A [`ProblemKind::MissingColumn`] for each required column not found:
/// `(found, column, aliases)`, in order.
pub(super) fn missing_columns(required: &[(Option<usize>, &str, &str)]) -> Vec<ProblemKind> {
    required
        .iter()
        .filter(|(found, ..)| found.is_none())
        .map(|&(_, column, aliases)| ProblemKind::MissingColumn {
            column: column.into(),
            aliases: aliases.into(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scanner reads quotes as the csv reader does: only a cell's first
    /// character opens one, and `""` inside quotes is a literal quote.
    #[test]
    fn quote_scanner() {
        let spans = |open, close| Some(ProblemKind::QuoteSpansLines { open, close });
        let unclosed = |open, last| Some(ProblemKind::UnclosedQuote { open, last });
        let cases: &[(&str, Option<ProblemKind>)] = &[
            ("a,b,c\n", None),
            ("a,\"b, c\",d\n", None),
            ("a,\"say \"\"hi\"\"\",d\n", None),
            ("a,b\"c,d\n", None),
            ("a, \"b,c\n", None),
            ("a,\"b\"x,c\r\n", None),
            ("a,\"b\nc\",d\n", spans(5, 6)),
            ("a,\"b\n\nc\n\"\n", spans(5, 8)),
            ("a,\"b,c\n", unclosed(5, 9)),
            ("a,\"b,c", unclosed(5, 9)),
            ("a,\"\"\"b\nc\"\n", spans(5, 6)),
        ];
        for (raw, want) in cases {
            assert_eq!(&quote_problem(raw, 5, 9, b','), want, "{raw:?}");
        }
    }

    #[test]
    fn records_skip_a_bom_and_blank_rows() {
        let text = "\u{feff}# note\nid,x\n\n,\na,1\n";
        let mut r = Records::new("f.csv", text).unwrap();
        assert_eq!(r.header_line(), 2);
        assert_eq!(&r.headers()[0], "id");
        assert_eq!(r.column(&["key", "x"]), Some(1));
        let (line, rec) = r.next().unwrap().unwrap();
        assert_eq!((line, &rec[0]), (5, "a"));
        assert!(r.next().is_none());
    }

    /// Regression: after a CRLF line end the csv reader starts the next
    /// record at the `\n`, which was counted on the line before, so every
    /// line of a CRLF file was reported one too low.
    #[test]
    fn crlf_lines_are_the_lines_an_editor_shows() {
        let text = "id,x\r\na,1\r\n\r\n# note\r\nb,2\r\nc,\"3\r\n";
        let mut r = Records::new("f.csv", text).unwrap();
        assert_eq!(r.header_line(), 1);
        let (line, rec) = r.next().unwrap().unwrap();
        assert_eq!((line, &rec[0]), (2, "a"));
        let (line, rec) = r.next().unwrap().unwrap();
        assert_eq!((line, &rec[0]), (5, "b"));
        let p = r.next().unwrap().unwrap_err();
        assert_eq!(p.line, Some(6));
    }

    #[test]
    fn the_delimiter_is_sniffed_from_the_header_outside_quotes() {
        for (text, want) in [
            ("id,name\n", b','),
            ("id;name;low\n", b';'),
            ("id\tname\tlow\n", b'\t'),
            ("# a;b;c\n\n\"a;b\",c\n", b','),
            ("id\n", b','),
            ("", b','),
            ("\"a,b\";c\n", b';'),
        ] {
            assert_eq!(sniff_delimiter(text), want, "{text:?}");
        }
        let mut r = Records::new("f.csv", "id;low\r\n\"a;1\";2,5\r\n").unwrap();
        assert_eq!(r.delimiter(), b';');
        let (line, rec) = r.next().unwrap().unwrap();
        assert_eq!((line, &rec[0], &rec[1]), (2, "a;1", "2,5"));
    }
}
