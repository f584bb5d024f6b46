//! Reading real Primavera P6 XER exports (`tests/data/xer/`, see its
//! NOTICE.md): the counts their published descriptions give, fields mapped
//! by name, code pages, and calendars; and, as a property, that no mutation
//! of a real file makes the reader panic or report a problem nowhere.
//!
//! Why: the XER importer builds plans from these records, so a miscount
//! here (a link type read from the wrong column, a lead read as a lag, an
//! activity type dropped) would silently change every forecast made from a
//! P6 schedule.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, Weekday};
use proptest::prelude::*;
use proptest::sample::select;

use slipcast::plan::xer::{
    self, ActivityStatus, ActivityType, LagCalendar, RelationshipType, XerData, XerProblem,
};
use slipcast::plan::{ProblemKind, TextEncoding};

const MINING: &str = "tests/data/xer/p6-23.12_mining-programme_695act.xer";
const HOUSE: &str = "tests/data/xer/p6-22.12_house-building-resource-loaded_62act.xer";
const MULTI: &str = "tests/data/xer/aspose_multiproject-external-link.xer";
const CP1251: &str = "tests/data/xer/aspose_encoding-cp1251.xer";

fn bytes(path: &str) -> Vec<u8> {
    std::fs::read(path).expect("test data is readable")
}

fn load_with(path: &str, encoding: Option<TextEncoding>) -> (xer::Xer, XerData) {
    let tables = xer::parse(path, &bytes(path), encoding).unwrap_or_else(|e| panic!("{e}"));
    let data = xer::read(&tables).unwrap_or_else(|e| panic!("{e}"));
    (tables, data)
}

fn load(path: &str) -> XerData {
    load_with(path, None).1
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Activities by type, WBS summaries aside.
fn by_type(data: &XerData) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for a in &data.activities {
        if a.kind != ActivityType::WbsSummary {
            *out.entry(a.kind.code()).or_default() += 1;
        }
    }
    out
}

fn links_by_type(data: &XerData) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for r in &data.relationships {
        *out.entry(r.kind.code()).or_default() += 1;
    }
    out
}

fn count_status(data: &XerData, status: ActivityStatus) -> usize {
    data.activities
        .iter()
        .filter(|a| a.status == status)
        .count()
}

#[test]
fn mining_programme_matches_its_description() {
    let (tables, data) = load_with(MINING, None);
    assert_eq!(tables.version, "23.12");
    assert_eq!(tables.exported, Some(day("2025-04-24")));

    assert_eq!(data.projects.len(), 2);
    let main = data.projects.iter().find(|p| p.export_flag).unwrap();
    assert_eq!(main.data_date, Some(at("2025-04-22 09:40")));
    assert_eq!(main.scheduled_finish, Some(at("2026-04-15 17:00")));
    assert_eq!(data.lag_calendar(main.id), Some(LagCalendar::Successor));

    assert_eq!(data.activities.len(), 695);
    assert_eq!(
        by_type(&data),
        BTreeMap::from([("TT_FinMile", 30), ("TT_Task", 665)])
    );
    assert_eq!(count_status(&data, ActivityStatus::Completed), 74);
    assert_eq!(count_status(&data, ActivityStatus::InProgress), 20);

    assert_eq!(data.relationships.len(), 1_595);
    assert_eq!(
        links_by_type(&data),
        BTreeMap::from([
            ("PR_FF", 432),
            ("PR_FS", 1_119),
            ("PR_SF", 2),
            ("PR_SS", 42)
        ])
    );
    let lags: Vec<f64> = data
        .relationships
        .iter()
        .map(|r| r.lag_hours)
        .filter(|&h| h != 0.0)
        .collect();
    assert_eq!(lags.len(), 263);
    assert_eq!(lags.iter().filter(|&&h| h < 0.0).count(), 24);
    let external = data
        .relationships
        .iter()
        .filter(|r| r.project != r.predecessor_project)
        .count();
    assert_eq!(external, 3);

    assert_eq!(data.calendars.len(), 5);
    let mut used: Vec<u64> = data.activities.iter().map(|a| a.calendar).collect();
    used.sort_unstable();
    used.dedup();
    assert_eq!(used.len(), 3);

    // The WBS path leaves out the project's root node.
    let paths = data.wbs_paths();
    let code = |c: &str| data.activities.iter().find(|a| a.code == c).unwrap();
    assert_eq!(paths[&code("A1610").wbs], "3.GWD (PW).4");
    assert_eq!(paths[&code("M1030").wbs], "1.1");
    for w in data.wbs.iter().filter(|w| w.project_node) {
        assert_eq!(paths[&w.id], "");
    }
}

#[test]
fn house_building_matches_its_description() {
    let data = load(HOUSE);
    assert_eq!(data.projects.len(), 1);
    assert_eq!(data.activities.len(), 62);
    assert_eq!(
        by_type(&data),
        BTreeMap::from([
            ("TT_FinMile", 6),
            ("TT_Mile", 6),
            ("TT_Rsrc", 4),
            ("TT_Task", 46)
        ])
    );
    assert_eq!(data.relationships.len(), 87);
    assert_eq!(
        links_by_type(&data),
        BTreeMap::from([("PR_FF", 7), ("PR_FS", 70), ("PR_SS", 10)])
    );
    let mut lags: Vec<f64> = data
        .relationships
        .iter()
        .map(|r| r.lag_hours)
        .filter(|&h| h != 0.0)
        .collect();
    lags.sort_by(f64::total_cmp);
    assert_eq!(lags, [248.0, 720.0, 720.0, 960.0]);
    assert_eq!(
        data.lag_calendar(data.projects[0].id),
        Some(LagCalendar::Predecessor)
    );
    let paths = data.wbs_paths();
    let houses: Vec<&str> = data
        .wbs
        .iter()
        .filter(|w| !w.project_node)
        .map(|w| paths[&w.id].as_str())
        .collect();
    assert_eq!(houses, ["H1", "H2", "H3", "H4", "H5", "1"]);
}

#[test]
fn cyrillic_names_are_detected_as_windows_1251_or_read_as_told() {
    let cp1251 = TextEncoding::for_label("windows-1251").unwrap();
    let cp1252 = TextEncoding::for_label("windows-1252").unwrap();
    let names = |data: &XerData| -> Vec<String> {
        data.activities.iter().map(|a| a.name.clone()).collect()
    };
    assert_eq!(
        names(&load_with(CP1251, Some(cp1251)).1),
        ["Задача 1", "Тест2"]
    );
    // Without --encoding: its bytes beyond ASCII are Cyrillic words.
    let default = load(CP1251);
    assert_eq!(names(&default), ["Задача 1", "Тест2"]);
    // Told windows-1252, the bytes become Latin letters, never an error.
    assert_eq!(
        names(&load_with(CP1251, Some(cp1252)).1),
        ["Çàäà÷à 1", "Òåñò2"]
    );
    // P6 leaves out the tables it has no rows for: this file has no links.
    assert!(default.relationships.is_empty());
    assert!(default.schedule_options.is_empty());
}

#[test]
fn multiproject_links_are_mapped_by_field_name() {
    let (tables, data) = load_with(MULTI, None);
    let links = tables.table("TASKPRED").unwrap();
    // Not the positions an older five-column layout would give.
    assert_eq!(links.field("task_id"), Some(1));
    assert_eq!(links.field("pred_type"), Some(5));
    assert!(links.fields().len() > 7, "{:?}", links.fields());

    assert_eq!(data.projects.len(), 2);
    let [link] = data.relationships.as_slice() else {
        panic!("{:?}", data.relationships)
    };
    assert_eq!(link.kind, RelationshipType::FinishToStart);
    assert_eq!(link.lag_hours, 0.0);
    let activity = |id| data.activities.iter().find(|a| a.id == id).unwrap();
    let (succ, pred) = (activity(link.successor), activity(link.predecessor));
    assert_ne!(succ.project, pred.project);
    assert_eq!(
        (succ.project, pred.project),
        (link.project, link.predecessor_project)
    );
}

/// What each calendar's shifts add up to, against P6's hours-per-period
/// settings: `(clndr_id, weekly hours of the shifts, every worked weekday
/// has day_hr_cnt hours, day_hr_cnt, week_hr_cnt)`.
fn calendar_hours(data: &XerData) -> Vec<(u64, f64, bool, f64, Option<f64>)> {
    data.calendars
        .iter()
        .map(|c| {
            let week = &c.data.as_ref().expect("every calendar has data").week;
            let days = week.minutes_per_day();
            let day_ok = days
                .iter()
                .filter(|&&m| m > 0)
                .all(|&m| f64::from(m) == c.day_hours * 60.0);
            (
                c.id,
                f64::from(week.week_minutes()) / 60.0,
                day_ok,
                c.day_hours,
                c.week_hours,
            )
        })
        .collect()
}

#[test]
fn calendars_parse_and_their_hours_are_compared_with_p6_settings() {
    // Where the shifts and the settings differ, the settings were left at
    // P6's defaults (8 hours a day, 40 a week): the 24-hour calendars, and
    // 7-day calendars counted as 5-day weeks. day_hr_cnt agrees with the
    // shifts of every worked day in all but the 24-hour calendars.
    assert_eq!(
        calendar_hours(&load(MINING)),
        [
            (6590, 40.0, true, 8.0, Some(40.0)),
            (6597, 152.0, false, 8.0, Some(40.0)), // "<No Calendar>"
            (6630, 168.0, false, 8.0, Some(40.0)), // "24hrs"
            (6660, 40.0, true, 8.0, Some(40.0)),
            (6661, 40.0, true, 8.0, Some(40.0)),
        ]
    );
    assert_eq!(
        calendar_hours(&load(HOUSE)),
        [
            (6205, 154.0, true, 22.0, Some(154.0)), // "7x24": 01:00-12:00, 13:00-24:00
            (6592, 56.0, true, 8.0, Some(40.0)),    // 7 days of 8 hours
            (6595, 56.0, true, 8.0, Some(40.0)),
        ]
    );
    assert_eq!(
        calendar_hours(&load(MULTI)),
        [
            (178, 40.0, true, 8.0, Some(40.0)),
            (5829, 40.0, true, 8.0, Some(40.0)),
        ]
    );
    assert_eq!(
        calendar_hours(&load(CP1251)),
        [
            (178, 40.0, true, 8.0, Some(40.0)),
            (5829, 40.0, true, 8.0, Some(40.0)),
            (6205, 154.0, true, 22.0, Some(154.0)),
            (6590, 70.0, true, 10.0, Some(60.0)), // 7 days of 10 hours
            (7377, 48.0, true, 8.0, Some(48.0)),  // 6 days, Friday off
        ]
    );
}

#[test]
fn calendar_weeks_and_exceptions() {
    let data = load(MINING);
    let cal = |id| data.calendars.iter().find(|c| c.id == id).unwrap();
    let standard = cal(6660).data.as_ref().unwrap();
    let shifts: Vec<String> = standard
        .week
        .shifts(Weekday::Mon)
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(shifts, ["08:00-12:00", "13:00-17:00"]);
    assert!(standard.week.shifts(Weekday::Sat).is_empty());
    assert!(standard.week.shifts(Weekday::Sun).is_empty());
    assert_eq!(standard.exceptions.len(), 41);
    assert_eq!(
        standard.exceptions.first_key_value(),
        Some((&day("2024-08-15"), &Vec::new()))
    );
    assert!(standard.exceptions.values().all(Vec::is_empty));

    // A 24-hour calendar: s|00:00|f|00:00 is the whole day.
    let round = cal(6630).data.as_ref().unwrap();
    assert_eq!(round.week.minutes(Weekday::Wed), 24 * 60);
    let worked = &round.exceptions[&day("2024-11-08")];
    assert_eq!(worked.iter().map(|s| s.minutes()).sum::<u32>(), 24 * 60);
    assert!(round.exceptions[&day("2024-08-15")].is_empty());

    // An exception with working hours, written f|..|s|8:00.
    let data = load(HOUSE);
    let seven = data.calendars.iter().find(|c| c.id == 6205).unwrap();
    let ex = &seven.data.as_ref().unwrap().exceptions;
    let hours: Vec<String> = ex[&day("2001-04-11")]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(hours, ["08:00-12:00", "13:00-17:00"]);
}

#[test]
fn the_exporters_names_in_the_header_are_not_kept() {
    for path in [MINING, HOUSE, MULTI, CP1251] {
        let raw = bytes(path);
        let header = raw.split(|&b| b == b'\n').next().unwrap();
        let header = String::from_utf8_lossy(header);
        // ERMHDR, version, date, kind, then the exporting account's names.
        let names: Vec<&str> = header
            .trim_end()
            .split('\t')
            .skip(4)
            .take(2)
            .filter(|n| n.len() > 2)
            .collect();
        assert!(!names.is_empty(), "{path}: the header has names");
        let (tables, data) = load_with(path, None);
        let kept = format!("{} {:?} {data:?}", tables.version, tables.exported);
        assert!(
            names.iter().all(|n| !kept.contains(n)),
            "{path}: a header name was kept"
        );
    }
}

#[test]
fn a_cut_export_says_it_was_cut_and_a_byte_order_mark_is_skipped() {
    let raw = bytes(HOUSE);
    let cut = &raw[..raw.len() / 2];
    let last = cut.split(|&b| b == b'\n').count();
    let e = xer::parse("house.xer", cut, None).unwrap_err();
    let messages: Vec<String> = e.problems().iter().map(|p| p.to_string()).collect();
    assert_eq!(
        messages,
        [format!(
            "house.xer:{last}: the file ends at line {last} without the %E line that closes every XER export, so it was cut short (an interrupted download, copy or attachment); export the project again from P6 (File > Export > Primavera PM (XER), export type Project)"
        )]
    );

    // A UTF-8 byte order mark wins over the code page: the file's one
    // non-ASCII byte (a currency sign, 0x88) is then not UTF-8, and is
    // located; saved as UTF-8 for real, the file reads.
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), &raw].concat();
    assert!(xer::is_xer(&with_bom));
    let e = xer::parse("house.xer", &with_bom, None).unwrap_err();
    assert!(
        e.to_string()
            .contains("house.xer:7: the file is not valid UTF-8 here: byte 0x88"),
        "{e}"
    );
    let utf8: Vec<u8> = with_bom
        .iter()
        .flat_map(|&b| match b {
            0x88 => "\u{20ac}".as_bytes().to_vec(),
            b => vec![b],
        })
        .collect();
    let tables = xer::parse("house.xer", &utf8, None).unwrap();
    assert_eq!(xer::read(&tables).unwrap().activities.len(), 62);
    let currencies = tables.table("CURRTYPE").unwrap();
    let euro = currencies
        .rows()
        .iter()
        .any(|r| r.text(currencies, "curr_symbol").unwrap() == "\u{20ac}");
    assert!(euro);
}

// ------------------------------------------------------------- mutations

/// One change to a file's bytes.
#[derive(Debug, Clone)]
enum Mutation {
    /// Cut the file at this fraction of its length.
    Truncate(f64),
    /// Remove the line at this fraction of the line count.
    DeleteLine(f64),
    /// Repeat the line at this fraction of the line count.
    DuplicateLine(f64),
    /// XOR the byte at this fraction of the length with a mask.
    FlipByte(f64, u8),
    /// Turn the tab at this fraction of the tab count into a space.
    DropTab(f64),
    /// Put a tab at this fraction of the length.
    AddTab(f64),
}

fn index(fraction: f64, len: usize) -> usize {
    ((fraction * len as f64) as usize).min(len.saturating_sub(1))
}

fn mutate(mut bytes: Vec<u8>, m: &Mutation) -> Vec<u8> {
    let lines = |b: &[u8]| -> Vec<Vec<u8>> {
        b.split_inclusive(|&c| c == b'\n')
            .map(<[u8]>::to_vec)
            .collect()
    };
    match *m {
        Mutation::Truncate(f) => bytes.truncate(index(f, bytes.len())),
        Mutation::DeleteLine(f) => {
            let mut l = lines(&bytes);
            if !l.is_empty() {
                l.remove(index(f, l.len()));
            }
            bytes = l.concat();
        }
        Mutation::DuplicateLine(f) => {
            let mut l = lines(&bytes);
            if !l.is_empty() {
                let i = index(f, l.len());
                l.insert(i, l[i].clone());
            }
            bytes = l.concat();
        }
        Mutation::FlipByte(f, mask) => {
            if !bytes.is_empty() {
                let i = index(f, bytes.len());
                bytes[i] ^= mask;
            }
        }
        Mutation::DropTab(f) => {
            let tabs: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] == b'\t').collect();
            if !tabs.is_empty() {
                bytes[tabs[index(f, tabs.len())]] = b' ';
            }
        }
        Mutation::AddTab(f) => {
            let i = index(f, bytes.len() + 1);
            bytes.insert(i, b'\t');
        }
    }
    bytes
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let f = 0.0..1.0f64;
    prop_oneof![
        f.clone().prop_map(Mutation::Truncate),
        f.clone().prop_map(Mutation::DeleteLine),
        f.clone().prop_map(Mutation::DuplicateLine),
        (f.clone(), 1..=255u8).prop_map(|(f, m)| Mutation::FlipByte(f, m)),
        f.clone().prop_map(Mutation::DropTab),
        f.prop_map(Mutation::AddTab),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever is done to a real file, `parse` and `read` return: either
    /// records, or problems that each say where they are (a missing table
    /// is the one problem of the whole file); records import into a plan
    /// that schedules, or into problems naming the file.
    #[test]
    fn mutated_files_never_panic_and_problems_have_lines(
        path in select(vec![HOUSE, MULTI, CP1251, MINING]),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let mut b = bytes(path);
        for m in &mutations {
            b = mutate(b, m);
        }
        let last_line = b.split(|&c| c == b'\n').count() as u64;
        let result = xer::parse("m.xer", &b, None).and_then(|t| xer::read(&t));
        // What reads also imports (or says why not), and schedules.
        if let Ok(data) = &result {
            match xer::import("m.xer", "23.12", data, &Default::default()) {
                Ok((plan, _)) => {
                    let net = slipcast::network::Network::compile(&plan, None);
                    let det = slipcast::engine::deterministic(&net);
                    prop_assert!(det.project.is_finite());
                }
                Err(e) => {
                    for p in e.problems() {
                        prop_assert!(p.to_string().starts_with("m.xer"), "{p}");
                    }
                }
            }
        }
        if let Err(e) = result {
            let problems = e.problems();
            prop_assert!(!problems.is_empty(), "{e}");
            for p in problems {
                let message = p.to_string();
                prop_assert!(message.starts_with("m.xer"), "{message}");
                match p.line {
                    Some(line) => prop_assert!((1..=last_line).contains(&line), "{message}"),
                    None => prop_assert!(
                        matches!(&p.kind, ProblemKind::Xer(x) if matches!(**x, XerProblem::MissingTable { .. })),
                        "{message}"
                    ),
                }
            }
        }
    }
}
