//! The competency pages' reads: a learner's passport and survey (their own only), a unit's
//! staff matrix (a unit manager's own unit; organizers and admins any), the organizers'
//! overview of units and the volunteers ready for deployment.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::answer;
#[cfg(feature = "ssr")]
use crate::domain::Audience;
#[cfg(feature = "ssr")]
use crate::services::competency;
use crate::types::competency::{PassportView, ReadyVolunteer, SurveyView, UnitLine, UnitView};
use crate::types::AppError;

#[server(endpoint = "competency/passport")]
pub async fn get_passport() -> Result<PassportView, AppError> {
    answer(Audience::Learners, |state, user| async move {
        competency::passport(&state, &user).await
    })
    .await
}

#[server(endpoint = "competency/survey")]
pub async fn get_survey() -> Result<SurveyView, AppError> {
    answer(Audience::Learners, |state, user| async move {
        competency::survey(&state, &user).await
    })
    .await
}

#[server(endpoint = "competency/unit")]
pub async fn get_unit(code: String) -> Result<UnitView, AppError> {
    answer(Audience::Staff, |state, user| async move {
        competency::unit(&state, &user, &code).await
    })
    .await
}

#[server(endpoint = "competency/units")]
pub async fn get_units() -> Result<Vec<UnitLine>, AppError> {
    answer(Audience::Organizers, |state, _| async move {
        competency::units(&state).await
    })
    .await
}

#[server(endpoint = "competency/ready")]
pub async fn get_ready_volunteers() -> Result<Vec<ReadyVolunteer>, AppError> {
    answer(Audience::Organizers, |state, _| async move {
        competency::ready_volunteers(&state).await
    })
    .await
}
