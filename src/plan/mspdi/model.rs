//! What an MSPDI file holds that a schedule needs, as read: the project's
//! settings, its calendars, its tasks with their links and custom fields,
//! and the custom fields' names. Nothing is converted or applied here.

use chrono::{NaiveDate, NaiveDateTime};

/// An MS Project XML (MSPDI) file, read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mspdi {
    /// `SaveVersion`: 12 is Project 2007, 14 is 2010 and later.
    pub save_version: Option<String>,
    /// `Name` (the file name MS Project saved it as) or `Title`.
    pub name: String,
    /// `ScheduleFromStart` (`false`: scheduled back from the finish date).
    pub schedule_from_start: bool,
    /// `StartDate`: the project's start.
    pub start_date: Option<NaiveDateTime>,
    /// `FinishDate`: the finish MS Project computed.
    pub finish_date: Option<NaiveDateTime>,
    /// `StatusDate`: the date progress was recorded to, if set.
    pub status_date: Option<NaiveDateTime>,
    /// `CalendarUID`: the project calendar.
    pub calendar: Option<i64>,
    /// `MinutesPerDay`: converts durations to days (480 unless set).
    pub minutes_per_day: f64,
    /// `MinutesPerWeek` (2400 unless set).
    pub minutes_per_week: f64,
    /// `DaysPerMonth` (20 unless set).
    pub days_per_month: f64,
    /// The calendars, in file order.
    pub calendars: Vec<MsCalendar>,
    /// The tasks, in file order (outline order).
    pub tasks: Vec<MsTask>,
    /// The custom fields defined (`ExtendedAttributes`).
    pub fields: Vec<FieldDefinition>,
}

/// A custom field's definition: its id, its name and the user's alias.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldDefinition {
    /// `FieldID`, e.g. 188743783 for `Duration1`.
    pub id: u32,
    /// `FieldName`, e.g. `Duration1`.
    pub name: String,
    /// `Alias`: the name the user gave it, e.g. `Optimistic`.
    pub alias: Option<String>,
}

/// A working period of a day, in minutes after midnight (`to` may be 1440).
pub type Period = (u16, u16);

/// One weekday of a calendar's week (`DayType` 1 = Sunday .. 7 = Saturday).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MsWeekDay {
    /// `DayWorking`.
    pub working: bool,
    /// The day's `WorkingTimes`.
    pub times: Vec<Period>,
}

/// A calendar exception: dates worked in other hours, or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MsException {
    /// The first date.
    pub from: NaiveDate,
    /// The last date.
    pub to: NaiveDate,
    /// `DayWorking`.
    pub working: bool,
    /// The hours worked those days (when working).
    pub times: Vec<Period>,
    /// `Type` of a recurring exception (1 daily; 2-6 yearly, monthly,
    /// weekly patterns that are not expanded), `None` for the old form.
    pub recurrence: Option<u32>,
    /// `Name`, if any.
    pub name: String,
}

/// A calendar: its own weekdays (those it leaves out come from its base
/// calendar) and exceptions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MsCalendar {
    /// `UID`.
    pub uid: i64,
    /// `Name`.
    pub name: String,
    /// `IsBaseCalendar`.
    pub is_base: bool,
    /// `BaseCalendarUID` (`None` or -1: none).
    pub base: Option<i64>,
    /// Weekdays it sets, Monday first.
    pub week: [Option<MsWeekDay>; 7],
    /// Its exceptions.
    pub exceptions: Vec<MsException>,
    /// Whether it has `WorkWeeks` (alternate weeks for date ranges).
    pub work_weeks: bool,
    /// The line of its `Calendar` element.
    pub line: u64,
}

/// A link to a task's predecessor.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MsLink {
    /// `PredecessorUID`.
    pub pred: i64,
    /// `Type`: 0 FF, 1 FS, 2 SF, 3 SS (FS unless set).
    pub kind: u32,
    /// `LinkLag`, in tenths of a minute (a percentage lag: tenths of a
    /// percent).
    pub lag: f64,
    /// `LagFormat`: the unit MS Project shows the lag in (elapsed units
    /// count every hour; 19 and 20 are percentages).
    pub lag_format: u32,
    /// `CrossProject`: the predecessor is in another project file.
    pub cross_project: bool,
    /// The line of its `PredecessorLink` element.
    pub line: u64,
}

/// A custom field's value on a task.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MsValue {
    /// `FieldID`.
    pub field: u32,
    /// `Value`, as written.
    pub value: String,
    /// `DurationFormat` of a duration field.
    pub duration_format: Option<u32>,
}

/// A task, as read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MsTask {
    /// `UID`: the task's identity, unchanged by moving it.
    pub uid: i64,
    /// `ID`: the row number users see.
    pub id: Option<i64>,
    /// `Name`.
    pub name: String,
    /// `Active` (true unless 0).
    pub active: bool,
    /// `Manual`: manually scheduled.
    pub manual: bool,
    /// `IsNull`: a blank row.
    pub is_null: bool,
    /// `Summary`.
    pub summary: bool,
    /// `Milestone`.
    pub milestone: bool,
    /// `ExternalTask`: a task of another project shown in this one.
    pub external: bool,
    /// `OutlineLevel` (0: the project summary task).
    pub outline_level: u32,
    /// `WBS` code.
    pub wbs: String,
    /// `Start`, as MS Project scheduled it.
    pub start: Option<NaiveDateTime>,
    /// `Finish`.
    pub finish: Option<NaiveDateTime>,
    /// `Duration`, in minutes.
    pub duration: Option<f64>,
    /// `DurationFormat` of the duration (elapsed formats count every hour).
    pub duration_format: Option<u32>,
    /// `RemainingDuration`, in minutes.
    pub remaining: Option<f64>,
    /// `PercentComplete`.
    pub percent_complete: f64,
    /// `ActualStart`.
    pub actual_start: Option<NaiveDateTime>,
    /// `ActualFinish`.
    pub actual_finish: Option<NaiveDateTime>,
    /// `ConstraintType`: 0 as soon as possible, 1 as late as possible, 2
    /// must start on, 3 must finish on, 4 start no earlier than, 5 start no
    /// later than, 6 finish no earlier than, 7 finish no later than.
    pub constraint: u32,
    /// `ConstraintDate`.
    pub constraint_date: Option<NaiveDateTime>,
    /// `CalendarUID` (-1 or `None`: the project calendar).
    pub calendar: Option<i64>,
    /// `PredecessorLink`s.
    pub links: Vec<MsLink>,
    /// `ExtendedAttribute` values.
    pub values: Vec<MsValue>,
    /// The line of its `Task` element.
    pub line: u64,
}

impl MsTask {
    /// Whether it is scheduled: active, not blank, not a summary, not the
    /// project summary and not another project's task.
    pub fn scheduled(&self) -> bool {
        self.active && !self.is_null && !self.summary && self.outline_level > 0 && !self.external
    }
}
