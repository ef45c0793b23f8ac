//! The roster import's read: an upload's preview, its uploader's only.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::answer;
#[cfg(feature = "ssr")]
use crate::domain::Audience;
use crate::types::roster::RosterPreview;
use crate::types::AppError;

#[server(endpoint = "roster/preview")]
pub async fn get_roster_preview(id: i64) -> Result<RosterPreview, AppError> {
    answer(Audience::Organizers, |state, user| async move {
        crate::services::roster::preview_of(&state, &user, id).await
    })
    .await
}
