//! The curriculum: the catalog the services read, and [`load`], which reads `content/` and
//! checks it (the checker is `check.rs`).
//!
//! [`load`] reads every file, reports every problem with its file and line, and only returns a
//! catalog when there is no error. Lessons are rendered to safe HTML once, at load.

mod check;
pub mod markdown;
pub mod procedures;
mod raw;

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::domain::quiz::AnswerKey;
use crate::domain::Cohort;
use crate::i18n::Locale;
use markdown::CalloutLabels;

/// How bad a problem is: an error stops the content from loading; a warning does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in the content, with where it is and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    /// Relative to the content directory.
    pub file: PathBuf,
    /// 1-based.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}: {kind}: {}",
            self.file.display(),
            self.line,
            self.message
        )
    }
}

/// A text in Vietnamese and, where written, English (Vietnamese is shown when it is not).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct L10n {
    pub vi: String,
    pub en: Option<String>,
}

impl L10n {
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::Vi => &self.vi,
            Locale::En => self.en.as_deref().unwrap_or(&self.vi),
        }
    }
}

/// "Competence C at level L": what a lesson or quiz evidences, or what a position requires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub competence: String,
    pub level: u8,
}

#[derive(Clone, Debug)]
pub struct LevelInfo {
    pub level: u8,
    pub band: String,
    pub name: L10n,
    pub descriptor: L10n,
}

#[derive(Clone, Debug)]
pub struct AreaInfo {
    pub id: String,
    pub name: L10n,
}

#[derive(Clone, Debug)]
pub struct CompetenceInfo {
    pub id: String,
    pub area: String,
    pub name: L10n,
    pub description: L10n,
    pub digcomp: Vec<String>,
    pub qd757: Vec<String>,
    pub tt03: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Framework {
    /// How evidence becomes a verified level.
    pub rule: crate::domain::competency::Rule,
    pub levels: Vec<LevelInfo>,
    pub areas: Vec<AreaInfo>,
    pub competences: Vec<CompetenceInfo>,
}

#[derive(Clone, Debug)]
pub struct Position {
    pub id: String,
    pub cohort: Cohort,
    pub name: L10n,
    /// The cohort's position when an account names none.
    pub default: bool,
    /// Meeting this standard makes a staff member ready for appointment to a leadership post.
    pub leadership: bool,
    pub mandatory_modules: Vec<String>,
    pub requires: Vec<Evidence>,
}

impl Position {
    /// The standard as (competence, level) pairs.
    pub fn standard(&self) -> Vec<(String, u8)> {
        self.requires
            .iter()
            .map(|e| (e.competence.clone(), e.level))
            .collect()
    }
}

/// Something that scores a learner and so gives competency evidence: a module's quiz or a
/// procedure's exam-mode practice run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceSource {
    /// `quiz:<module id>` or `practice:<procedure id>`.
    pub key: String,
    pub kind: SourceKind,
    /// The module or procedure id.
    pub id: String,
    /// The version whose evidence counts; evidence on any other version is retired.
    pub version: u32,
    pub title: L10n,
    pub cohorts: Vec<Cohort>,
    pub evidences: Vec<Evidence>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    Quiz,
    Practice,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Quiz => "quiz",
            SourceKind::Practice => "practice",
        }
    }

    pub fn parse(code: &str) -> Option<SourceKind> {
        match code {
            "quiz" => Some(SourceKind::Quiz),
            "practice" => Some(SourceKind::Practice),
            _ => None,
        }
    }
}

impl EvidenceSource {
    /// The level this source evidences for `competence`, if any.
    pub fn level_for(&self, competence: &str) -> Option<u8> {
        self.evidences
            .iter()
            .filter(|e| e.competence == competence)
            .map(|e| e.level)
            .max()
    }
}

#[derive(Clone, Debug)]
pub struct Lesson {
    pub id: String,
    pub title: L10n,
    pub minutes: u32,
    pub version: u32,
    pub evidences: Vec<Evidence>,
    pub cohorts: Vec<Cohort>,
    /// Rendered, safe HTML per language.
    pub html: L10n,
}

#[derive(Clone, Debug)]
pub struct Choice {
    pub id: String,
    pub text: L10n,
    pub correct: bool,
    pub feedback: Option<L10n>,
}

#[derive(Clone, Debug)]
pub struct OrderItem {
    pub id: String,
    pub text: L10n,
}

#[derive(Clone, Debug)]
pub enum QuestionBody {
    Single(Vec<Choice>),
    Multiple(Vec<Choice>),
    TrueFalse(bool),
    /// Items in the correct order.
    Ordering(Vec<OrderItem>),
}

#[derive(Clone, Debug)]
pub struct Question {
    pub id: String,
    /// The lesson to reread when this question is missed.
    pub lesson: String,
    pub prompt: L10n,
    pub body: QuestionBody,
    pub feedback: Option<L10n>,
}

impl Question {
    pub fn key(&self) -> AnswerKey {
        match &self.body {
            QuestionBody::Single(choices) => AnswerKey::Single(
                choices
                    .iter()
                    .find(|c| c.correct)
                    .map(|c| c.id.clone())
                    .unwrap_or_default(),
            ),
            QuestionBody::Multiple(choices) => AnswerKey::Multiple(
                choices
                    .iter()
                    .filter(|c| c.correct)
                    .map(|c| c.id.clone())
                    .collect(),
            ),
            QuestionBody::TrueFalse(answer) => AnswerKey::TrueFalse(*answer),
            QuestionBody::Ordering(items) => {
                AnswerKey::Ordering(items.iter().map(|i| i.id.clone()).collect())
            }
        }
    }
}

#[derive(Clone, Debug)]
pub struct Quiz {
    pub id: String,
    pub version: u32,
    pub pass_mark: u32,
    pub evidences: Vec<Evidence>,
    pub questions: Vec<Question>,
}

#[derive(Clone, Debug)]
pub struct Module {
    pub id: String,
    pub version: u32,
    pub title: L10n,
    pub summary: L10n,
    pub cohorts: Vec<Cohort>,
    pub mandatory_for: Vec<Cohort>,
    pub lessons: Vec<Lesson>,
    pub quiz: Quiz,
    /// File names under the module's `assets/`.
    pub assets: BTreeSet<String>,
}

impl Module {
    pub fn minutes(&self) -> u32 {
        self.lessons.iter().map(|l| l.minutes).sum()
    }

    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id == id)
    }

    pub fn is_mandatory_for(&self, cohort: Cohort) -> bool {
        self.mandatory_for.contains(&cohort)
    }
}

/// Everything the content directory holds, checked.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub dir: PathBuf,
    pub framework: Framework,
    pub positions: Vec<Position>,
    pub modules: Vec<Module>,
    /// The practice sandbox's procedures and scenarios.
    pub sandbox: procedures::Sandbox,
}

impl Catalog {
    pub fn module(&self, id: &str) -> Option<&Module> {
        self.modules.iter().find(|m| m.id == id)
    }

    pub fn position(&self, id: &str) -> Option<&Position> {
        self.positions.iter().find(|p| p.id == id)
    }

    /// The position whose standard a learner is held to: the one the account names (if it is
    /// a position of their cohort), else the cohort's default.
    pub fn position_for(&self, cohort: Cohort, position: Option<&str>) -> Option<&Position> {
        position.and_then(|p| self.position(p)).or_else(|| {
            self.positions
                .iter()
                .find(|p| p.cohort == cohort && p.default)
        })
    }

    /// Every quiz and procedure that gives competency evidence, quizzes first, in content order.
    pub fn evidence_sources(&self) -> Vec<EvidenceSource> {
        let quizzes = self.modules.iter().filter_map(|m| {
            let quiz = &m.quiz;
            (!quiz.evidences.is_empty()).then(|| EvidenceSource {
                key: format!("quiz:{}", m.id),
                kind: SourceKind::Quiz,
                id: m.id.clone(),
                version: quiz.version,
                title: m.title.clone(),
                cohorts: m.cohorts.clone(),
                evidences: quiz.evidences.clone(),
            })
        });
        let runs = self
            .sandbox
            .procedures
            .iter()
            .filter(|p| !p.evidences.is_empty())
            .map(|p| EvidenceSource {
                key: format!("practice:{}", p.id),
                kind: SourceKind::Practice,
                id: p.id.clone(),
                version: p.version,
                title: p.title.clone(),
                cohorts: p.cohorts.clone(),
                evidences: p.evidences.clone(),
            });
        quizzes.chain(runs).collect()
    }

    /// The modules a learner of `cohort` (and `position`, for officials) sees: mandatory ones
    /// first (for their cohort or position), then the rest, each group in content order.
    pub fn catalog_for(&self, cohort: Cohort, position: Option<&str>) -> Vec<(&Module, bool)> {
        let position = position.and_then(|p| self.position(p));
        let mut list: Vec<(&Module, bool)> = self
            .modules
            .iter()
            .filter(|m| m.cohorts.contains(&cohort))
            .map(|m| {
                let mandatory = m.is_mandatory_for(cohort)
                    || position.is_some_and(|p| p.mandatory_modules.contains(&m.id));
                (m, mandatory)
            })
            .collect();
        list.sort_by_key(|(_, mandatory)| !mandatory);
        list
    }

    /// The file behind `/content/{module}/assets/{name}`, if the content has it.
    pub fn asset_path(&self, module: &str, name: &str) -> Option<PathBuf> {
        let m = self.module(module)?;
        m.assets.contains(name).then(|| {
            self.dir
                .join("modules")
                .join(module)
                .join("assets")
                .join(name)
        })
    }
}

/// The callout titles, in both languages.
pub struct Labels {
    pub vi: CalloutLabels,
    pub en: CalloutLabels,
}

/// Reads and checks the content under `dir`. Returns the catalog and the warnings, or every
/// problem found (errors and warnings) when there is at least one error.
pub fn load(dir: &Path, labels: &Labels) -> Result<(Catalog, Vec<Problem>), Vec<Problem>> {
    let mut checker = check::Checker {
        dir: dir.to_path_buf(),
        problems: Vec::new(),
        requirement_lines: Vec::new(),
    };
    let catalog = checker.load(labels);
    let mut problems = checker.problems;
    problems.sort_by(|a, b| (&a.file, a.line, a.severity).cmp(&(&b.file, b.line, b.severity)));
    if problems.iter().any(|p| p.severity == Severity::Error) {
        Err(problems)
    } else {
        Ok((catalog, problems))
    }
}
