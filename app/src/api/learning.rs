//! The learner pages' reads. Only learners may call them, each only for modules of their own
//! cohort and for their own attempts.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::answer;
#[cfg(feature = "ssr")]
use crate::domain::Audience;
#[cfg(feature = "ssr")]
use crate::services::learning;
use crate::types::learning::{CatalogEntry, LessonView, ModuleView, QuizView, ResultView};
use crate::types::AppError;

/// The signed-in learner's catalog: their cohort's modules, mandatory ones first.
#[server(endpoint = "learn/catalog")]
pub async fn get_catalog() -> Result<Vec<CatalogEntry>, AppError> {
    answer(Audience::Learners, |state, user| async move {
        learning::catalog(&state, &user).await
    })
    .await
}

#[server(endpoint = "learn/module")]
pub async fn get_module(module: String) -> Result<ModuleView, AppError> {
    answer(Audience::Learners, |state, user| async move {
        learning::module(&state, &user, &module).await
    })
    .await
}

#[server(endpoint = "learn/lesson")]
pub async fn get_lesson(module: String, lesson: String) -> Result<LessonView, AppError> {
    answer(Audience::Learners, |state, user| async move {
        learning::lesson(&state, &user, &module, &lesson).await
    })
    .await
}

#[server(endpoint = "learn/quiz")]
pub async fn get_quiz(module: String) -> Result<QuizView, AppError> {
    answer(Audience::Learners, |state, user| async move {
        learning::quiz(&state, &user, &module)
    })
    .await
}

#[server(endpoint = "learn/result")]
pub async fn get_result(attempt: i64) -> Result<ResultView, AppError> {
    answer(Audience::Learners, |state, user| async move {
        learning::result(&state, &user, attempt).await
    })
    .await
}
