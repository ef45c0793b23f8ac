//! The content files as written (TOML), before checking. Fields that a check may complain
//! about keep their position (`Spanned`) so errors can name the line.

use serde::Deserialize;
use toml::Spanned;

/// A text in both languages. Either may be missing here; the checker reports it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub vi: Option<String>,
    pub en: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    #[serde(default)]
    pub verification: Option<Spanned<Verification>>,
    pub levels: Vec<Level>,
    pub areas: Vec<Area>,
    pub competences: Vec<Competence>,
}

/// The rule that turns evidence into verified levels (see `domain::competency`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verification {
    pub min_evidence: u32,
    pub min_percent: u32,
    pub window_days: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub level: Spanned<u8>,
    pub band: Spanned<String>,
    pub name: Spanned<Text>,
    pub descriptor: Spanned<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    pub id: Spanned<String>,
    pub name: Spanned<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Competence {
    pub id: Spanned<String>,
    pub area: Spanned<String>,
    pub name: Spanned<Text>,
    pub description: Spanned<Text>,
    #[serde(default)]
    pub digcomp: Vec<String>,
    #[serde(default)]
    pub qd757: Vec<String>,
    #[serde(default)]
    pub tt03: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Positions {
    pub positions: Vec<Position>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub id: Spanned<String>,
    pub cohort: Spanned<String>,
    pub name: Spanned<Text>,
    /// The position a learner of this cohort has when none is set (one per cohort).
    #[serde(default)]
    pub default: bool,
    /// A leadership post: meeting its standard makes a staff member ready for appointment.
    #[serde(default)]
    pub leadership: bool,
    #[serde(default)]
    pub mandatory_modules: Vec<Spanned<String>>,
    #[serde(default)]
    pub requires: Vec<Evidence>,
}

/// "Evidences competence C at level L" (lessons, quizzes) or "requires level L of C" (positions).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub competence: Spanned<String>,
    pub level: Spanned<u8>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Module {
    pub id: Spanned<String>,
    pub version: u32,
    pub title: Spanned<Text>,
    pub summary: Spanned<Text>,
    pub cohorts: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub mandatory_for: Vec<Spanned<String>>,
    pub lessons: Spanned<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonFront {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub minutes: Spanned<u32>,
    pub version: u32,
    #[serde(default)]
    pub evidences: Vec<Evidence>,
    pub cohorts: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonFrontTranslation {
    pub title: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    pub id: Spanned<String>,
    pub version: u32,
    pub pass_mark: Spanned<u32>,
    #[serde(default)]
    pub evidences: Vec<Evidence>,
    pub questions: Spanned<Vec<Question>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: Spanned<String>,
    pub kind: Spanned<String>,
    pub lesson: Spanned<String>,
    pub prompt: Spanned<Text>,
    #[serde(default)]
    pub options: Vec<QuestionOption>,
    pub answer: Option<bool>,
    #[serde(default)]
    pub items: Vec<Item>,
    pub feedback: Option<Spanned<Text>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionOption {
    pub id: Spanned<String>,
    pub text: Spanned<Text>,
    #[serde(default)]
    pub correct: bool,
    pub feedback: Option<Spanned<Text>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: Spanned<String>,
    pub text: Spanned<Text>,
}

// The practice sandbox: procedures/portal.toml, procedures/<id>/procedure.toml and
// scenarios.toml.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Portal {
    pub authorities: Vec<Agency>,
    pub deliveries: Vec<Agency>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    pub id: Spanned<String>,
    pub name: Spanned<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    pub id: Spanned<String>,
    pub version: u32,
    pub code: Option<String>,
    pub title: Spanned<Text>,
    pub summary: Spanned<Text>,
    pub cohorts: Spanned<Vec<Spanned<String>>>,
    pub authority: Spanned<String>,
    pub authority_options: Spanned<Vec<Spanned<String>>>,
    pub delivery_options: Spanned<Vec<Spanned<String>>>,
    pub login_field: Spanned<String>,
    pub lesson: Spanned<String>,
    pub time_limit: Spanned<Text>,
    #[serde(default)]
    pub legal_basis: Vec<String>,
    #[serde(default)]
    pub evidences: Vec<Evidence>,
    pub exam_minutes: Spanned<u32>,
    pub pass_mark: Option<Spanned<u32>>,
    pub fee: Spanned<Fee>,
    #[serde(default)]
    pub documents: Vec<Document>,
    pub sections: Spanned<Vec<Section>>,
    #[serde(default)]
    pub rules: Vec<Rule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    pub amount: u32,
    pub free_within_days: Option<Spanned<u32>>,
    pub from_field: Option<Spanned<String>>,
    pub note: Option<Spanned<Text>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub id: Spanned<String>,
    pub name: Spanned<Text>,
    pub when: Option<Spanned<Text>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: Spanned<String>,
    pub title: Spanned<Text>,
    pub fields: Vec<FieldDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    pub id: Spanned<String>,
    #[serde(rename = "type")]
    pub kind: Spanned<String>,
    pub label: Spanned<Text>,
    pub help: Option<Spanned<Text>>,
    pub required: Option<bool>,
    pub lesson: Option<Spanned<String>>,
    pub of: Option<Spanned<String>>,
    #[serde(default)]
    pub options: Vec<OptionDef>,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionDef {
    pub value: Spanned<String>,
    pub label: Spanned<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    #[serde(rename = "type")]
    pub kind: Spanned<String>,
    pub id: Option<Spanned<String>>,
    pub sex: Option<Spanned<String>>,
    pub birth_date: Option<Spanned<String>>,
    pub earlier: Option<Spanned<String>>,
    pub later: Option<Spanned<String>>,
    pub years: Option<u8>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenarios {
    pub scenarios: Vec<Scenario>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: Spanned<String>,
    pub difficulty: Spanned<u8>,
    pub title: Spanned<Text>,
    pub brief: Spanned<Text>,
    pub filing_date: Spanned<String>,
    pub delivery: Spanned<String>,
    pub documents: Spanned<Vec<Spanned<String>>>,
    pub fee: Option<Spanned<u32>>,
    pub authority: Option<Spanned<String>>,
    pub traps: Spanned<Vec<Spanned<crate::domain::procedure::Trap>>>,
    pub values: Spanned<std::collections::BTreeMap<String, Spanned<String>>>,
}
