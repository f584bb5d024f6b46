//! Which row of a ranges file ranges each activity: its own `id` row,
//! else the longest WBS prefix that matches its path whole codes at a time.

use std::collections::{BTreeSet, HashMap};

use super::{RangeKey, RangeRow, Ranges};
use crate::plan::closest;
use crate::plan::error::{Problem, ProblemKind};

/// An activity as a ranges file sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RangeTarget<'a> {
    /// Its id in the plan.
    pub id: &'a str,
    /// Its WBS path, codes joined with `.`, without the project's.
    pub wbs: &'a str,
    /// The code of its project (the first WBS code P6 shows).
    pub project: &'a str,
}

/// How much of an activity's WBS path (`path`, in project `project`) the
/// prefix `key` covers, in bytes of `path`, and whether the key names the
/// project: `None` when it does not match whole WBS codes.
fn coverage(key: &str, path: &str, project: &str) -> Option<(usize, bool)> {
    let within = |k: &str| {
        let rest = path.strip_prefix(k)?;
        (rest.is_empty() || rest.starts_with('.')).then_some(k.len())
    };
    let qualified = if key == project {
        Some(0)
    } else {
        key.strip_prefix(project)
            .and_then(|k| k.strip_prefix('.'))
            .filter(|k| !k.is_empty())
            .and_then(within)
    };
    let plain = within(key).filter(|_| !key.is_empty());
    // The longer match wins; of two as long, the one that names the project.
    match (plain, qualified) {
        (Some(p), Some(q)) if p > q => Some((p, false)),
        (_, Some(q)) => Some((q, true)),
        (Some(p), None) => Some((p, false)),
        (None, None) => None,
    }
}

impl Ranges {
    /// The row that ranges each activity: its own `id` row, else the row of
    /// the longest WBS prefix that matches its path (of two as long, the
    /// one that names the project), else none. `plan` names the plan in
    /// messages; `left_out` are the ids of activities the plan leaves out
    /// (level of effort), which a row may not name.
    ///
    /// Cost: O(activities x WBS rows) prefix comparisons.
    ///
    /// # Errors
    ///
    /// A problem for each row that ranges no activity: an id that is not
    /// one (with the closest), or a WBS prefix that matches no path.
    ///
    /// # Examples
    ///
    /// ```
    /// use slipcast::plan::{RangeTarget, parse_ranges};
    /// let r = parse_ranges("r.csv", "id,wbs,low,likely,high\n,4,1,2,3\n,4.HRN,2,3,4\nA2,,5,6,9\n")?;
    /// let t = |id, wbs| RangeTarget { id, wbs, project: "935" };
    /// let rows = r.assign(&[t("A1", "4.HRN.2"), t("A2", "4.HRN"), t("A3", "4.HRNX"), t("A4", "5")], "p.xer", &[])
    ///     .unwrap();
    /// let lines: Vec<Option<u64>> = rows.iter().map(|r| r.map(|r| r.line)).collect();
    /// assert_eq!(lines, [Some(3), Some(4), Some(2), None]);
    /// # Ok::<(), slipcast::plan::LoadError>(())
    /// ```
    pub fn assign(
        &self,
        activities: &[RangeTarget<'_>],
        plan: &str,
        left_out: &[String],
    ) -> Result<Vec<Option<&RangeRow>>, Vec<Problem>> {
        let by_id: HashMap<&str, &RangeRow> = (self.rows.iter())
            .filter_map(|r| match &r.key {
                RangeKey::Id(id) => Some((id.as_str(), r)),
                RangeKey::Wbs(_) => None,
            })
            .collect();
        let wbs: Vec<(&str, &RangeRow)> = (self.rows.iter())
            .filter_map(|r| match &r.key {
                RangeKey::Wbs(w) => Some((w.as_str(), r)),
                RangeKey::Id(_) => None,
            })
            .collect();
        let mut used = vec![false; wbs.len()];
        let mut ids_used: BTreeSet<&str> = BTreeSet::new();
        let assigned = (activities.iter())
            .map(|a| {
                if let Some(r) = by_id.get(a.id) {
                    ids_used.insert(a.id);
                    return Some(*r);
                }
                let best = (wbs.iter().enumerate())
                    .filter_map(|(k, (w, _))| coverage(w, a.wbs, a.project).map(|c| (c, k)))
                    .max_by_key(|&(c, k)| (c, std::cmp::Reverse(k)))
                    .map(|(_, k)| k)?;
                used[best] = true;
                Some(wbs[best].1)
            })
            .collect();
        // Prefixes that a more specific row shadows everywhere still match.
        for (k, (w, _)) in wbs.iter().enumerate() {
            if !used[k] {
                used[k] = (activities.iter()).any(|a| coverage(w, a.wbs, a.project).is_some());
            }
        }
        let mut problems = Vec::new();
        let problem = |line, kind| Problem {
            file: self.file.clone(),
            line: Some(line),
            task: None,
            kind,
        };
        for r in &self.rows {
            let kind = match &r.key {
                RangeKey::Id(id) if ids_used.contains(id.as_str()) => continue,
                RangeKey::Id(id) if left_out.contains(id) => {
                    ProblemKind::LeftOutRangeId(id.clone())
                }
                RangeKey::Id(id) => ProblemKind::UnknownRangeId {
                    id: id.clone(),
                    plan: plan.into(),
                    suggestion: closest(id, activities.iter().map(|a| a.id)),
                },
                RangeKey::Wbs(w) => {
                    let k = wbs.iter().position(|(x, _)| x == w).unwrap_or(0);
                    if used[k] {
                        continue;
                    }
                    ProblemKind::UnknownWbsPrefix {
                        wbs: w.clone(),
                        plan: plan.into(),
                        suggestion: closest(w, prefixes(activities).iter().map(String::as_str)),
                    }
                }
            };
            problems.push(problem(r.line, kind));
        }
        if problems.is_empty() {
            Ok(assigned)
        } else {
            Err(problems)
        }
    }
}

/// Every WBS prefix the activities' paths have, bare and with the
/// project's code in front: what a ranges row may name.
fn prefixes(activities: &[RangeTarget<'_>]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for a in activities {
        out.insert(a.project.to_string());
        for (i, _) in a.wbs.match_indices('.').chain([(a.wbs.len(), "")]) {
            let p = &a.wbs[..i];
            if !p.is_empty() {
                out.insert(p.to_string());
                out.insert(format!("{}.{p}", a.project));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::parse_ranges;

    #[test]
    fn prefixes_match_whole_codes() {
        for (key, path, want) in [
            ("4", "4.HRN.2", Some((1, false))),
            ("4.HRN", "4.HRN.2", Some((5, false))),
            ("4.HRN.2", "4.HRN.2", Some((7, false))),
            ("4.HR", "4.HRN.2", None),
            ("4.HRN.2.1", "4.HRN.2", None),
            ("935", "4.HRN.2", Some((0, true))),
            ("935.4.HRN", "4.HRN.2", Some((5, true))),
            ("935.4.HR", "4.HRN.2", None),
            ("936.4", "4.HRN.2", None),
            ("935", "", Some((0, true))),
            ("4", "", None),
        ] {
            assert_eq!(coverage(key, path, "935"), want, "{key} on {path}");
        }
    }

    #[test]
    fn rows_that_range_nothing_are_errors_with_the_closest() {
        let r = parse_ranges(
            "r.csv",
            "id,wbs,low,likely,high\nA100,,1,2,3\nA100X,,1,2,3\nL1,,1,2,3\n,4.HRM,1,2,3\n,4,1,2,3\n,4.HRN,1,2,3\n",
        )
        .unwrap();
        let t = |id, wbs| RangeTarget {
            id,
            wbs,
            project: "935",
        };
        let acts = [t("A100", "4.HRN.2"), t("A101", "4.HRN.5")];
        let got: Vec<String> = (r.assign(&acts, "p.xer", &["L1".into()]).unwrap_err())
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            got,
            [
                "r.csv:3: id \"A100X\" is not an activity of p.xer (did you mean \"A100\"?); correct the id, or remove the row",
                "r.csv:4: id \"L1\" is a level-of-effort activity, which the import leaves out (its dates follow the activities it spans); remove the row",
                "r.csv:5: wbs \"4.HRM\" matches no activity's WBS path in p.xer (did you mean \"4.HRN\"?); a prefix matches whole WBS codes (4.HRN ranges 4.HRN and 4.HRN.2, not 4.HRNX), with or without the project's code in front; correct it, or remove the row",
            ]
        );
        // `4` is shadowed by `4.HRN` on every activity, and still matches.
    }
}
