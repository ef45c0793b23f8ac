//! What the campaign pages show: the city dashboard, one unit's report, the campaign's
//! settings.

use serde::{Deserialize, Serialize};

use crate::domain::campaign::{Goal, Phase, Shift};
use crate::domain::Cohort;

/// The campaign in force, as the pages name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignInfo {
    pub id: i64,
    pub name: String,
    /// dd/mm/yyyy.
    pub first_day: String,
    pub last_day: String,
    /// The first day, as days since 1970-01-01.
    pub first_epoch_day: i64,
    pub days: i64,
    pub phase: Phase,
    /// Days begun so far (0 before the start, `days` after the end).
    pub elapsed: i64,
}

/// One goal: where it stands, its target, the target line today, and its history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalLine {
    pub goal: Goal,
    /// The value compared with the target (percent or count); `None` when unknown.
    pub value: Option<i64>,
    pub count: i64,
    /// The denominator of a percent goal.
    pub of: Option<i64>,
    pub target: Option<i64>,
    /// Where the target line stands today.
    pub expected: Option<i64>,
    /// The value when the campaign began (where the target line starts).
    pub start: i64,
    /// The value at the end of each day of the campaign so far (day 1 first).
    pub series: Vec<Option<i64>>,
    /// Below the target line by more than the rule allows.
    pub behind: bool,
}

/// A cohort's coverage: learners, those trained, those meeting their standard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortLine {
    pub cohort: Cohort,
    pub members: i64,
    pub trained: i64,
    pub meeting: i64,
}

/// What volunteers logged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssistSummary {
    pub total: i64,
    pub online: i64,
    pub helped: i64,
    pub impossible: i64,
    pub minutes: i64,
    pub independent: i64,
    pub households_seen: i64,
    pub households_proficient: i64,
}

/// A unit in the city's list, with the goals it is behind on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSummary {
    pub code: String,
    pub name: String,
    pub officials: i64,
    pub officials_meeting: i64,
    pub volunteers_ready: i64,
    pub deployed: i64,
    pub residents_trained: i64,
    pub households_proficient: i64,
    /// From the unit's figures.
    pub households: Option<i64>,
    pub online_rate: Option<i64>,
    /// (goal, value, where the line stands), worst first.
    pub behind: Vec<(Goal, i64, i64)>,
    /// The worst goal's value as a percent of where it should be.
    pub pace: Option<i64>,
}

/// A shift in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftLine {
    pub id: i64,
    pub volunteer: String,
    pub unit_code: String,
    pub unit: String,
    /// dd/mm/yyyy.
    pub date: String,
    pub shift: Shift,
    pub assists: i64,
    /// Sessions may be logged for it now.
    pub open: bool,
}

/// The city dashboard, or one unit's report (then `units` and `at_risk` are empty).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub campaign: Option<CampaignInfo>,
    /// The city's or the unit's name.
    pub scope_name: String,
    /// The unit's code (a unit report) or `None` (the city).
    pub unit_code: Option<String>,
    pub goals: Vec<GoalLine>,
    pub cohorts: Vec<CohortLine>,
    pub assists: AssistSummary,
    pub at_risk: Vec<UnitSummary>,
    pub units: Vec<UnitSummary>,
    /// The unit's shifts from today on (a unit report).
    pub shifts: Vec<ShiftLine>,
    /// The latest figures entered (unit report).
    pub figures: Option<FiguresView>,
    /// The unit's own targets, where set (unit report).
    pub unit_targets: Vec<(Goal, i64)>,
    /// The viewer may enter figures / set targets / change the campaign.
    pub can_enter_figures: bool,
    pub can_set_targets: bool,
}

/// A unit's latest figures from the portal's statistics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiguresView {
    /// dd/mm/yyyy.
    pub date: String,
    pub households: Option<i64>,
    pub received: Option<i64>,
    pub online: Option<i64>,
}

/// The settings form's current values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignSettings {
    pub id: Option<i64>,
    pub name: String,
    /// dd/mm/yyyy.
    pub first_day: String,
    pub days: i64,
    pub targets: Vec<(Goal, Option<i64>)>,
}
