//! The audit log's download: the page's filter as CSV (admins only).

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};

use super::{download, Admins, Caller, Routes};
use crate::services::{audit, AppState};
use crate::types::audit::AuditQuery;

pub fn routes() -> Routes {
    Routes::new().get("/audit/export.csv", export)
}

/// `GET /audit/export.csv?action=…&unit=…&actor=…&from=…&until=…`.
async fn export(
    State(state): State<AppState>,
    caller: Caller<Admins>,
    Query(query): Query<AuditQuery>,
) -> Response {
    match audit::export(&state, &caller.user, &query).await {
        Ok(body) => download("text/csv; charset=utf-8", "hocso-nhat-ky.csv", body),
        Err(e) => e.into_response(),
    }
}
