//! What the competency pages show: a learner's passport and skills survey, a unit's staff
//! matrix, the organizers' overview of units and the volunteers ready for deployment.

use serde::{Deserialize, Serialize};

use crate::domain::competency::EvidenceStanding;
use crate::domain::Cohort;

/// The verification rule in force, as the passport explains it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleView {
    pub min_evidence: u32,
    pub min_percent: u32,
    pub window_days: u32,
}

/// One piece of evidence behind (or not behind) a level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceLine {
    pub title: String,
    /// `quiz` or `practice`.
    pub kind: String,
    pub level: u8,
    pub percent: u32,
    /// dd/mm/yyyy.
    pub date: String,
    pub standing: EvidenceStanding,
    /// Among the pieces the verified level rests on.
    pub counted: bool,
    /// The quiz result or run review.
    pub href: String,
}

/// A quiz or practice that would add evidence at the required level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextStep {
    pub title: String,
    pub kind: String,
    pub level: u8,
    pub href: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassportLine {
    pub competence: String,
    pub name: String,
    pub required: u8,
    pub self_assessed: Option<u8>,
    pub verified: u8,
    pub gap: u8,
    /// dd/mm/yyyy: when the verified level lapses unless new evidence arrives.
    pub until: Option<String>,
    /// Pieces of evidence in all (`evidence` shows the first few: those counted first).
    pub evidence_count: u32,
    pub evidence: Vec<EvidenceLine>,
    pub next: Vec<NextStep>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassportView {
    pub full_name: String,
    pub position: String,
    pub meets: bool,
    /// A volunteer who meets the volunteer standard: ready to be sent to a ward.
    pub ready_for_deployment: bool,
    pub met: u32,
    pub required: u32,
    pub rule: RuleView,
    pub lines: Vec<PassportLine>,
    /// The learner has filled in the skills survey.
    pub surveyed: bool,
}

/// One competence of the skills survey.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyItem {
    pub competence: String,
    pub name: String,
    pub description: String,
    /// Required by the learner's position.
    pub required: bool,
    pub answer: Option<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyView {
    pub items: Vec<SurveyItem>,
    /// (level, name, descriptor), 1..8.
    pub levels: Vec<(u8, String, String)>,
}

/// One cell of the unit matrix: a staff member's verified level of a competence, against what
/// their position requires (0: not required).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub verified: u8,
    pub required: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffLine {
    pub id: i64,
    pub full_name: String,
    pub position: String,
    pub cells: Vec<Cell>,
    pub meets: bool,
    /// Meets the standard of a leadership post (appointment readiness).
    pub leader_ready: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueLine {
    pub full_name: String,
    pub module: String,
    pub due: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentLine {
    pub module_id: String,
    pub module: String,
    /// dd/mm/yyyy.
    pub due: String,
    /// Staff it applies to, and how many have passed the module's quiz.
    pub staff: u32,
    pub done: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitView {
    pub code: String,
    pub name: String,
    /// The matrix's columns: (competence id, name).
    pub competences: Vec<(String, String)>,
    pub staff: Vec<StaffLine>,
    /// Staff meeting their position's standard (the maintained count) and staff in all.
    pub meeting: u32,
    pub total: u32,
    pub assignments: Vec<AssignmentLine>,
    /// Mandatory modules that can be given a due date: (module id, title).
    pub assignable: Vec<(String, String)>,
    pub overdue: Vec<OverdueLine>,
    /// The viewer may set due dates (a unit manager of this unit, an organizer or an admin).
    pub can_assign: bool,
    /// Learners of the unit without a password yet (imported rosters).
    pub pending: Vec<PendingLine>,
}

/// A learner on an imported roster who has not activated their account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingLine {
    pub id: i64,
    pub full_name: String,
    pub cohort: Option<Cohort>,
    pub code: Option<String>,
    /// A code was issued and is still valid.
    pub code_issued: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitLine {
    pub code: String,
    pub name: String,
    pub staff: u32,
    pub meeting: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadyVolunteer {
    pub full_name: String,
    pub unit: String,
    /// dd/mm/yyyy.
    pub since: Option<String>,
}
