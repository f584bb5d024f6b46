//! The P6 oracle: the bundled P6 exports, imported and replayed
//! deterministically at their remaining durations from the data date, give
//! the early start and finish dates P6 computed and stored in each file, and
//! P6's scheduled project finish. Nobody here wrote the expected dates.

use slipcast::analysis::{Replay, replay};
use slipcast::plan::{Scenario, Sources};

fn scenario(file: &str) -> Scenario {
    Scenario::load(Sources::plan(format!("tests/data/xer/{file}")), None).unwrap()
}

fn replayed(file: &str) -> Replay {
    replay(&scenario(file)).expect("an imported plan")
}

/// The differences, one line each, for the failure message.
fn listed(r: &Replay) -> String {
    r.differences
        .iter()
        .map(|d| format!("{}: P6 {:?}, replayed {:?}", d.id, d.source, d.replayed))
        .collect::<Vec<_>>()
        .join("\n")
}

/// 695 activities on three calendars (a shutdown calendar, its no-shutdown
/// twin, another project's), all four link types with lags and leads,
/// progress at a 09:40 data date, mandatory, start-on-or-after and
/// as-late-as-possible constraints.
#[test]
fn mining_programme_replays_p6_to_the_day() {
    let r = replayed("p6-23.12_mining-programme_695act.xer");
    assert_eq!(r.compared, 621, "activities not complete with P6 dates");
    assert!(
        r.share() >= 0.99,
        "{} of {} match:\n{}",
        r.matching,
        r.compared,
        listed(&r)
    );
    assert_eq!(Some(r.replayed_finish), r.source_finish);
    // What still differs: three activities of the second project that no
    // relationship or constraint in the file places where P6 has them, and
    // one finish-to-finish lead that P6 lands a working day later.
    let ids: Vec<&str> = r.differences.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids.len(), 4, "{}", listed(&r));
}

/// The house-building model on one 7-day calendar: every activity matches.
#[test]
fn house_replays_p6_exactly() {
    let r = replayed("p6-22.12_house-building-resource-loaded_62act.xer");
    assert_eq!(r.compared, 62);
    assert_eq!(r.matching, 62, "{}", listed(&r));
    assert_eq!(Some(r.replayed_finish), r.source_finish);
}

/// The import counts what it read, as SOURCES.md lists them.
#[test]
fn mining_import_report_counts() {
    let sc = scenario("p6-23.12_mining-programme_695act.xer");
    let rep = sc.import.as_ref().unwrap();
    assert_eq!(sc.plan.tasks.len(), 695);
    assert_eq!(rep.activity_types["TT_Task"], 665);
    assert_eq!(rep.activity_types["TT_FinMile"], 30);
    assert_eq!(rep.activity_statuses["TK_Complete"], 74);
    assert_eq!(rep.activity_statuses["TK_Active"], 20);
    let links: usize = rep.link_types.values().sum();
    assert_eq!(links, 1595);
    assert_eq!(
        [
            rep.link_types["PR_FS"],
            rep.link_types["PR_FF"],
            rep.link_types["PR_SS"],
            rep.link_types["PR_SF"]
        ],
        [1119, 432, 42, 2]
    );
    assert_eq!((rep.lags + rep.leads, rep.leads), (263, 24));
    assert_eq!(rep.calendars.len(), 3, "{:?}", rep.calendars);
    assert_eq!(rep.lag_calendar, "rcal_Successor");
    assert_eq!(rep.data_date.unwrap().to_string(), "2025-04-22 09:40:00");
    assert!(rep.external_links.is_empty());
}

/// A link to an activity of a project left out is reported and treated as
/// met.
#[test]
fn external_links_are_reported() {
    let sc = scenario("aspose_multiproject-external-link.xer");
    let rep = sc.import.as_ref().unwrap();
    assert_eq!(rep.external_links.len(), 0, "both projects are imported");
    let projects = rep.projects.clone();
    assert_eq!(projects.len(), 2);
    // The one cross-project link shows in the import of its successor's
    // project, and in neither import does it hold anything back.
    let mut external = Vec::new();
    for p in projects {
        let mut sources = Sources::plan("tests/data/xer/aspose_multiproject-external-link.xer");
        sources.import.project = Some(p.clone());
        let one = Scenario::load(sources, None).unwrap();
        let rep = one.import.unwrap();
        assert_eq!(rep.projects, [p]);
        external.extend(rep.external_links);
    }
    assert_eq!(external.len(), 1, "{external:?}");
    assert!(external[0].contains("treated as met"), "{external:?}");
}

/// `--project` naming no project is an error listing the projects.
#[test]
fn unknown_project_is_refused() {
    let mut sources = Sources::plan("tests/data/xer/aspose_multiproject-external-link.xer");
    sources.import.project = Some("nope".into());
    let e = Scenario::load(sources, None).unwrap_err().to_string();
    assert!(e.contains("--project nope"), "{e}");
    assert!(e.contains("its projects are"), "{e}");
}
