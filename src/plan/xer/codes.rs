//! The code values P6 writes in XER fields (`TT_Task`, `PR_FS`, ...), as
//! enums.
//!
//! Each enum reads its codes with `from_code` (ASCII case ignored) and
//! writes them back with `code`; `CODES` lists them for messages.

/// An enum of P6 codes, with `from_code`, `code` and `CODES`.
macro_rules! codes {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every code P6 writes for this field, in the order above.
            pub const CODES: &'static [&'static str] = &[$($code),+];

            /// The value a code names (ASCII case ignored).
            pub fn from_code(code: &str) -> Option<$name> {
                $( if code.eq_ignore_ascii_case($code) { return Some($name::$variant); } )+
                None
            }

            /// The code as P6 writes it.
            pub fn code(self) -> &'static str {
                match self { $( $name::$variant => $code, )+ }
            }
        }
    };
}

codes! {
    /// `TASK.task_type`: what kind of activity a row is.
    ActivityType {
        /// `TT_Task`: a task dependent activity, scheduled on its own calendar.
        Task = "TT_Task",
        /// `TT_Rsrc`: a resource dependent activity, scheduled on its
        /// resources' calendars.
        Resource = "TT_Rsrc",
        /// `TT_Mile`: a start milestone (no duration).
        StartMilestone = "TT_Mile",
        /// `TT_FinMile`: a finish milestone (no duration).
        FinishMilestone = "TT_FinMile",
        /// `TT_LOE`: a level of effort, spanning the activities it is linked
        /// to.
        LevelOfEffort = "TT_LOE",
        /// `TT_WBS`: a WBS summary, spanning the activities of its WBS.
        WbsSummary = "TT_WBS",
    }
}

codes! {
    /// `TASK.status_code`: how far an activity has got.
    ActivityStatus {
        /// `TK_NotStart`: not started.
        NotStarted = "TK_NotStart",
        /// `TK_Active`: started, not finished.
        InProgress = "TK_Active",
        /// `TK_Complete`: finished.
        Completed = "TK_Complete",
    }
}

codes! {
    /// `TASK.cstr_type` and `cstr_type2`: a constraint on an activity's
    /// dates.
    ConstraintType {
        /// `CS_MSO`: start on the date.
        StartOn = "CS_MSO",
        /// `CS_MSOB`: start on or before the date.
        StartOnOrBefore = "CS_MSOB",
        /// `CS_MSOA`: start on or after the date.
        StartOnOrAfter = "CS_MSOA",
        /// `CS_MEO`: finish on the date.
        FinishOn = "CS_MEO",
        /// `CS_MEOB`: finish on or before the date.
        FinishOnOrBefore = "CS_MEOB",
        /// `CS_MEOA`: finish on or after the date.
        FinishOnOrAfter = "CS_MEOA",
        /// `CS_ALAP`: as late as possible (no date).
        AsLateAsPossible = "CS_ALAP",
        /// `CS_MANDSTART`: mandatory start, overriding the links.
        MandatoryStart = "CS_MANDSTART",
        /// `CS_MANDFIN`: mandatory finish, overriding the links.
        MandatoryFinish = "CS_MANDFIN",
    }
}

impl ConstraintType {
    /// Whether the constraint needs a date (all but as late as possible).
    pub fn has_date(self) -> bool {
        self != ConstraintType::AsLateAsPossible
    }
}

codes! {
    /// `TASKPRED.pred_type`: which ends of the two activities a link ties.
    RelationshipType {
        /// `PR_FS`: the successor starts after the predecessor finishes.
        FinishToStart = "PR_FS",
        /// `PR_SS`: the successor starts after the predecessor starts.
        StartToStart = "PR_SS",
        /// `PR_FF`: the successor finishes after the predecessor finishes.
        FinishToFinish = "PR_FF",
        /// `PR_SF`: the successor finishes after the predecessor starts.
        StartToFinish = "PR_SF",
    }
}

codes! {
    /// `SCHEDOPTIONS.sched_calendar_on_relationship_lag`: the calendar a
    /// link's lag is counted on.
    LagCalendar {
        /// `rcal_Predecessor`: the predecessor's calendar.
        Predecessor = "rcal_Predecessor",
        /// `rcal_Successor`: the successor's calendar.
        Successor = "rcal_Successor",
        /// `rcal_24Hour`: elapsed time, 24 hours a day, every day.
        TwentyFourHour = "rcal_24Hour",
        /// `rcal_ProjDefault`: the project's default calendar.
        ProjectDefault = "rcal_ProjDefault",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        for c in RelationshipType::CODES {
            assert_eq!(RelationshipType::from_code(c).unwrap().code(), *c);
        }
        assert_eq!(
            ActivityType::from_code("tt_finmile"),
            Some(ActivityType::FinishMilestone)
        );
        assert_eq!(ActivityStatus::from_code("TK_Done"), None);
        assert_eq!(LagCalendar::CODES.len(), 4);
        assert!(!ConstraintType::AsLateAsPossible.has_date());
    }
}
