//! What the learner pages show. Quiz answers are not part of [`QuizView`]: they reach the
//! browser only in a [`ResultView`], after submission.

use serde::{Deserialize, Serialize};

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
    /// Empty unless the attempt passed.
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

/// Where a learner goes once a lesson is read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AfterLesson {
    /// The module's next lesson.
    Lesson { module: String, lesson: String },
    /// It was the last lesson: the module's quiz.
    Quiz { module: String },
}
