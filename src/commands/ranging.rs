//! What a P6 plan's ranges came to, said on the terminal: the warnings of
//! a forecast with no or partial uncertainty (the import report's line is
//! `report::ranging_summary`).

use slipcast::plan::Scenario;
use slipcast::report::group_digits;
use slipcast::report::inert::visible;

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
        let carries = if r.tool.starts_with("P6") {
            "a P6 plan carries single durations"
        } else {
            "an MS Project plan carries single durations unless its tasks fill in \
             Duration1-3 (PERT) or --fields"
        };
        eprintln!(
            "warning: {plan}: {carries}, and {why}, so every iteration is the same and the \
             forecast has no uncertainty; {fix}"
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
                n => format!("{} activities", group_digits(n as u64)),
            },
            if c.unranged == 1 { "matches" } else { "match" },
            visible(file),
            if c.unranged == 1 { "keeps" } else { "keep" },
            if c.unranged == 1 { "it" } else { "them" },
        );
    }
}
