//! What the campaign pages show, and the server functions that build them: the city
//! dashboard and the units' list (organizers and admins), one unit's report (its manager, or
//! organizers and admins), the campaign's settings, the roster import's preview and result,
//! deployments (organizers and admins) and a volunteer's own shifts and sessions.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;
use crate::domain::campaign::{Goal, Phase};
use crate::domain::Cohort;

/// The campaign in force, as the pages name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignInfo {
    pub id: i64,
    pub name: String,
    /// dd/mm/yyyy.
    pub first_day: String,
    pub last_day: String,
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
    pub shift: crate::domain::campaign::Shift,
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

#[server(endpoint = "campaign/dashboard")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    let user = crate::services::require(crate::domain::Role::may_list_accounts)?;
    crate::services::campaign::dashboard(&crate::services::state()?, &user)
        .await
        .map_err(crate::services::refuse)
}

#[server(endpoint = "campaign/unit")]
pub async fn get_unit_report(code: String) -> Result<Dashboard, AppError> {
    let user = crate::services::require(crate::domain::Role::may_view_units)?;
    crate::services::campaign::unit_report(&crate::services::state()?, &user, &code)
        .await
        .map_err(crate::services::refuse)
}

#[server(endpoint = "campaign/settings")]
pub async fn get_settings() -> Result<CampaignSettings, AppError> {
    crate::services::require(crate::domain::Role::may_list_accounts)?;
    crate::services::campaign::settings(&crate::services::state()?)
        .await
        .map_err(crate::services::refuse)
}

/// One row of a roster preview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRow {
    /// The row's number in the file (the header is row 1).
    pub row: usize,
    pub code: String,
    pub full_name: String,
    pub cohort: Option<Cohort>,
    pub unit: String,
    /// `create`, `update` or `same`.
    pub action: String,
}

/// A problem of one row, already in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub message: String,
}

/// A roster file read and checked against hocso's records, before anything is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterPreview {
    pub id: i64,
    pub file_name: String,
    pub rows: usize,
    pub create: usize,
    pub update: usize,
    pub same: usize,
    /// Problems with the file as a whole (encoding, headers).
    pub file_errors: Vec<String>,
    pub errors: Vec<RowError>,
    /// The first rows, to look at before confirming.
    pub sample: Vec<PreviewRow>,
    /// Already imported (when and how many changed).
    pub applied: bool,
}

#[server(endpoint = "roster/preview")]
pub async fn get_roster_preview(id: i64) -> Result<RosterPreview, AppError> {
    let user = crate::services::require(crate::domain::Role::may_list_accounts)?;
    crate::services::roster::preview_of(&crate::services::state()?, &user, id)
        .await
        .map_err(crate::services::refuse)
}

/// A volunteer ready to be sent out, for the deployment form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadyLine {
    pub id: i64,
    pub full_name: String,
    pub unit: String,
    pub university: Option<String>,
    pub shifts: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeployView {
    pub ready: Vec<ReadyLine>,
    pub shifts: Vec<ShiftLine>,
    /// (code, name) of the province's units.
    pub units: Vec<(String, String)>,
    /// dd/mm/yyyy.
    pub today: String,
}

#[server(endpoint = "deploy")]
pub async fn get_deploy_view() -> Result<DeployView, AppError> {
    crate::services::require(crate::domain::Role::may_list_accounts)?;
    crate::services::deploy::view(&crate::services::state()?)
        .await
        .map_err(crate::services::refuse)
}

/// A logged session, as the volunteer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssistLine {
    pub date: String,
    pub procedure: String,
    pub outcome: crate::domain::campaign::Outcome,
    pub minutes: i64,
    pub household: String,
    pub independent: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftsView {
    /// Meets the volunteer standard.
    pub ready: bool,
    pub shifts: Vec<ShiftLine>,
    pub assists: Vec<AssistLine>,
    /// (procedure id, title) for the session form.
    pub procedures: Vec<(String, String)>,
}

#[server(endpoint = "shifts")]
pub async fn get_shifts() -> Result<ShiftsView, AppError> {
    let user = crate::services::require(|r| r == crate::domain::Role::Learner)?;
    crate::services::deploy::shifts(&crate::services::state()?, &user)
        .await
        .map_err(crate::services::refuse)
}
