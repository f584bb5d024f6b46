//! `summary.md`: the leadership report for a wiki or a doc, with the charts
//! as images next to it (`finish.png`, ...).

use std::fmt::Write;

use super::document::{Cell, Document, Table};
use super::inert;
use super::trend::HistorySection;
use super::world::WorldSection;

/// Escapes text for a Markdown table cell or paragraph: the characters that
/// would start markup or end a cell, and control characters shown as
/// escapes like `\u{1b}` (see [`inert::visible`]).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in inert::visible(s).chars() {
        match c {
            '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn cell(c: &Cell) -> String {
    let mut s = escape(&c.text);
    if c.strong && !s.is_empty() {
        s = format!("**{s}**");
    }
    if let Some(d) = &c.detail {
        // A code span: no backticks inside, and `\|` so that a pipe does
        // not end the table cell (GitHub-flavoured Markdown).
        let code = inert::visible_line(d).replace('`', "'").replace('|', "\\|");
        s.push_str(&format!(" (`{code}`)"));
    }
    s
}

fn table(out: &mut String, t: &Table) {
    let head: Vec<String> = t.columns.iter().map(|(n, _)| escape(n)).collect();
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let rule: Vec<&str> = t
        .columns
        .iter()
        .map(|(_, numeric)| if *numeric { "---:" } else { "---" })
        .collect();
    let _ = writeln!(out, "| {} |", rule.join(" | "));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(cell).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    if !t.note.is_empty() {
        let _ = writeln!(out, "\n{}", escape(&t.note));
    }
}

/// The section on one percentile's world: its sentence, its Gantt chart
/// (as an image) and its tables.
fn world(out: &mut String, w: &WorldSection) {
    let _ = writeln!(
        out,
        "\n## {}\n\n{}",
        escape(&w.heading),
        escape(&w.sentence)
    );
    let _ = writeln!(
        out,
        "\n![{}](gantt.png)\n\n{} ([SVG](gantt.svg))\n",
        escape(&w.title),
        escape(&w.caption)
    );
    table(out, &w.path);
    if let Some(r) = &w.risks {
        out.push('\n');
        table(out, r);
    }
}

/// The section on the forecast's history.
fn history(out: &mut String, h: &HistorySection) {
    let _ = writeln!(
        out,
        "\n## How the forecast moved\n\n**{}.**",
        escape(&h.headline)
    );
    for s in &h.sentences {
        let _ = writeln!(out, "\n{}", escape(s));
    }
    for (id, (title, _), caption) in [
        ("trend", &h.trend, super::document::TREND_CAPTION),
        (
            "waterfall",
            &h.waterfall,
            super::document::WATERFALL_CAPTION,
        ),
    ] {
        let _ = writeln!(
            out,
            "\n![{}]({id}.png)\n\n{} ([SVG]({id}.svg))",
            escape(title),
            escape(caption)
        );
    }
    out.push('\n');
    table(out, &h.snapshots);
    out.push('\n');
    table(out, &h.causes);
}

/// Renders the summary.
pub fn render(doc: &Document) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", escape(&doc.title));
    let _ = writeln!(s, "{}\n", escape(&doc.dated));
    let _ = writeln!(s, "**{}**\n", escape(&doc.headline));
    if !doc.spread.is_empty() {
        let _ = writeln!(s, "{}\n", escape(&doc.spread));
    }
    s.push_str("| | Date | |\n| --- | --- | --- |\n");
    for d in &doc.key_dates {
        let _ = writeln!(
            s,
            "| **{}** | {} | {} |",
            escape(&d.label),
            escape(&d.date),
            escape(&d.note)
        );
    }
    if let Some(h) = &doc.history {
        history(&mut s, h);
    }
    s.push_str("\n## Inputs\n\n");
    for (k, v) in &doc.inputs {
        let _ = writeln!(s, "- {}: {}", escape(k), escape(v));
    }
    s.push_str("\n## Charts\n");
    if let Some(c) = &doc.certain {
        let _ = writeln!(s, "\n{}", escape(c));
    }
    for f in &doc.figures {
        let stem = f.kind.file_stem();
        let _ = writeln!(
            s,
            "\n### {}\n\n![{}]({stem}.png)\n\n{} ([SVG]({stem}.svg))",
            escape(&f.title),
            escape(&f.title),
            escape(&f.caption)
        );
    }
    if let Some(w) = &doc.world {
        world(&mut s, w);
    }
    if let Some(d) = &doc.drivers {
        s.push_str("\n## What drives the date\n\n");
        table(&mut s, d);
    }
    if let Some(r) = &doc.risks {
        s.push_str("\n## Risk register\n\n");
        table(&mut s, r);
    }
    if let Some(c) = &doc.capacity {
        s.push_str("\n## Team capacity\n\n");
        table(&mut s, c);
    }
    s.push_str("\n## Tasks\n\n");
    table(&mut s, &doc.tasks);
    let _ = writeln!(
        s,
        "\n---\n\nMade with {}. Full results: `forecast.json`, `tasks.csv`, `percentiles.csv`, \
         `drivers.csv`; the same report as one page: `index.html`.",
        escape(&doc.generator)
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_table_breakers() {
        assert_eq!(escape("a|b *c* <x>"), "a\\|b \\*c\\* \\<x\\>");
        assert_eq!(escape("a\u{1b}b\nc"), "a\\\\u{1b}b c");
    }
}
