//! Reading an edges file: one link per row, `from,to,type,lag`, merged
//! with the plan's `depends_on` links.

use super::error::{Problem, ProblemKind};
use super::records::{Records, missing_columns};
use super::validate::Located;
use super::{LinkKind, LinkSpec, MAX_DAYS};

/// Reads an edges file: `from,to,type,lag` (type FS/SS/FF/SF, default FS; lag
/// in working days, default 0).
pub(super) fn read_edges(
    file: &str,
    text: &str,
    problems: &mut Vec<Problem>,
) -> Vec<Located<LinkSpec>> {
    let at = |line: Option<u64>, kind| Problem {
        file: file.into(),
        line,
        task: None,
        kind,
    };
    let Ok(mut records) = Records::new(file, text).map_err(|p| problems.push(*p)) else {
        return Vec::new();
    };
    let header_line = records.header_line();
    let from = records.column(&["from", "predecessor", "source", "pred"]);
    let to = records.column(&["to", "successor", "target", "succ", "task"]);
    let typ = records.column(&["type", "kind", "link", "relation"]);
    let lag = records.column(&["lag", "lag_days", "delay"]);
    let (Some(from), Some(to)) = (from, to) else {
        for kind in missing_columns(&[
            (from, "from", "from, predecessor, source"),
            (to, "to", "to, successor, target"),
        ]) {
            problems.push(at(Some(header_line), kind));
        }
        return Vec::new();
    };
    let mut out = Vec::new();
    while let Some((line, rec)) = records.next_reporting(problems) {
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or("");
        let (f, t) = (get(Some(from)), get(Some(to)));
        let kind = match get(typ).parse::<LinkKind>() {
            Ok(k) => k,
            Err(e) => {
                problems.push(at(Some(line), ProblemKind::BadLink(e)));
                continue;
            }
        };
        let lag_text = get(lag);
        let lag = if lag_text.is_empty() {
            0.0
        } else {
            match lag_text.parse::<f64>() {
                Ok(l) if l.is_finite() && l.abs() <= MAX_DAYS => l,
                _ => {
                    problems.push(at(
                        Some(line),
                        ProblemKind::NotANumber {
                            column: "lag".into(),
                            value: lag_text.into(),
                        },
                    ));
                    continue;
                }
            }
        };
        if f.is_empty() || t.is_empty() {
            problems.push(at(Some(line), ProblemKind::EdgeWithoutTask));
            continue;
        }
        out.push(Located {
            file: file.into(),
            line,
            to: t.into(),
            item: LinkSpec {
                from: f.into(),
                kind,
                lag,
                whole: None,
            },
        });
    }
    out
}
