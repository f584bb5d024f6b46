//! What a P6 plan's ranges came to, said on the terminal: the import
//! report's line, and the warnings of a forecast with no or partial
//! uncertainty.

use slipcast::plan::Scenario;
use slipcast::plan::xer::RangeCounts;
use slipcast::report::group_digits;
use slipcast::report::inert::visible;

/// Ids listed before `and N more`.
const SHOWN: usize = 10;

fn count(n: usize) -> String {
    group_digits(n as u64)
}

/// `1 activity by id, 540 by WBS prefix (ranges.csv), 78 by --range,
/// 2 unranged; 74 have no remaining work (complete or milestones)`, and
/// the ids whose row changes nothing.
pub fn summary(c: &RangeCounts) -> String {
    let activities = |n: usize| match n {
        1 => "1 activity".to_string(),
        n => format!("{} activities", count(n)),
    };
    let no_work = match c.no_remaining_work {
        1 => "1 has".to_string(),
        n => format!("{} have", count(n)),
    };
    if c.file.is_none() && c.by_template == 0 {
        return format!(
            "none of {} with remaining work (no --ranges or --range); {no_work} no remaining \
             work (complete or milestones)",
            activities(c.unranged)
        );
    }
    let mut parts: Vec<(usize, String)> = Vec::new();
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

/// Warns when an imported plan has no uncertainty at all (P6 files carry
/// single durations), and notes the activities a ranges file left
/// unranged.
pub fn warn(sc: &Scenario, quiet: bool) {
    let Some(r) = sc.import.as_ref().filter(|_| !quiet) else {
        return;
    };
    let plan = visible(&sc.plan.source);
    let c = &r.ranging;
    if !r.ranged && sc.risks.is_empty() {
        let given = c.file.is_some() || c.by_template > 0;
        let (why, fix) = if given {
            (
                "the ranges given leave every remaining duration a single number",
                "give low and high apart in the ranges (e.g. 90%,100%,130%), or add --risks FILE",
            )
        } else {
            (
                "no --ranges, --range or risk register was given",
                "add --ranges FILE (low, likely and high per activity or WBS prefix), --range \
                 90,100,130 (low, likely and high as percent of each remaining duration) or \
                 --risks FILE",
            )
        };
        eprintln!(
            "warning: {plan}: a P6 plan carries single durations, and {why}, so every \
             iteration is the same and the forecast has no uncertainty; {fix}"
        );
        return;
    }
    if let Some(file) = &c.file
        && c.unranged > 0
    {
        eprintln!(
            "note: {plan}: {} with remaining work {} no row of {} and {} a single duration; \
             add rows for {}, or --range L,M,H for the rest",
            match c.unranged {
                1 => "1 activity".to_string(),
                n => format!("{} activities", count(n)),
            },
            if c.unranged == 1 { "matches" } else { "match" },
            visible(file),
            if c.unranged == 1 { "keeps" } else { "keep" },
            if c.unranged == 1 { "it" } else { "them" },
        );
    }
}
