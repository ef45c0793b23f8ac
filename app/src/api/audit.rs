//! The audit log's read: admins only.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::answer;
#[cfg(feature = "ssr")]
use crate::domain::Audience;
#[cfg(feature = "ssr")]
use crate::types::audit::AuditQuery;
use crate::types::audit::AuditView;
use crate::types::AppError;

/// One page of the log; every filter may be left out (the page's query string, as typed).
#[server(endpoint = "audit")]
pub async fn get_audit(
    action: Option<String>,
    unit: Option<String>,
    actor: Option<String>,
    from: Option<String>,
    until: Option<String>,
    before: Option<String>,
) -> Result<AuditView, AppError> {
    let query = AuditQuery {
        action: action.unwrap_or_default(),
        unit: unit.unwrap_or_default(),
        actor: actor.unwrap_or_default(),
        from: from.unwrap_or_default(),
        until: until.unwrap_or_default(),
        before: before.unwrap_or_default(),
    };
    answer(Audience::Admins, |state, user| async move {
        crate::services::audit::page(&state, &user, &query).await
    })
    .await
}
