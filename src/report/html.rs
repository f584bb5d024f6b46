//! `index.html`: the leadership report as one self-contained page.
//!
//! Everything is inline: the CSS in a `<style>` element, each chart as an
//! `<svg>` element. There are no scripts, web fonts, images or links to
//! fetch, so the page opens the same offline, from an email attachment or a
//! file share, and prints cleanly.

use std::fmt::Write;

use super::chart::ChartKind;
use super::document::{Cell, DateTone, Document, Table};
use super::inert;
use super::trend::HistorySection;
use super::world::WorldSection;

/// Escapes text for HTML element content and attribute values: the markup
/// characters `& < > " '` as references, and the characters that are not
/// allowed or not safe in a page (C0 and C1 controls, bidi overrides,
/// U+FFFE/U+FFFF) shown as escapes like `\u{1b}`, as
/// [`inert::visible`] shows them.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in inert::visible(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root { --ink: #1f2937; --muted: #5b6470; --line: #e5e7eb; --soft: #f6f7f9;
  --p80: #dd6b20; --plan: #c53030; --accent: #1f4e79; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.5 "Segoe UI", "Helvetica Neue", Helvetica, Arial, "DejaVu Sans", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 40px 32px 64px; }
h1 { font-size: 30px; line-height: 1.2; margin: 0 0 6px; }
h2 { font-size: 21px; margin: 48px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 17px; margin: 0 0 8px; }
.sub { color: var(--muted); margin: 0 0 24px; }
.sub .dated { display: block; }
.headline { font-size: 22px; line-height: 1.4; font-weight: 600; margin: 0;
  padding: 18px 22px; border-left: 6px solid var(--p80); background: #fdf3eb; }
.spread { color: var(--muted); margin: 12px 0 0; }
.dates { display: grid; grid-template-columns: repeat(4, 1fr); gap: 14px; margin: 24px 0 0; }
.date { border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
.date .label { font-size: 13px; font-weight: 700; letter-spacing: .06em; text-transform: uppercase;
  color: var(--muted); }
.date .value { font-size: 21px; font-weight: 700; margin: 2px 0; white-space: nowrap; }
.date .note { font-size: 14px; color: var(--muted); }
.date.commit { border: 2px solid var(--p80); }
.date.commit .label, .date.commit .value { color: var(--p80); }
.date.plan .label, .date.plan .value { color: var(--plan); }
dl.inputs { display: grid; grid-template-columns: max-content 1fr; gap: 4px 20px; margin: 0; }
dl.inputs dt { color: var(--muted); }
dl.inputs dd { margin: 0; overflow-wrap: anywhere; }
figure { margin: 0 0 40px; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
figcaption { color: var(--muted); font-size: 14px; margin-top: 8px; }
.files { font-size: 14px; color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 13px; color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td { font-variant-numeric: tabular-nums; white-space: nowrap; }
td:first-child, td.wrap { white-space: normal; }
td.wrap { min-width: 9em; overflow-wrap: anywhere; }
td.wrap:first-child { overflow-wrap: break-word; }
tbody tr:nth-child(even) { background: var(--soft); }
td .detail { display: block; font-size: 12px; color: var(--muted); }
td.bar { position: relative; min-width: 92px; }
td.bar span.fill { position: absolute; left: 0; top: 6px; height: 21px; background: #cfe0f1; }
td.bar span.text { position: relative; }
.note { font-size: 13px; color: var(--muted); margin: 8px 0 0; }
footer { margin-top: 48px; font-size: 13px; color: var(--muted); }
.certain { font-size: 17px; margin: 0 0 24px; padding: 14px 18px; background: var(--soft);
  border-left: 4px solid var(--accent); }
@media screen and (max-width: 760px) { .dates { grid-template-columns: repeat(2, 1fr); }
  main { padding: 24px 16px; } }
/* Paper, A4 or Letter: the page's own margins, nothing wider than the
   sheet, a figure or a table row never split across pages, headings kept
   with what follows them, colours printed as on screen. */
@page { margin: 14mm 12mm; }
@media print {
  html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 10pt; }
  main { padding: 0; max-width: none; }
  h1 { font-size: 19pt; }
  h2 { font-size: 13.5pt; margin: 14pt 0 6pt; break-after: avoid; page-break-after: avoid; }
  .sub { margin-bottom: 10pt; }
  .headline { font-size: 12.5pt; padding: 8pt 12pt; }
  .spread { font-size: 9.5pt; margin-top: 6pt; }
  .dates { grid-template-columns: repeat(4, 1fr); gap: 6pt; margin-top: 10pt; }
  .date { padding: 6pt 8pt; }
  .date .label { font-size: 8pt; }
  .date .value { font-size: 11.5pt; white-space: normal; }
  .date .note { font-size: 8pt; }
  .headline, .dates, .date, dl.inputs, figure, tr, .certain { break-inside: avoid; page-break-inside: avoid; }
  figure { margin: 0 0 14pt; }
  figure svg { max-width: 100%; max-height: 100mm; border: none; }
  svg, img { max-width: 100%; height: auto; }
  figcaption, .note, footer { font-size: 8pt; }
  table { font-size: 8pt; }
  thead { display: table-header-group; }
  th { font-size: 7.5pt; }
  th, td { padding: 3pt 4pt; }
  td.bar { min-width: 0; }
  td .detail { font-size: 7pt; }
  td.bar span.fill { top: 3pt; height: 12pt; }
  footer { margin-top: 16pt; }
}
"#;

/// Makes a standalone SVG document fit for inlining: no XML prolog, no
/// namespace declaration (HTML supplies it), scaled to the page width, and
/// labelled for screen readers.
pub fn inline_svg(svg: &str, label: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    let body = &svg[start..];
    let Some(end) = body.find('>') else {
        return body.to_string();
    };
    let tag = &body[..end];
    let attr = |name: &str| -> Option<String> {
        let key = format!(" {name}=\"");
        let i = tag.find(&key)? + key.len();
        let j = tag[i..].find('"')? + i;
        Some(tag[i..j].to_string())
    };
    let view_box = attr("viewBox").unwrap_or_default();
    format!(
        "<svg viewBox=\"{}\" role=\"img\" aria-label=\"{}\" preserveAspectRatio=\"xMidYMid meet\"{}",
        escape(&view_box),
        escape(label),
        &body[end..]
    )
}

fn table(out: &mut String, t: &Table) {
    out.push_str("<table>\n<thead><tr>");
    for (name, numeric) in &t.columns {
        let class = if *numeric { " class=\"num\"" } else { "" };
        let _ = write!(out, "<th{class}>{}</th>", escape(name));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for (cell, (_, numeric)) in row.iter().zip(&t.columns) {
            cell_html(out, cell, *numeric);
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    if !t.note.is_empty() {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(&t.note));
    }
}

/// Cells longer than this many characters may wrap (lists, WBS paths);
/// shorter ones (dates, numbers, intervals) stay on one line.
const WRAP_AFTER: usize = 22;

fn cell_html(out: &mut String, c: &Cell, numeric: bool) {
    let mut classes = Vec::new();
    if numeric {
        classes.push("num");
    }
    if c.text.chars().count() > WRAP_AFTER {
        classes.push("wrap");
    }
    if c.bar.is_some() {
        classes.push("bar");
    }
    let class = if classes.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", classes.join(" "))
    };
    let text = if c.strong {
        format!("<strong>{}</strong>", escape(&c.text))
    } else {
        escape(&c.text)
    };
    let _ = write!(out, "<td{class}>");
    if let Some(share) = c.bar {
        let _ = write!(
            out,
            "<span class=\"fill\" style=\"width:{:.1}%\"></span><span class=\"text\">{text}</span>",
            (share.clamp(0.0, 1.0) * 100.0)
        );
    } else {
        out.push_str(&text);
    }
    if let Some(d) = &c.detail {
        let _ = write!(out, "<span class=\"detail\">{}</span>", escape(d));
    }
    out.push_str("</td>");
}

/// The section on one percentile's world: its sentence, its Gantt chart
/// (inlined) and its tables.
fn world(out: &mut String, w: &WorldSection) {
    let _ = writeln!(out, "<h2 id=\"world\">{}</h2>", escape(&w.heading));
    let _ = writeln!(out, "<p>{}</p>", escape(&w.sentence));
    let _ = writeln!(
        out,
        "<figure id=\"gantt\">\n{}\n<figcaption>{} <span class=\"files\">(gantt.png, \
         gantt.svg)</span></figcaption>\n</figure>",
        inline_svg(&w.svg, &w.title),
        escape(&w.caption)
    );
    table(out, &w.path);
    if let Some(r) = &w.risks {
        table(out, r);
    }
}

/// The section on the forecast's history: its finding, the trend and
/// waterfall charts (inlined) and its tables.
fn history(out: &mut String, h: &HistorySection) {
    out.push_str("<h2 id=\"history\">How the forecast moved</h2>\n");
    let _ = writeln!(out, "<p class=\"headline\">{}.</p>", escape(&h.headline));
    for s in &h.sentences {
        let _ = writeln!(out, "<p>{}</p>", escape(s));
    }
    for (id, (title, svg), caption) in [
        ("trend", &h.trend, super::document::TREND_CAPTION),
        (
            "waterfall",
            &h.waterfall,
            super::document::WATERFALL_CAPTION,
        ),
    ] {
        let _ = writeln!(
            out,
            "<figure id=\"{id}\">\n{}\n<figcaption>{} <span class=\"files\">({id}.png, \
             {id}.svg)</span></figcaption>\n</figure>",
            inline_svg(svg, title),
            escape(caption)
        );
    }
    table(out, &h.snapshots);
    table(out, &h.causes);
}

/// Renders the page. `svg(kind)` gives each figure's SVG document.
pub fn render(doc: &Document, svg: impl Fn(ChartKind) -> Option<String>) -> String {
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // Nothing may be fetched: the page is complete as it is.
    s.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" \
         content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
    );
    let _ = writeln!(
        s,
        "<meta name=\"generator\" content=\"{}\">",
        escape(&doc.generator)
    );
    let _ = writeln!(s, "<title>{}</title>", escape(&doc.title));
    let _ = writeln!(s, "<style>{CSS}</style>\n</head>\n<body>\n<main>");
    let _ = writeln!(s, "<h1>{}</h1>", escape(&doc.title));
    let plan = doc
        .inputs
        .iter()
        .find(|(k, _)| k == "Simulation")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "<p class=\"sub\">Monte Carlo schedule forecast \u{b7} {}<span class=\"dated\">{}</span></p>",
        escape(plan),
        escape(&doc.dated)
    );
    let _ = writeln!(s, "<p class=\"headline\">{}</p>", escape(&doc.headline));
    if !doc.spread.is_empty() {
        let _ = writeln!(s, "<p class=\"spread\">{}</p>", escape(&doc.spread));
    }
    s.push_str("<div class=\"dates\">\n");
    for d in &doc.key_dates {
        let class = match d.tone {
            DateTone::Plain => "date",
            DateTone::Commit => "date commit",
            DateTone::Plan => "date plan",
        };
        let _ = writeln!(
            s,
            "<div class=\"{class}\"><div class=\"label\">{}</div><div class=\"value\">{}</div>\
             <div class=\"note\">{}</div></div>",
            escape(&d.label),
            escape(&d.date),
            escape(&d.note)
        );
    }
    s.push_str("</div>\n");
    if let Some(h) = &doc.history {
        history(&mut s, h);
    }
    s.push_str("<h2 id=\"inputs\">Inputs</h2>\n<dl class=\"inputs\">\n");
    for (k, v) in &doc.inputs {
        let _ = writeln!(s, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(v));
    }
    s.push_str("</dl>\n");
    s.push_str("<h2 id=\"charts\">Charts</h2>\n");
    if let Some(c) = &doc.certain {
        let _ = writeln!(s, "<p class=\"certain\">{}</p>", escape(c));
    }
    for fig in &doc.figures {
        let Some(svg) = svg(fig.kind) else {
            continue;
        };
        let _ = writeln!(
            s,
            "<figure id=\"{}\">\n{}\n<figcaption>{} <span class=\"files\">({}.png, {}.svg)</span></figcaption>\n</figure>",
            fig.kind.file_stem(),
            inline_svg(&svg, &fig.title),
            escape(&fig.caption),
            fig.kind.file_stem(),
            fig.kind.file_stem()
        );
    }
    if let Some(w) = &doc.world {
        world(&mut s, w);
    }
    if let Some(d) = &doc.drivers {
        s.push_str("<h2 id=\"drivers\">What drives the date</h2>\n");
        table(&mut s, d);
    }
    if let Some(r) = &doc.risks {
        s.push_str("<h2 id=\"risks\">Risk register</h2>\n");
        table(&mut s, r);
    }
    if let Some(c) = &doc.capacity {
        s.push_str("<h2 id=\"capacity\">Team capacity</h2>\n");
        table(&mut s, c);
    }
    s.push_str("<h2 id=\"tasks\">Tasks</h2>\n");
    table(&mut s, &doc.tasks);
    let _ = writeln!(
        s,
        "<footer>Made with {}. The same results are in forecast.json, tasks.csv, \
         percentiles.csv and drivers.csv next to this page; summary.md has this report \
         for a wiki.</footer>",
        escape(&doc.generator)
    );
    s.push_str("</main>\n</body>\n</html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("R&D <b>\"x\"</b>"),
            "R&amp;D &lt;b&gt;&quot;x&quot;&lt;/b&gt;"
        );
        assert_eq!(
            escape("a\u{b}b\u{1b}[0m\u{202e}\u{ffff}<"),
            "a\\u{b}b\\u{1b}[0m\\u{202e}\\u{ffff}&lt;"
        );
    }

    #[test]
    fn inlined_svg_keeps_the_view_box_and_drops_the_namespace() {
        let svg = "<svg width=\"10\" height=\"5\" viewBox=\"0 0 10 5\" \
                   xmlns=\"http://www.w3.org/2000/svg\">\n<rect/></svg>";
        let out = inline_svg(svg, "A & B");
        assert!(out.starts_with("<svg viewBox=\"0 0 10 5\" role=\"img\" aria-label=\"A &amp; B\""));
        assert!(!out.contains("http"));
        assert!(out.ends_with("<rect/></svg>"));
    }
}
