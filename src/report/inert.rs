//! Plan text made inert wherever slipcast writes it.
//!
//! A plan is often somebody else's file, and its text (task ids, names, team
//! and risk names, file names) reaches three kinds of reader that act on
//! text instead of showing it:
//!
//! | where | what the reader does | what slipcast writes instead |
//! | --- | --- | --- |
//! | CSV exports opened in a spreadsheet | runs a cell that starts with `=`, `+`, `-`, `@`, tab or carriage return as a formula (`=HYPERLINK(...)`, `=cmd\|...`) | [`csv_cell`]: `'` before such a text cell, as OWASP recommends |
//! | the terminal | obeys control characters: ESC and C1 sequences retitle, clear or recolour it, BEL rings, bidi overrides reorder the line | [`visible`]: each one shown as a Rust escape, `\u{1b}` |
//! | SVG charts and the HTML report | refuse the document when it holds a character XML forbids (most C0 controls, U+FFFE, U+FFFF) | the same [`visible`] escapes; `& < > " '` are escaped by the SVG backend and the HTML escaper |
//!
//! The JSON exports keep every text exact: JSON escapes what it must, and a
//! program reading it sees the plan as it was written.
//!
//! Reference: OWASP, *CSV Injection*
//! (<https://owasp.org/www-community/attacks/CSV_Injection>); Boucher and
//! Anderson, *Trojan Source* (CVE-2021-42574) for the bidi characters.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` is shown escaped rather than raw in terminal, chart and HTML
/// text: the C0 controls U+0000–U+001F, DEL, the C1 controls
/// U+0080–U+009F, the bidi embeddings and overrides U+202A–U+202E, the
/// bidi isolates U+2066–U+2069, and the noncharacters U+FFFE and U+FFFF
/// (which XML forbids).
///
/// Newline and tab are in the set; [`visible`] keeps them for layout and
/// [`visible_line`] does not.
///
/// # Examples
///
/// ```
/// use slipcast::report::inert::is_hostile;
/// assert!(is_hostile('\u{1b}') && is_hostile('\u{9b}') && is_hostile('\u{202e}'));
/// assert!(!is_hostile('é') && !is_hostile('\u{200b}'));
/// ```
pub fn is_hostile(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{fffe}'
            | '\u{ffff}'
    )
}

/// `text` with each character for which `escape` holds written as its Rust
/// escape (`\u{1b}`); borrowed when there is none.
fn escape_where(text: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    let Some(first) = text.find(&escape) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if escape(c) {
            let _ = write!(out, "{}", c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text fit for a terminal, an SVG chart or an HTML page: every
/// [hostile](is_hostile) character except newline and tab (which slipcast's
/// own layout uses) is shown as its escape, so `"\u{1b}]0;x\u{7}"` prints as
/// `\u{1b}]0;x\u{7}`. Nothing else changes, and text without such
/// characters is returned as it is (borrowed).
///
/// This is the one function every terminal text goes through: the forecast
/// summary, the cut-line and comparison tables, `validate`, progress
/// messages and error messages. Applying it twice changes nothing more.
///
/// - Cost: O(length); no allocation for clean text.
///
/// # Examples
///
/// ```
/// use slipcast::report::inert::visible;
/// assert_eq!(visible("a\u{1b}[2Jb\n"), "a\\u{1b}[2Jb\n");
/// assert_eq!(visible("R&D \u{202e}gpj.exe"), "R&D \\u{202e}gpj.exe");
/// ```
pub fn visible(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| is_hostile(c) && c != '\n' && c != '\t')
}

/// [`visible`] for text that must stay on one line (a table cell, a chart
/// label): newlines and tabs are escaped too.
///
/// # Examples
///
/// ```
/// use slipcast::report::inert::visible_line;
/// assert_eq!(visible_line("two\nlines"), "two\\u{a}lines");
/// ```
pub fn visible_line(text: &str) -> Cow<'_, str> {
    escape_where(text, is_hostile)
}

/// Whether `cell` is a plain decimal number (`-0.35`, `12`, `+1e-3`): a
/// spreadsheet reads it as that number, never as a formula.
fn is_number(cell: &str) -> bool {
    let s = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok =
        !(whole.is_empty() && fraction.is_empty()) && digits(whole) && digits(fraction);
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// A CSV cell a spreadsheet shows as text, never runs as a formula: a cell
/// that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
/// leading apostrophe (`=HYPERLINK(...)` becomes `'=HYPERLINK(...)`), the
/// neutralisation OWASP recommends for CSV injection. A cell that is a plain
/// number (`-0.350`, the way slipcast writes numbers) stays as it is, so
/// numeric columns remain numbers; any other cell is returned unchanged.
///
/// Every CSV export (`tasks.csv`, `drivers.csv`, `percentiles.csv`,
/// `cutline.csv`, `compare.csv`) writes every cell through this function,
/// and quotes a cell that holds `,`, `"` or a line break, so plan text
/// cannot start a cell of its own either. The apostrophe is visible when
/// the file is read as plain CSV (strip it from a cell whose next
/// character is one of the six to get the plan's text back); the JSON
/// exports have the exact text.
///
/// # Examples
///
/// ```
/// use slipcast::report::inert::csv_cell;
/// assert_eq!(csv_cell("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
/// assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
/// assert_eq!(csv_cell("-2+3"), "'-2+3");
/// assert_eq!(csv_cell("-0.350"), "-0.350");
/// assert_eq!(csv_cell("Checkout API"), "Checkout API");
/// ```
pub fn csv_cell(cell: &str) -> Cow<'_, str> {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula && !is_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Writes one CSV record with every cell through [`csv_cell`].
///
/// # Errors
///
/// What the CSV writer reports (an I/O error of `W`).
pub(crate) fn write_csv_record<W, I, S>(w: &mut ::csv::Writer<W>, cells: I) -> ::csv::Result<()>
where
    W: std::io::Write,
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    for cell in cells {
        w.write_field(csv_cell(cell.as_ref()).as_bytes())?;
    }
    w.write_record(None::<&[u8]>)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_get_an_apostrophe_and_numbers_do_not() {
        for (cell, want) in [
            ("=1+1", "'=1+1"),
            ("+1+1", "'+1+1"),
            ("-1+1", "'-1+1"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\tx", "'\tx"),
            ("\r=1", "'\r=1"),
            ("-inf", "'-inf"),
            ("-NaN", "'-NaN"),
            ("-", "'-"),
            ("-.", "'-."),
            ("-1e", "'-1e"),
            ("-e5", "'-e5"),
            ("-0.350", "-0.350"),
            ("+12", "+12"),
            ("-1.5e-3", "-1.5e-3"),
            ("-.5", "-.5"),
            ("2027-01-04", "2027-01-04"),
            ("a=b", "a=b"),
            ("", ""),
            (" =1", " =1"),
        ] {
            assert_eq!(csv_cell(cell), want, "{cell:?}");
        }
    }

    #[test]
    fn records_neutralise_every_cell() {
        let mut w = ::csv::Writer::from_writer(Vec::new());
        write_csv_record(&mut w, ["=A1", "-0.5", "x,y"]).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(text, "'=A1,-0.5,\"x,y\"\n");
    }

    #[test]
    fn controls_are_shown_escaped() {
        assert_eq!(visible("plain é 中 \u{200b}"), "plain é 中 \u{200b}");
        assert!(matches!(visible("clean"), Cow::Borrowed(_)));
        assert_eq!(
            visible("\u{7}\u{7f}\u{85}\u{9b}"),
            "\\u{7}\\u{7f}\\u{85}\\u{9b}"
        );
        assert_eq!(visible("a\r\nb\tc"), "a\\u{d}\nb\tc");
        assert_eq!(visible_line("a\r\nb\tc"), "a\\u{d}\\u{a}b\\u{9}c");
        assert_eq!(
            visible("\u{2066}x\u{2069}\u{fffe}"),
            "\\u{2066}x\\u{2069}\\u{fffe}"
        );
        let once = visible_line("\u{1b}[31mred");
        assert_eq!(visible_line(&once), once);
    }
}
