//! What the deployment pages show: organizers' plan of shifts, a volunteer's own shifts and
//! sessions.

use serde::{Deserialize, Serialize};

use super::campaign::ShiftLine;
use crate::domain::campaign::Outcome;

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

/// A logged session, as the volunteer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssistLine {
    pub date: String,
    pub procedure: String,
    pub outcome: Outcome,
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
