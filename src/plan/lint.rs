//! Checks of a whole scenario that find plans which read but probably do
//! not say what their author meant: tasks with no links between them, and a
//! plan with no uncertainty at all. Each is a [`Warning`] with the fix.

use super::{Capacity, Estimate, Plan, Risk, Warning};

/// The warnings about the scenario as a whole: a plan of several tasks
/// with no links at all, and (when `ranged_elsewhere` is false, i.e. the
/// plan is not an import that says so itself) a plan where nothing has a
/// range: no task, no risk, and no team's unplanned work.
pub fn lint(
    plan: &Plan,
    risks: &[Risk],
    capacity: Option<&Capacity>,
    ranged_elsewhere: bool,
) -> Vec<Warning> {
    let mut out = Vec::new();
    let n = plan.tasks.len();
    if n > 1 && plan.tasks.iter().all(|t| t.links.is_empty()) {
        out.push(Warning::file(
            &plan.source,
            format!(
                "none of the {n} tasks has a link, so they all start at the start and the forecast is that of the longest task alone; give each task its predecessors in depends_on (e.g. depends_on = design), or the links in an --edges file"
            ),
        ));
    }
    if !ranged_elsewhere && !has_uncertainty(plan, risks) && !unplanned_varies(capacity) {
        out.push(Warning::file(
            &plan.source,
            "this forecast has no uncertainty: every task has a single duration and no risk adds any, so every iteration gives the same date; give tasks low and high estimates (low,likely,high such as 3,5,9; in a spreadsheet export, Low and High columns, or --map low=COLUMN --map high=COLUMN), or a risk register (--risks)",
        ));
    }
    out
}

/// Whether any task duration or risk varies from one iteration to the next.
fn has_uncertainty(plan: &Plan, risks: &[Risk]) -> bool {
    let fixed = |e: &Estimate| matches!(e, Estimate::Fixed { .. });
    plan.tasks.iter().any(|t| !fixed(&t.estimate))
        || risks.iter().any(|r| {
            // A risk that may or may not fire, or fires with a ranged delay.
            !r.affects.is_empty()
                && r.probability > 0.0
                && (r.probability < 1.0 || !fixed(&r.impact))
        })
}

/// Whether a team that some task draws on loses a ranged share of its time
/// to unplanned work (drawn anew in every iteration).
fn unplanned_varies(capacity: Option<&Capacity>) -> bool {
    capacity.is_some_and(|c| {
        c.pools.iter().enumerate().any(|(i, p)| {
            p.unplanned.is_some_and(|(lo, hi)| lo < hi)
                && c.demands.iter().any(|d| d.iter().any(|&(q, _)| q == i))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::parse_plan;

    fn warnings(text: &str) -> Vec<String> {
        let plan = parse_plan("p.csv", text, None).unwrap();
        lint(&plan, &[], None, false)
            .iter()
            .map(|w| w.to_string())
            .collect()
    }

    #[test]
    fn plans_that_read_but_say_little_are_warned_about() {
        let cases: [(&str, &[&str]); 5] = [
            ("id,likely\na,3\n", &["no uncertainty"]),
            (
                "id,likely\na,3\nb,4\n",
                &["none of the 2 tasks has a link", "no uncertainty"],
            ),
            (
                "id,low,likely,high\na,1,3,5\nb,2,4,6\n",
                &["none of the 2 tasks has a link"],
            ),
            ("id,low,likely,high,depends_on\na,1,3,5,\nb,2,4,6,a\n", &[]),
            ("id,low,likely,high\na,1,3,5\n", &[]),
        ];
        for (text, want) in cases {
            let got = warnings(text);
            assert_eq!(got.len(), want.len(), "{text}: {got:?}");
            for (g, w) in got.iter().zip(want) {
                assert!(g.starts_with("p.csv: ") && g.contains(w), "{text}: {g}");
            }
        }
    }

    #[test]
    fn a_ranged_share_of_unplanned_work_is_uncertainty() {
        use crate::plan::Team;
        let plan = parse_plan(
            "p.csv",
            "id,team,likely,depends_on\na,be,3,\nb,be,4,a\n",
            None,
        )
        .unwrap();
        let with = |unplanned| {
            let team = Team {
                name: "be".into(),
                people: 1,
                unplanned,
            };
            let c = Capacity::from_teams(&plan, vec![team]).unwrap();
            lint(&plan, &[], Some(&c), false).len()
        };
        assert_eq!(with(Some((0.1, 0.3))), 0);
        assert_eq!(with(Some((0.2, 0.2))), 1, "a fixed share varies nothing");
        assert_eq!(with(None), 1);
    }
}
