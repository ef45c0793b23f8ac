//! The practice sandbox's reads. Only learners may call them, each only for procedures of
//! their cohort and for their own runs.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::answer;
#[cfg(feature = "ssr")]
use crate::domain::Audience;
#[cfg(feature = "ssr")]
use crate::services::practice;
use crate::types::practice::{ProcedureEntry, ProcedureView, ReviewView, RunView};
use crate::types::AppError;

#[server(endpoint = "practice/list")]
pub async fn get_procedures() -> Result<Vec<ProcedureEntry>, AppError> {
    answer(Audience::Learners, |state, user| async move {
        practice::list(&state, &user).await
    })
    .await
}

#[server(endpoint = "practice/procedure")]
pub async fn get_procedure(procedure: String) -> Result<ProcedureView, AppError> {
    answer(Audience::Learners, |state, user| async move {
        practice::procedure(&state, &user, &procedure).await
    })
    .await
}

#[server(endpoint = "practice/run")]
pub async fn get_run(run: i64, step: Option<String>) -> Result<RunView, AppError> {
    answer(Audience::Learners, |state, user| async move {
        practice::run(&state, &user, run, step.as_deref()).await
    })
    .await
}

#[server(endpoint = "practice/review")]
pub async fn get_review(run: i64) -> Result<ReviewView, AppError> {
    answer(Audience::Learners, |state, user| async move {
        crate::services::review::review(&state, &user, run).await
    })
    .await
}
