//! The deployment pages' reads: the organizers' plan of shifts, a volunteer's own shifts and
//! sessions.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::answer;
#[cfg(feature = "ssr")]
use crate::domain::Audience;
#[cfg(feature = "ssr")]
use crate::services::deploy;
use crate::types::deploy::{DeployView, ShiftsView};
use crate::types::AppError;

#[server(endpoint = "deploy")]
pub async fn get_deploy_view() -> Result<DeployView, AppError> {
    answer(Audience::Organizers, |state, _| async move {
        deploy::view(&state).await
    })
    .await
}

#[server(endpoint = "shifts")]
pub async fn get_shifts() -> Result<ShiftsView, AppError> {
    answer(Audience::Learners, |state, user| async move {
        deploy::shifts(&state, &user).await
    })
    .await
}
