//! The views of an import (`slipcast import`): the short report on the
//! terminal, and the output folder with `plan.csv`, `calendars.csv` and
//! `import.json`.
//!
//! The CSV files hold plan text, so every cell is made inert
//! ([`super::inert::csv_cell`]: a cell starting with `=`, `+`, `-` or `@`
//! gets a leading apostrophe). That includes task ids: the plan reader
//! drops that apostrophe again, so a plan written here reads back with the
//! ids it had (an id such as `-A100` stays `-A100`), and a forecast of the
//! CSV draws the same random numbers as a forecast of the P6 file. A cell
//! that holds `#` is quoted, since the reader takes a line that starts with
//! `#` for a comment.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::format::{group_digits, long_date, long_date_time, pretty_json};
use super::inert::{visible, write_csv_record};
use super::{ExportError, OutputSet};
use crate::analysis::Imported;
use crate::plan::xer::{ActivityStatus, ActivityType, RangeCounts, RelationshipType};

/// The plan, as a plan CSV.
pub const PLAN_CSV: &str = "plan.csv";
/// Its calendars, as a calendars file (`--calendars`).
pub const CALENDARS_CSV: &str = "calendars.csv";
/// What the import did and how it replays, as JSON.
pub const IMPORT_JSON: &str = "import.json";

/// Items of a list the terminal report shows before `and N more`.
const SHOWN: usize = 10;

/// The rows of a table as CSV bytes, every cell inert, and quoted where it
/// holds a `#`: slipcast's reader takes a line that starts with `#` for a
/// comment, and an id such as `#100` must stay a task.
fn table(rows: &[Vec<String>]) -> Result<Vec<u8>, ExportError> {
    let fail = |e: csv::Error| ExportError::Format {
        format: "csv",
        message: e.to_string(),
    };
    let mut w = csv::WriterBuilder::new()
        .comment(Some(b'#'))
        .from_writer(Vec::new());
    for row in rows {
        write_csv_record(&mut w, row).map_err(fail)?;
    }
    w.into_inner().map_err(|e| fail(e.into_error().into()))
}

/// `plan.csv`: the imported plan as a plan CSV.
///
/// # Errors
///
/// [`ExportError::Format`] if the CSV writer fails.
pub fn plan_csv(i: &Imported) -> Result<Vec<u8>, ExportError> {
    table(&i.tables.plan)
}

/// `calendars.csv`: the plan's calendars, their exceptions and the
/// scheduling settings, a blank line between the sections.
///
/// # Errors
///
/// [`ExportError::Format`] if the CSV writer fails.
pub fn calendars_csv(i: &Imported) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::new();
    for (k, section) in i.tables.calendars.iter().flatten().enumerate() {
        if k > 0 {
            out.push(b'\n');
        }
        out.extend(table(section)?);
    }
    Ok(out)
}

/// The output folder of an import: `plan.csv`, `calendars.csv` and
/// `import.json`, dated when the import was made.
///
/// # Errors
///
/// [`ExportError::Format`] if a file cannot be written.
pub fn import_set(i: &Imported) -> Result<OutputSet, ExportError> {
    let mut set = OutputSet::new("import");
    set.generated_at(i.generated);
    set.add(PLAN_CSV, plan_csv(i)?);
    set.add(CALENDARS_CSV, calendars_csv(i)?);
    set.add(IMPORT_JSON, pretty_json(i)?);
    Ok(set)
}

/// `path` as one shell word: quoted when it holds a space or a character
/// the shell would act on.
fn shell_word(path: &str) -> String {
    let plain = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_alphanumeric() || "/._-+,:@%=".contains(c));
    if plain {
        path.to_string()
    } else {
        format!("'{}'", path.replace('\'', "'\\''"))
    }
}

/// `5 task, 2 finish milestone` from counts by P6 code, in words.
fn counts(by_code: &BTreeMap<String, usize>, word: impl Fn(&str) -> String) -> String {
    let mut parts: Vec<(usize, String)> =
        by_code.iter().map(|(code, &n)| (n, word(code))).collect();
    parts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    parts
        .iter()
        .map(|(n, w)| format!("{} {w}", group_digits(*n as u64)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn activity_type(code: &str) -> String {
    match ActivityType::from_code(code) {
        Some(ActivityType::Task) => "task".into(),
        Some(ActivityType::Resource) => "resource dependent".into(),
        Some(ActivityType::StartMilestone) => "start milestone".into(),
        Some(ActivityType::FinishMilestone) => "finish milestone".into(),
        Some(ActivityType::LevelOfEffort) => "level of effort".into(),
        Some(ActivityType::WbsSummary) => "WBS summary".into(),
        None => code.into(),
    }
}

fn activity_status(code: &str) -> String {
    match ActivityStatus::from_code(code) {
        Some(ActivityStatus::NotStarted) => "not started".into(),
        Some(ActivityStatus::InProgress) => "in progress".into(),
        Some(ActivityStatus::Completed) => "complete".into(),
        None => code.into(),
    }
}

fn link_type(code: &str) -> String {
    match RelationshipType::from_code(code) {
        Some(RelationshipType::FinishToStart) => "FS".into(),
        Some(RelationshipType::StartToStart) => "SS".into(),
        Some(RelationshipType::FinishToFinish) => "FF".into(),
        Some(RelationshipType::StartToFinish) => "SF".into(),
        None => code.into(),
    }
}

fn lag_rule(code: &str) -> &str {
    match code {
        "rcal_Predecessor" => "the predecessor's calendar",
        "rcal_Successor" => "the successor's calendar",
        "rcal_24Hour" => "24-hour days",
        "rcal_ProjDefault" => "the project's default calendar",
        other => other,
    }
}

/// `n thing` or `n things`.
fn plural(n: usize, thing: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{} {thing}{s}", group_digits(n as u64))
}

/// Lists `items` under a heading, at most [`SHOWN`] of them.
fn list(out: &mut String, heading: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "    {heading}:");
    for item in items.iter().take(SHOWN) {
        let _ = writeln!(out, "      {item}");
    }
    if items.len() > SHOWN {
        let _ = writeln!(
            out,
            "      ... and {} more (all in {IMPORT_JSON})",
            items.len() - SHOWN
        );
    }
}

/// The short import report: what was read, applied and left out, how the
/// plan replays against P6's dates, and the command that forecasts the CSV
/// written to `dir`.
pub fn import_text(i: &Imported, dir: &str) -> String {
    let r = &i.report;
    let mut out = String::new();
    let projects = match r.projects.len() {
        1 => format!("project {}", r.projects[0]),
        _ => format!("projects {}", r.projects.join(", ")),
    };
    let data_date = r
        .data_date
        .map_or_else(|| long_date(i.start), long_date_time);
    let p6 = r.tool.starts_with("P6");
    let source = if p6 { "P6" } else { "MS Project" };
    let _ = writeln!(
        out,
        "Imported {} ({}, {}): {projects}, {} {data_date}",
        i.xer,
        r.tool,
        r.encoding,
        if p6 || r.data_date.is_none() {
            "data date"
        } else {
            "status date"
        }
    );
    let activities: usize = r.activity_types.values().sum();
    let _ = writeln!(
        out,
        "  {}   {}: {}; {}",
        if p6 { "Activities" } else { "Tasks     " },
        group_digits(activities as u64),
        counts(&r.activity_types, activity_type),
        counts(&r.activity_statuses, activity_status)
    );
    let links: usize = r.link_types.values().sum();
    let _ = writeln!(
        out,
        "  Links        {}: {}; {}, {}",
        group_digits(links as u64),
        if links == 0 {
            "none".into()
        } else {
            counts(&r.link_types, link_type)
        },
        plural(r.lags, "lag"),
        plural(r.leads, "lead")
    );
    let _ = writeln!(
        out,
        "  Calendars    {} used, lags on {}:",
        r.calendars.len(),
        lag_rule(&r.lag_calendar)
    );
    let mut calendars: Vec<(&String, &usize)> = r.calendars.iter().collect();
    calendars.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (name, n) in calendars {
        let _ = writeln!(out, "    {:>11}  {name}", plural(*n, "task"));
    }
    let _ = writeln!(
        out,
        "  Constraints  {} honoured, {} on late dates or float only, {} ignored",
        r.constraints_honoured.len(),
        r.constraints_float_only.len(),
        r.constraints_ignored.len()
    );
    list(&mut out, "ignored", &r.constraints_ignored);
    if p6 {
        let _ = writeln!(
            out,
            "  Left out     {} ({}); {} to activities outside the import (treated as met)",
            match r.level_of_effort.len() {
                1 => "1 level-of-effort activity".to_string(),
                n => format!("{} level-of-effort activities", group_digits(n as u64)),
            },
            plural(r.level_of_effort_links, "link"),
            plural(r.external_links.len(), "link")
        );
    } else {
        let left: Vec<String> = [
            "project summary",
            "summary",
            "inactive",
            "blank row",
            "external",
        ]
        .iter()
        .filter_map(|k| r.activity_types.get(*k).map(|n| format!("{n} {k}")))
        .collect();
        let _ = writeln!(
            out,
            "  Left out     {}; {} to tasks not scheduled here (treated as met)",
            if left.is_empty() {
                "nothing".to_string()
            } else {
                left.join(", ")
            },
            plural(r.external_links.len(), "link")
        );
    }
    list(&mut out, "external links", &r.external_links);
    if !r.notes.is_empty() {
        let _ = writeln!(out, "  Notes        {}", r.notes[0]);
        for n in &r.notes[1..] {
            let _ = writeln!(out, "               {n}");
        }
    }
    if let Some(rep) = &i.replay {
        let p = &rep.replay;
        let finish = match p.source_finish {
            Some(f) if f == p.replayed_finish => {
                format!("finish {} as in {source}", long_date(f))
            }
            Some(f) => format!(
                "finish {} ({source}: {})",
                long_date(p.replayed_finish),
                long_date(f)
            ),
            None => format!("finish {}", long_date(p.replayed_finish)),
        };
        if p.compared == 0 {
            let _ = writeln!(
                out,
                "  Replay       no open activity has {source} dates to compare; {finish}"
            );
        } else {
            let _ = writeln!(
                out,
                "  Replay       {} of {} open activities have {source}'s dates ({:.1}%); {finish}",
                group_digits(p.matching as u64),
                group_digits(p.compared as u64),
                rep.share * 100.0
            );
        }
        let differences: Vec<String> = p
            .differences
            .iter()
            .map(|d| {
                format!(
                    "{}: {source} {} to {}, replayed {} to {}",
                    d.id, d.source.0, d.source.1, d.replayed.0, d.replayed.1
                )
            })
            .collect();
        list(&mut out, "differing", &differences);
    }
    let renamed = |v: &[crate::plan::Renamed]| -> Vec<String> {
        v.iter()
            .map(|r| format!("{} -> {}", r.from, r.to))
            .collect()
    };
    if !i.renamed_ids.is_empty() {
        let _ = writeln!(
            out,
            "  Renamed      {}: a plan CSV id holds no space, ';', ':' or ','; these tasks draw other random numbers than under their P6 ids",
            plural(i.renamed_ids.len(), "id")
        );
        list(&mut out, "ids", &renamed(&i.renamed_ids));
    }
    list(
        &mut out,
        "calendars renamed",
        &renamed(&i.renamed_calendars),
    );
    let _ = writeln!(out, "  Ranged       {}", ranging_summary(&r.ranging));
    let path = |file: &str| {
        let p = std::path::Path::new(dir).join(file);
        shell_word(&p.display().to_string())
    };
    let _ = writeln!(
        out,
        "\nForecast the CSV: slipcast forecast {} --calendars {} --start {}",
        path(PLAN_CSV),
        path(CALENDARS_CSV),
        i.start
    );
    if !r.ranged {
        let _ = writeln!(
            out,
            "(the plan has single durations: import with --ranges FILE or --range 90,100,130 to write low and high, or fill them in)"
        );
    }
    visible(&out).into_owned()
}

fn count(n: usize) -> String {
    group_digits(n as u64)
}

/// How a P6 plan's activities were ranged: `1 activity by id, 540 by WBS prefix (ranges.csv), 78 by --range,
/// 2 unranged; 74 have no remaining work (complete or milestones)`, and
/// the ids whose row changes nothing.
pub fn ranging_summary(c: &RangeCounts) -> String {
    let activities = |n: usize| match n {
        1 => "1 activity".to_string(),
        n => format!("{} activities", count(n)),
    };
    let no_work = match c.no_remaining_work {
        1 => "1 has".to_string(),
        n => format!("{} have", count(n)),
    };
    if c.file.is_none() && c.by_template == 0 && c.by_fields == 0 {
        return format!(
            "none of {} with remaining work (no --ranges or --range); {no_work} no remaining \
             work (complete or milestones)",
            activities(c.unranged)
        );
    }
    let mut parts: Vec<(usize, String)> = Vec::new();
    if c.by_fields > 0 {
        parts.push((c.by_fields, "by their own estimate fields".into()));
    }
    if let Some(file) = &c.file {
        parts.push((c.by_id, "by id".into()));
        parts.push((c.by_wbs, format!("by WBS prefix ({file})")));
    }
    if c.by_template > 0 {
        parts.push((c.by_template, "by --range".into()));
    }
    parts.push((c.unranged, "unranged".into()));
    // The first count carries the noun.
    let parts: Vec<String> = (parts.iter().enumerate())
        .map(|(i, (n, what))| match i {
            0 => format!("{} {what}", activities(*n)),
            _ => format!("{} {what}", count(*n)),
        })
        .collect();
    let mut s = format!(
        "{}; {no_work} no remaining work (complete or milestones)",
        parts.join(", "),
    );
    let ids = &c.ids_without_work;
    if !ids.is_empty() {
        let more = match ids.len().saturating_sub(SHOWN) {
            0 => String::new(),
            n => format!(" and {} more", count(n)),
        };
        let shown = ids.iter().take(SHOWN).cloned().collect::<Vec<_>>();
        let (row, changes) = if ids.len() == 1 {
            ("row", "changes")
        } else {
            ("rows", "change")
        };
        s.push_str(&format!(
            "; the {row} of {}{more} {changes} nothing",
            shown.join(", ")
        ));
    }
    visible(&s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_one_shell_word() {
        assert_eq!(shell_word("out/plan.csv"), "out/plan.csv");
        assert_eq!(shell_word("my plans/plan.csv"), "'my plans/plan.csv'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
    }
}
