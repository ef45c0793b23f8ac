//! The campaign pages' reads: the city dashboard and the settings (organizers and admins),
//! one unit's report (its manager, or organizers and admins).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::answer;
#[cfg(feature = "ssr")]
use crate::domain::Audience;
#[cfg(feature = "ssr")]
use crate::services::campaign;
use crate::types::campaign::{CampaignSettings, Dashboard};
use crate::types::AppError;

#[server(endpoint = "campaign/dashboard")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    answer(Audience::Organizers, |state, user| async move {
        campaign::dashboard(&state, &user).await
    })
    .await
}

#[server(endpoint = "campaign/unit")]
pub async fn get_unit_report(code: String) -> Result<Dashboard, AppError> {
    answer(Audience::Staff, |state, user| async move {
        campaign::unit_report(&state, &user, &code).await
    })
    .await
}

#[server(endpoint = "campaign/settings")]
pub async fn get_settings() -> Result<CampaignSettings, AppError> {
    answer(Audience::Organizers, |state, _| async move {
        campaign::settings(&state).await
    })
    .await
}
