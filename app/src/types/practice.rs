//! What the practice sandbox pages show. A scenario's right answers reach the browser only in
//! guided mode (as hints the learner asks for, or as feedback) and in the review of a
//! submitted run.

use serde::{Deserialize, Serialize};

use crate::domain::practice::{Mode, RunStatus};
use crate::domain::procedure::{FieldKind, Problem};

/// One procedure in the sandbox's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureEntry {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub scenarios: usize,
    /// Best exam-mode percentage so far.
    pub best_exam: Option<u32>,
    pub passed_exam: bool,
    /// Unfinished runs of this procedure.
    pub active_runs: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioEntry {
    pub id: String,
    pub title: String,
    pub difficulty: u8,
    /// The learner's unfinished run of this scenario: (run id, mode).
    pub active: Option<(i64, Mode)>,
    pub best_exam: Option<u32>,
    /// The learner has seen this case (a guided run, or a submitted run's review): an exam on
    /// it is scored but is no evidence.
    pub seen: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunSummary {
    pub id: i64,
    pub scenario_title: String,
    pub mode: Mode,
    pub status: RunStatus,
    pub percent: Option<u32>,
    pub passed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureView {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub code: Option<String>,
    /// Hidden (None) while the learner has an unfinished exam run of this procedure.
    pub authority: Option<String>,
    pub time_limit: String,
    pub legal_basis: Vec<String>,
    pub fee_note: Option<String>,
    /// The learner has an unfinished exam run of this procedure.
    pub in_exam: bool,
    pub exam_minutes: u32,
    pub pass_mark: u32,
    /// The lesson that teaches it: (address, title).
    pub lesson: (String, String),
    pub scenarios: Vec<ScenarioEntry>,
    pub history: Vec<RunSummary>,
}

/// A step in the run's progress list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepLink {
    pub id: String,
    pub title: String,
    /// Reached already: the learner may go back to it.
    pub reached: bool,
    pub current: bool,
}

/// One form field as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldView {
    pub id: String,
    pub label: String,
    /// Shown in guided mode only.
    pub help: Option<String>,
    pub kind: FieldKind,
    pub required: bool,
    pub value: String,
    /// For choices and sex: (value, label).
    pub options: Vec<(String, String)>,
    /// A hint the learner asked for (guided): what the brief says to enter.
    pub hint: Option<String>,
    /// Messages for the problems instant feedback can find in this field (guided).
    pub messages: Vec<(Problem, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepView {
    Login {
        value: String,
    },
    Find {
        procedures: Vec<(String, String)>,
        chosen: String,
        authorities: Vec<(String, String)>,
        authority: String,
    },
    Section {
        title: String,
        fields: Vec<FieldView>,
    },
    Documents {
        /// (id, name, note, ticked)
        documents: Vec<(String, String, Option<String>, bool)>,
    },
    Delivery {
        options: Vec<(String, String)>,
        chosen: String,
    },
    Fee {
        /// The fee rule, shown in guided mode only.
        note: Option<String>,
        value: String,
    },
    Confirm {
        /// (what, entered) for every answer so far.
        summary: Vec<(String, String)>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunView {
    pub id: i64,
    pub procedure_id: String,
    pub procedure_title: String,
    pub scenario_title: String,
    /// Safe HTML of the persona brief.
    pub brief_html: String,
    pub mode: Mode,
    pub steps: Vec<StepLink>,
    pub step_id: String,
    pub step: StepView,
    /// Exam mode: whole minutes left (negative once over).
    pub minutes_left: Option<i64>,
    pub hints_used: u32,
    /// The run was submitted or abandoned: the page links to the review instead.
    pub finished: bool,
    pub submitted: bool,
    /// The procedure changed since the run began: it can only be started again.
    pub outdated: bool,
}

/// One mistake in a submitted run, explained.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MistakeView {
    /// What was wrong: a field's label, or the step.
    pub what: String,
    /// The rule, in words.
    pub rule: String,
    pub given: String,
    pub right: String,
    /// The lesson that teaches it: (address, title).
    pub lesson: Option<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrapView {
    pub description: String,
    /// The learner fell into it.
    pub fell: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    pub id: i64,
    pub procedure_id: String,
    pub procedure_title: String,
    pub scenario_id: String,
    pub scenario_title: String,
    pub mode: Mode,
    /// The simulated dossier code.
    pub dossier_code: String,
    pub points: u32,
    pub max: u32,
    pub percent: u32,
    pub pass_mark: u32,
    pub passed: bool,
    /// A rule was broken: the desk would send the dossier back.
    pub returned: bool,
    pub minutes: u32,
    pub time_limit_minutes: Option<u32>,
    pub hints_used: u32,
    pub fields_right: usize,
    pub fields_total: usize,
    /// How the score was reached, one line per part: (what, outcome).
    pub breakdown: Vec<(String, String)>,
    pub mistakes: Vec<MistakeView>,
    pub traps: Vec<TrapView>,
}

/// Where a posted step leaves the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepOutcome {
    /// At `step`: the next one, or the same one scrolled to the field whose hint was asked for.
    At {
        run: i64,
        step: String,
        anchor: Option<String>,
    },
    /// Submitted (now, or already before): its review is ready.
    Submitted { run: i64 },
    /// It was abandoned before: back to its procedure.
    Ended { procedure: String },
}
