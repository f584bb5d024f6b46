//! Typed records of the XER tables a schedule needs: projects, calendars,
//! scheduling options, the WBS, activities and their links.
//!
//! Fields are looked up by name, so the order and the extra fields of any
//! P6 version read alike. A field a record cannot do without is required
//! (its absence is one problem for the whole table); the others read as
//! `None` when the table lacks them or the value is blank.
//!
//! `PROJECT` and `TASK` are required tables. P6 leaves out the tables it
//! has no rows for, so a missing `CALENDAR`, `SCHEDOPTIONS`, `PROJWBS` or
//! `TASKPRED` reads as no rows (a project without links has no `TASKPRED`).
//!
//! [`read`] checks each row on its own and that keys are unique; whether an
//! id refers to an existing row (an activity's calendar, a link's
//! predecessor in a project that was not exported) is for the plan built
//! from these records to say.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;

use super::super::error::{LoadError, Problem};
use super::clndr::CalendarData;
use super::codes::{ActivityStatus, ActivityType, ConstraintType, LagCalendar, RelationshipType};
use super::fields::{Fields, records};
use super::problem::XerProblem;
use super::reader::{Row, Table, Xer};

/// A `PROJECT` row.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    /// `proj_id`, the key activities refer to.
    pub id: u64,
    /// `proj_short_name`, the Project ID shown in P6.
    pub short_name: String,
    /// `last_recalc_date`: the data date, up to which progress is recorded.
    pub data_date: Option<NaiveDateTime>,
    /// `scd_end_date`: the finish P6 scheduled.
    pub scheduled_finish: Option<NaiveDateTime>,
    /// `plan_start_date`: the planned start.
    pub planned_start: Option<NaiveDateTime>,
    /// `clndr_id`: the project's default calendar.
    pub calendar: Option<u64>,
    /// `export_flag` is `Y`.
    pub export_flag: bool,
    /// The row's line.
    pub line: u64,
}

/// A `CALENDAR` row, with its working time read.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkCalendar {
    /// `clndr_id`.
    pub id: u64,
    /// `clndr_name`.
    pub name: String,
    /// `proj_id`: the project a project calendar belongs to (`None` for
    /// global and resource calendars).
    pub project: Option<u64>,
    /// `default_flag` is `Y`: the database's default calendar.
    pub default: bool,
    /// `day_hr_cnt`: P6's hours per day, which converts hours to days.
    /// It is a setting, not the sum of the shifts (see [`CalendarData`]).
    pub day_hours: f64,
    /// `week_hr_cnt`: P6's hours per week, likewise a setting.
    pub week_hours: Option<f64>,
    /// `clndr_data`, read; `None` when blank.
    pub data: Option<CalendarData>,
    /// The row's line.
    pub line: u64,
}

/// A `SCHEDOPTIONS` row: the scheduling options of one project.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleOptions {
    /// `proj_id`.
    pub project: u64,
    /// `sched_calendar_on_relationship_lag`.
    pub lag_calendar: LagCalendar,
    /// The row's line.
    pub line: u64,
}

/// A `PROJWBS` row: one element of the work breakdown structure.
#[derive(Debug, Clone, PartialEq)]
pub struct WbsNode {
    /// `wbs_id`.
    pub id: u64,
    /// `proj_id`.
    pub project: u64,
    /// `parent_wbs_id`; a project's root node names an EPS node, which is
    /// not in the file.
    pub parent: Option<u64>,
    /// `wbs_short_name`, e.g. `1.2`.
    pub short_name: String,
    /// `wbs_name`.
    pub name: String,
    /// `proj_node_flag` is `Y`: the project's root node.
    pub project_node: bool,
    /// The row's line.
    pub line: u64,
}

/// A date constraint on an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Constraint {
    /// `cstr_type` (or `cstr_type2`).
    pub kind: ConstraintType,
    /// `cstr_date` (or `cstr_date2`): present for every kind but
    /// [`ConstraintType::AsLateAsPossible`].
    pub date: Option<NaiveDateTime>,
}

/// A `TASK` row: one activity.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    /// `task_id`, the key links refer to.
    pub id: u64,
    /// `proj_id`.
    pub project: u64,
    /// `wbs_id`.
    pub wbs: u64,
    /// `clndr_id`.
    pub calendar: u64,
    /// `task_code`, the Activity ID shown in P6.
    pub code: String,
    /// `guid`: P6's global id of the activity, which stays when its
    /// Activity ID is renumbered (`None` when blank or not exported).
    pub guid: Option<String>,
    /// `task_name`.
    pub name: String,
    /// `task_type`.
    pub kind: ActivityType,
    /// `status_code`.
    pub status: ActivityStatus,
    /// `remain_drtn_hr_cnt`: the remaining duration, in working hours.
    pub remaining_hours: f64,
    /// `target_drtn_hr_cnt`: the planned (original) duration, in working
    /// hours.
    pub target_hours: f64,
    /// `act_start_date`.
    pub actual_start: Option<NaiveDateTime>,
    /// `act_end_date`.
    pub actual_finish: Option<NaiveDateTime>,
    /// `early_start_date`, as P6 last scheduled it.
    pub early_start: Option<NaiveDateTime>,
    /// `early_end_date`.
    pub early_finish: Option<NaiveDateTime>,
    /// `late_start_date`.
    pub late_start: Option<NaiveDateTime>,
    /// `late_end_date`.
    pub late_finish: Option<NaiveDateTime>,
    /// `cstr_type` with `cstr_date`.
    pub constraint: Option<Constraint>,
    /// `cstr_type2` with `cstr_date2`.
    pub secondary_constraint: Option<Constraint>,
    /// The row's line.
    pub line: u64,
}

/// A `TASKPRED` row: one link between two activities.
#[derive(Debug, Clone, PartialEq)]
pub struct Relationship {
    /// `task_pred_id`, when the table has it.
    pub id: Option<u64>,
    /// `task_id`: the successor.
    pub successor: u64,
    /// `pred_task_id`: the predecessor.
    pub predecessor: u64,
    /// `proj_id`: the successor's project.
    pub project: u64,
    /// `pred_proj_id`: the predecessor's project (another project for an
    /// external link).
    pub predecessor_project: u64,
    /// `pred_type`.
    pub kind: RelationshipType,
    /// `lag_hr_cnt`: the lag in working hours; negative is a lead.
    pub lag_hours: f64,
    /// The row's line.
    pub line: u64,
}

/// The records of an XER file, each table in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct XerData {
    /// `PROJECT`.
    pub projects: Vec<Project>,
    /// `CALENDAR`.
    pub calendars: Vec<WorkCalendar>,
    /// `SCHEDOPTIONS`.
    pub schedule_options: Vec<ScheduleOptions>,
    /// `PROJWBS`.
    pub wbs: Vec<WbsNode>,
    /// `TASK`.
    pub activities: Vec<Activity>,
    /// `TASKPRED`.
    pub relationships: Vec<Relationship>,
}

impl XerData {
    /// Each WBS element's path of short names from its project, joined
    /// with `.`: `AREA1.DESIGN.CIVIL`.
    ///
    /// The project's root node (`proj_node_flag` = `Y`) is left out, since
    /// it repeats the project; its own path is empty. A path stops early at
    /// a parent that is not in the file.
    pub fn wbs_paths(&self) -> BTreeMap<u64, String> {
        let by_id: HashMap<u64, &WbsNode> = self.wbs.iter().map(|w| (w.id, w)).collect();
        let mut paths = BTreeMap::new();
        for w in &self.wbs {
            let mut names = Vec::new();
            let mut at = Some(w);
            // At most one step per element: a cycle (refused by `read`)
            // cannot loop.
            for _ in 0..self.wbs.len() {
                let Some(node) = at.filter(|n| !n.project_node) else {
                    break;
                };
                names.push(node.short_name.as_str());
                at = node.parent.and_then(|p| by_id.get(&p).copied());
            }
            names.reverse();
            paths.insert(w.id, names.join("."));
        }
        paths
    }

    /// The calendar a project's lags are counted on, if the file has its
    /// scheduling options.
    pub fn lag_calendar(&self, project: u64) -> Option<LagCalendar> {
        self.schedule_options
            .iter()
            .find(|o| o.project == project)
            .map(|o| o.lag_calendar)
    }
}

/// A required table, or a problem saying how to export it.
fn required<'x>(xer: &'x Xer, name: &str, problems: &mut Vec<Problem>) -> Option<&'x Table> {
    let table = xer.table(name);
    if table.is_none() {
        problems.push(Problem {
            file: xer.file().into(),
            line: None,
            task: None,
            kind: XerProblem::MissingTable { table: name.into() }.into(),
        });
    }
    table
}

/// Reads the projects, calendars, scheduling options, WBS, activities and
/// links of an XER file.
///
/// # Errors
///
/// [`LoadError::Invalid`] with every problem found: a missing `PROJECT` or
/// `TASK` table, a missing required field (once per table), and per row a
/// blank, unreadable or unknown value, a calendar whose `clndr_data`
/// cannot be read, a date constraint without its date, or a key used
/// twice; and a WBS element that is its own parent.
///
/// # Examples
///
/// ```
/// use slipcast::plan::xer;
/// let text = "ERMHDR\t23.12\t2025-04-24\n\
///     %T\tPROJECT\n%F\tproj_id\tproj_short_name\tlast_recalc_date\n%R\t1\tDEMO\t2025-04-22 08:00\n\
///     %T\tTASK\n%F\ttask_id\tproj_id\twbs_id\tclndr_id\ttask_code\ttask_name\ttask_type\tstatus_code\tremain_drtn_hr_cnt\ttarget_drtn_hr_cnt\n\
///     %R\t10\t1\t5\t7\tA100\tDig\tTT_Task\tTK_NotStart\t16\t16\n\
///     %E\n";
/// let data = xer::read(&xer::parse("p.xer", text.as_bytes(), None)?)?;
/// assert_eq!(data.activities[0].code, "A100");
/// assert_eq!(data.activities[0].remaining_hours, 16.0);
/// assert!(data.relationships.is_empty());
/// # Ok::<(), slipcast::plan::LoadError>(())
/// ```
pub fn read(xer: &Xer) -> Result<XerData, LoadError> {
    let mut problems = Vec::new();
    let project_table = required(xer, "PROJECT", &mut problems);
    let task_table = required(xer, "TASK", &mut problems);

    let projects = records(
        project_table,
        &["proj_id", "proj_short_name"],
        Some(("proj_id", |p: &Project| Some(p.id))),
        |f| Project {
            id: f.id("proj_id"),
            short_name: f.filled("proj_short_name"),
            data_date: f.date("last_recalc_date"),
            scheduled_finish: f.date("scd_end_date"),
            planned_start: f.date("plan_start_date"),
            calendar: f.optional("clndr_id", Row::id),
            export_flag: f.row.has(f.table, "export_flag") && f.flag("export_flag"),
            line: f.row.line,
        },
        &mut problems,
    );

    let calendars = records(
        xer.table("CALENDAR"),
        &["clndr_id", "clndr_name", "day_hr_cnt", "clndr_data"],
        Some(("clndr_id", |c: &WorkCalendar| Some(c.id))),
        read_calendar,
        &mut problems,
    );

    let schedule_options = records(
        xer.table("SCHEDOPTIONS"),
        &["proj_id", "sched_calendar_on_relationship_lag"],
        Some(("proj_id", |o: &ScheduleOptions| Some(o.project))),
        |f| ScheduleOptions {
            project: f.id("proj_id"),
            lag_calendar: f
                .code(
                    "sched_calendar_on_relationship_lag",
                    LagCalendar::CODES,
                    LagCalendar::from_code,
                )
                .unwrap_or(LagCalendar::Predecessor),
            line: f.row.line,
        },
        &mut problems,
    );

    let wbs = records(
        xer.table("PROJWBS"),
        &[
            "wbs_id",
            "proj_id",
            "parent_wbs_id",
            "wbs_short_name",
            "wbs_name",
            "proj_node_flag",
        ],
        Some(("wbs_id", |w: &WbsNode| Some(w.id))),
        |f| WbsNode {
            id: f.id("wbs_id"),
            project: f.id("proj_id"),
            parent: f.optional("parent_wbs_id", Row::id),
            short_name: f.text("wbs_short_name"),
            name: f.text("wbs_name"),
            project_node: f.flag("proj_node_flag"),
            line: f.row.line,
        },
        &mut problems,
    );
    if let Some(table) = xer.table("PROJWBS") {
        check_wbs(table, &wbs, &mut problems);
    }

    let activities = records(
        task_table,
        &[
            "task_id",
            "proj_id",
            "wbs_id",
            "clndr_id",
            "task_code",
            "task_name",
            "task_type",
            "status_code",
            "remain_drtn_hr_cnt",
            "target_drtn_hr_cnt",
        ],
        Some(("task_id", |a: &Activity| Some(a.id))),
        read_activity,
        &mut problems,
    );

    let relationships = records(
        xer.table("TASKPRED"),
        &[
            "task_id",
            "pred_task_id",
            "proj_id",
            "pred_proj_id",
            "pred_type",
            "lag_hr_cnt",
        ],
        Some(("task_pred_id", |r: &Relationship| r.id)),
        |f| Relationship {
            id: f.optional("task_pred_id", Row::id),
            successor: f.id("task_id"),
            predecessor: f.id("pred_task_id"),
            project: f.id("proj_id"),
            predecessor_project: f.id("pred_proj_id"),
            kind: f
                .code(
                    "pred_type",
                    RelationshipType::CODES,
                    RelationshipType::from_code,
                )
                .unwrap_or(RelationshipType::FinishToStart),
            lag_hours: f.number("lag_hr_cnt"),
            line: f.row.line,
        },
        &mut problems,
    );

    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line.unwrap_or(0));
        return Err(LoadError::Invalid { problems });
    }
    Ok(XerData {
        projects,
        calendars,
        schedule_options,
        wbs,
        activities,
        relationships,
    })
}

fn read_calendar(f: &mut Fields) -> WorkCalendar {
    let id = f.id("clndr_id");
    let r = f.row.number(f.table, "day_hr_cnt");
    let day_hours = f.keep(r);
    if let Some(day_hours) = day_hours.filter(|h| !(*h > 0.0 && *h <= 24.0)) {
        let p = f.row.problem(
            f.table,
            XerProblem::OutOfRange {
                table: f.table.name.clone(),
                field: "day_hr_cnt".into(),
                value: day_hours,
                range: "hours per day are above 0 and at most 24",
            },
        );
        f.problems.push(p);
    }
    let data = match f.row.value(f.table, "clndr_data") {
        Some(text) if !text.trim().is_empty() => match CalendarData::parse(text) {
            Ok(data) => Some(data),
            Err(what) => {
                let p = f.row.problem(f.table, XerProblem::Calendar { id, what });
                f.problems.push(p);
                None
            }
        },
        _ => None,
    };
    WorkCalendar {
        id,
        name: f.text("clndr_name"),
        project: f.optional("proj_id", Row::id),
        default: f.row.has(f.table, "default_flag") && f.flag("default_flag"),
        day_hours: day_hours.unwrap_or_default(),
        week_hours: f.optional("week_hr_cnt", Row::number),
        data,
        line: f.row.line,
    }
}

fn read_activity(f: &mut Fields) -> Activity {
    let code = f.filled("task_code");
    let activity = Activity {
        id: f.id("task_id"),
        project: f.id("proj_id"),
        wbs: f.id("wbs_id"),
        calendar: f.id("clndr_id"),
        name: f.text("task_name"),
        guid: f
            .optional("guid", |r, t, field| r.text(t, field).map(str::to_string))
            .filter(|g| !g.trim().is_empty()),
        kind: f
            .code("task_type", ActivityType::CODES, ActivityType::from_code)
            .unwrap_or(ActivityType::Task),
        status: f
            .code(
                "status_code",
                ActivityStatus::CODES,
                ActivityStatus::from_code,
            )
            .unwrap_or(ActivityStatus::NotStarted),
        remaining_hours: f.number("remain_drtn_hr_cnt"),
        target_hours: f.number("target_drtn_hr_cnt"),
        actual_start: f.date("act_start_date"),
        actual_finish: f.date("act_end_date"),
        early_start: f.date("early_start_date"),
        early_finish: f.date("early_end_date"),
        late_start: f.date("late_start_date"),
        late_finish: f.date("late_end_date"),
        constraint: f.constraint("cstr_type", "cstr_date"),
        secondary_constraint: f.constraint("cstr_type2", "cstr_date2"),
        line: f.row.line,
        code,
    };
    // Problems of an activity name it by its Activity ID.
    if !activity.code.trim().is_empty() {
        for p in &mut f.problems {
            p.task = Some(activity.code.clone());
        }
    }
    activity
}

/// Refuses WBS elements that are, through their parents, their own parent.
fn check_wbs(table: &Table, wbs: &[WbsNode], problems: &mut Vec<Problem>) {
    let parent: HashMap<u64, Option<u64>> = wbs
        .iter()
        .map(|w| (w.id, w.parent.filter(|_| !w.project_node)))
        .collect();
    // 0: not visited, 1: on the current walk, 2: done.
    let mut state: HashMap<u64, u8> = HashMap::new();
    for w in wbs {
        let mut walk = Vec::new();
        let mut at = Some(w.id);
        while let Some(id) = at {
            match state.get(&id).copied().unwrap_or(0) {
                2 => break,
                1 => {
                    let line = wbs
                        .iter()
                        .find(|n| n.id == id)
                        .map_or(table.line, |n| n.line);
                    problems.push(table.problem(line, XerProblem::WbsCycle { id }));
                    break;
                }
                _ => {}
            }
            if !parent.contains_key(&id) {
                break;
            }
            state.insert(id, 1);
            walk.push(id);
            at = parent.get(&id).copied().flatten();
        }
        for id in walk {
            state.insert(id, 2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::reader::parse;
    use super::*;

    const PROJECT: &str = "%T\tPROJECT\n%F\tproj_id\tproj_short_name\tlast_recalc_date\texport_flag\n%R\t1\tDEMO\t2025-04-22 08:00\tY\n";
    const TASK_FIELDS: &str = "%T\tTASK\n%F\ttask_id\tproj_id\twbs_id\tclndr_id\ttask_code\ttask_name\ttask_type\tstatus_code\tremain_drtn_hr_cnt\ttarget_drtn_hr_cnt\tcstr_type\tcstr_date\n";

    fn file(tables: &str) -> String {
        format!("ERMHDR\t23.12\t2025-04-24\n{tables}%E\n")
    }

    fn problems(tables: &str) -> Vec<String> {
        let xer = parse("p.xer", file(tables).as_bytes(), None).unwrap();
        match read(&xer) {
            Ok(_) => Vec::new(),
            Err(e) => e.problems().iter().map(|p| p.to_string()).collect(),
        }
    }

    fn data(tables: &str) -> XerData {
        let xer = parse("p.xer", file(tables).as_bytes(), None).unwrap();
        read(&xer).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn reads_records_by_field_name() {
        let d = data(&format!(
            "{PROJECT}{TASK_FIELDS}%R\t10\t1\t5\t7\tA100\tDig\tTT_Mile\tTK_Active\t0\t0\tCS_MSOA\t2025-05-01 08:00\n\
             %T\tTASKPRED\n%F\tpred_type\tlag_hr_cnt\tpred_proj_id\tproj_id\tpred_task_id\ttask_id\n%R\tPR_SS\t-16\t1\t1\t9\t10\n"
        ));
        assert_eq!(d.projects[0].short_name, "DEMO");
        assert!(d.projects[0].export_flag);
        let a = &d.activities[0];
        assert_eq!(
            (a.kind, a.status, a.line),
            (ActivityType::StartMilestone, ActivityStatus::InProgress, 7)
        );
        let c = a.constraint.unwrap();
        assert_eq!(c.kind, ConstraintType::StartOnOrAfter);
        assert_eq!(c.date.unwrap().to_string(), "2025-05-01 08:00:00");
        assert_eq!(a.secondary_constraint, None);
        let r = &d.relationships[0];
        assert_eq!(
            (r.successor, r.predecessor, r.kind, r.lag_hours, r.id),
            (10, 9, RelationshipType::StartToStart, -16.0, None)
        );
    }

    #[test]
    fn missing_tables_and_fields_are_one_problem_each() {
        assert_eq!(
            problems("%T\tCURRTYPE\n%F\tcurr_id\n"),
            [
                "p.xer: there is no PROJECT table: the file holds no project. A Resource export holds none: export with export type Project (File > Export > Primavera PM (XER), export type Project)",
                "p.xer: there is no TASK table: the file holds no activities. P6 leaves out the tables it has no rows for: export a project that has activities (File > Export > Primavera PM (XER), export type Project)",
            ]
        );
        let without_code = TASK_FIELDS.replace("\ttask_code", "");
        assert_eq!(
            problems(&format!(
                "{PROJECT}{without_code}%R\t1\n%R\t2\n%T\tTASKPRED\n%F\ttask_id\tpred_task_id\n"
            )),
            [
                "p.xer:6: table TASK has no task_code field; P6 writes it in every XER export, so the file was written by another program or edited; export the project again from P6 (File > Export > Primavera PM (XER), export type Project)",
                "p.xer:10: table TASKPRED has no proj_id field; P6 writes it in every XER export, so the file was written by another program or edited; export the project again from P6 (File > Export > Primavera PM (XER), export type Project)",
                "p.xer:10: table TASKPRED has no pred_proj_id field; P6 writes it in every XER export, so the file was written by another program or edited; export the project again from P6 (File > Export > Primavera PM (XER), export type Project)",
                "p.xer:10: table TASKPRED has no pred_type field; P6 writes it in every XER export, so the file was written by another program or edited; export the project again from P6 (File > Export > Primavera PM (XER), export type Project)",
                "p.xer:10: table TASKPRED has no lag_hr_cnt field; P6 writes it in every XER export, so the file was written by another program or edited; export the project again from P6 (File > Export > Primavera PM (XER), export type Project)",
            ]
        );
    }

    #[test]
    fn every_row_problem_is_reported_with_its_activity() {
        let all = problems(&format!(
            "{PROJECT}{TASK_FIELDS}\
             %R\t10\t1\t5\t7\tA100\tDig\tTT_Hammock\tTK_Done\t8h\t8\tCS_MSO\t\n\
             %R\t10\t1\t5\t7\tA110\tFill\tTT_Task\tTK_NotStart\t8\t8\t\t\n\
             %R\t10\t1\t5\t7\tA120\tTop\tTT_Task\tTK_NotStart\t8\t8\t\t\n\
             %T\tTASKPRED\n%F\ttask_id\tpred_task_id\tproj_id\tpred_proj_id\tpred_type\tlag_hr_cnt\n%R\t10\t9\t1\t1\tPR_XX\t0\n"
        ));
        let expected = [
            "p.xer:7: task \"A100\": TASK.task_type \"TT_Hammock\" is not one of the values P6 writes (TT_Task, TT_Rsrc, TT_Mile, TT_FinMile, TT_LOE, TT_WBS)",
            "p.xer:7: task \"A100\": TASK.status_code \"TK_Done\" is not one of the values P6 writes (TK_NotStart, TK_Active, TK_Complete)",
            "p.xer:7: task \"A100\": TASK.remain_drtn_hr_cnt \"8h\" is not a number",
            "p.xer:7: task \"A100\": TASK.cstr_type is CS_MSO but cstr_date is blank; give the constraint its date in P6, or remove the constraint",
            "p.xer:9: TASK.task_id 10 is used again (first on line 8)",
            "p.xer:12: TASKPRED.pred_type \"PR_XX\" is not one of the values P6 writes (PR_FS, PR_SS, PR_FF, PR_SF)",
        ];
        assert_eq!(all.len(), expected.len(), "{all:#?}");
        for (m, e) in all.iter().zip(expected) {
            assert!(m.starts_with(e), "{m}\n does not start with\n{e}");
        }
    }

    #[test]
    fn calendars_are_read_and_broken_data_names_the_calendar() {
        let cal = "%T\tCALENDAR\n%F\tclndr_id\tclndr_name\tday_hr_cnt\tweek_hr_cnt\tclndr_data\n";
        let week = "(0||CalendarData()((0||DaysOfWeek()((0||2()((0||0(s|08:00|f|16:00)())))))))";
        let d = data(&format!(
            "{PROJECT}{TASK_FIELDS}{cal}%R\t7\tStd\t8\t40\t{}\n%R\t8\tBlank\t8\t\t\n",
            week.replace("(0||2", "\u{7f} (0||2")
        ));
        assert_eq!(
            d.calendars[0].data.as_ref().unwrap().week.week_minutes(),
            480
        );
        assert_eq!(d.calendars[1].data, None);
        assert_eq!(d.calendars[1].week_hours, None);
        let all = problems(&format!(
            "{PROJECT}{TASK_FIELDS}{cal}%R\t7\tStd\t8\t40\t(0||CalendarData()(\n%R\t8\tZero\t0\t\t\n"
        ));
        assert_eq!(
            all,
            [
                "p.xer:9: calendar 7 (CALENDAR.clndr_data): expected ')' closing a node's children at character 19, near \"endarData()(\"; check the calendar in P6 (Enterprise > Calendars) and export the project again from P6 (File > Export > Primavera PM (XER), export type Project)",
                "p.xer:10: CALENDAR.day_hr_cnt 0 is out of range: hours per day are above 0 and at most 24; correct it in P6 or export the project again from P6 (File > Export > Primavera PM (XER), export type Project)",
            ]
        );
    }

    #[test]
    fn wbs_paths_leave_out_the_project_node_and_cycles_are_refused() {
        let wbs = "%T\tPROJWBS\n%F\twbs_id\tproj_id\tparent_wbs_id\twbs_short_name\twbs_name\tproj_node_flag\n";
        let d = data(&format!(
            "{PROJECT}{TASK_FIELDS}{wbs}%R\t1\t1\t99\tDEMO\tDemo\tY\n%R\t2\t1\t1\tA\tArea\tN\n%R\t3\t1\t2\tB\tBuild\tN\n%R\t4\t1\t77\tLOOSE\tNo parent\tN\n"
        ));
        let paths = d.wbs_paths();
        assert_eq!(
            paths.values().map(String::as_str).collect::<Vec<_>>(),
            ["", "A", "A.B", "LOOSE"]
        );
        let all = problems(&format!(
            "{PROJECT}{TASK_FIELDS}{wbs}%R\t2\t1\t3\tA\tArea\tN\n%R\t3\t1\t2\tB\tBuild\tN\n"
        ));
        assert_eq!(all.len(), 1, "{all:#?}");
        assert!(
            all[0]
                .starts_with("p.xer:9: PROJWBS wbs_id 2 is, through parent_wbs_id, its own parent"),
            "{}",
            all[0]
        );
    }
}
