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
    pub levels: Vec<Level>,
    pub areas: Vec<Area>,
    pub competences: Vec<Competence>,
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
