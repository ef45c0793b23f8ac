//! What the learner pages show, and the server functions that build it. Only learners may call
//! them, each only for modules of their own cohort and for their own attempts. Quiz answers are
//! not part of [`QuizView`]: they reach the browser only in a [`ResultView`], after submission.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;

/// One module in a learner's catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogEntry {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub minutes: u32,
    pub lessons_total: usize,
    pub lessons_done: usize,
    pub mandatory: bool,
    pub passed: bool,
    pub best_percent: Option<u32>,
    /// Where "continue" leads: the first unread lesson, else the quiz.
    pub continue_url: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonLink {
    pub id: String,
    pub title: String,
    pub minutes: u32,
    pub done: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleView {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub lessons: Vec<LessonLink>,
    pub questions: usize,
    pub pass_mark: u32,
    pub best_percent: Option<u32>,
    pub passed: bool,
    pub continue_url: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonView {
    pub module_id: String,
    pub module_title: String,
    pub id: String,
    pub title: String,
    pub minutes: u32,
    /// Safe HTML rendered from the lesson's Markdown.
    pub html: String,
    /// 1-based position and the module's lesson count.
    pub number: usize,
    pub count: usize,
    pub previous: Option<LessonLink>,
    pub next: Option<LessonLink>,
    pub done: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionForm {
    Single(Vec<(String, String)>),
    Multiple(Vec<(String, String)>),
    TrueFalse,
    /// Items (id, text), shown in an order that is not the answer.
    Ordering(Vec<(String, String)>),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionView {
    pub id: String,
    pub prompt: String,
    pub form: QuestionForm,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizView {
    pub module_id: String,
    pub module_title: String,
    pub pass_mark: u32,
    pub questions: Vec<QuestionView>,
    /// When the quiz page was made (Unix seconds), to measure the attempt's duration.
    pub started_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub prompt: String,
    pub correct: bool,
    pub your_answer: Vec<String>,
    pub right_answer: Vec<String>,
    /// Explanations: the feedback of the options chosen (or the question's own).
    pub feedback: Vec<String>,
    pub lesson: LessonLink,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultView {
    pub attempt_id: i64,
    pub module_id: String,
    pub module_title: String,
    pub points: u32,
    pub total: u32,
    pub percent: u32,
    pub pass_mark: u32,
    pub passed: bool,
    pub questions: Vec<QuestionResult>,
    /// Lessons to reread (those of the missed questions), in module order.
    pub reread: Vec<LessonLink>,
    /// The next module of the learner's catalog not yet passed, if any.
    pub next_module: Option<(String, String)>,
}

/// The signed-in learner's catalog: their cohort's modules, mandatory ones first.
#[server(endpoint = "learn/catalog")]
pub async fn get_catalog() -> Result<Vec<CatalogEntry>, AppError> {
    let user = crate::services::require(|r| r == crate::domain::Role::Learner)?;
    crate::services::learning::catalog(&crate::services::state()?, &user).await
}

#[server(endpoint = "learn/module")]
pub async fn get_module(module: String) -> Result<ModuleView, AppError> {
    let user = crate::services::require(|r| r == crate::domain::Role::Learner)?;
    crate::services::learning::module(&crate::services::state()?, &user, &module)
        .await
        .map_err(crate::services::refuse)
}

#[server(endpoint = "learn/lesson")]
pub async fn get_lesson(module: String, lesson: String) -> Result<LessonView, AppError> {
    let user = crate::services::require(|r| r == crate::domain::Role::Learner)?;
    crate::services::learning::lesson(&crate::services::state()?, &user, &module, &lesson)
        .await
        .map_err(crate::services::refuse)
}

#[server(endpoint = "learn/quiz")]
pub async fn get_quiz(module: String) -> Result<QuizView, AppError> {
    let user = crate::services::require(|r| r == crate::domain::Role::Learner)?;
    crate::services::learning::quiz(&crate::services::state()?, &user, &module)
        .map_err(crate::services::refuse)
}

#[server(endpoint = "learn/result")]
pub async fn get_result(attempt: i64) -> Result<ResultView, AppError> {
    let user = crate::services::require(|r| r == crate::domain::Role::Learner)?;
    crate::services::learning::result(&crate::services::state()?, &user, attempt)
        .await
        .map_err(crate::services::refuse)
}
