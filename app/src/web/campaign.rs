//! The campaign's forms (settings, a unit's figures and targets) and its CSV downloads.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use super::{download, see_other, Caller, FormPage, Organizers, Routes, Staff};
use crate::services::{campaign, AppState};
use crate::types::form::FormInput;
use crate::types::paths;

pub fn routes() -> Routes {
    Routes::new()
        .post("/campaign/settings", save_settings)
        .get("/campaign/export.csv", export_city)
        .post("/campaign/units/{code}/figures", save_figures)
        .post("/campaign/units/{code}/targets", save_unit_targets)
        .get("/campaign/units/{code}/export.csv", export_unit)
}

/// `POST /campaign/settings`.
async fn save_settings(
    State(state): State<AppState>,
    caller: Caller<Organizers>,
    form: FormInput,
) -> Response {
    match campaign::save_settings(&state, &caller.user, &caller.actor(), &form).await {
        Ok(()) => see_other("/campaign?saved=1"),
        Err(rejection) => {
            FormPage::at("/campaign/settings", form.values_without(&[])).reject(rejection)
        }
    }
}

/// `POST /campaign/units/{code}/figures`.
async fn save_figures(
    State(state): State<AppState>,
    Path(code): Path<String>,
    caller: Caller<Staff>,
    form: FormInput,
) -> Response {
    let page = paths::unit_report(&code);
    match campaign::save_figures(&state, &caller.user, &caller.actor(), &code, &form).await {
        Ok(()) => see_other(&format!("{page}?saved=1#figures")),
        Err(rejection) => FormPage::at(page, form.values_without(&[])).reject(rejection),
    }
}

/// `POST /campaign/units/{code}/targets`.
async fn save_unit_targets(
    State(state): State<AppState>,
    Path(code): Path<String>,
    caller: Caller<Organizers>,
    form: FormInput,
) -> Response {
    let page = paths::unit_report(&code);
    match campaign::save_unit_targets(&state, &caller.user, &caller.actor(), &code, &form).await {
        Ok(()) => see_other(&format!("{page}?saved=1#goals")),
        Err(rejection) => FormPage::at(page, form.values_without(&[])).reject(rejection),
    }
}

/// `GET /campaign/export.csv`: every unit's numbers (organizers and admins).
async fn export_city(State(state): State<AppState>, caller: Caller<Organizers>) -> Response {
    match campaign::export_city(&state, &caller.user).await {
        Ok(body) => download("text/csv; charset=utf-8", "hocso-chien-dich.csv", body),
        Err(e) => e.into_response(),
    }
}

/// `GET /campaign/units/{code}/export.csv`: one unit's goals day by day.
async fn export_unit(
    State(state): State<AppState>,
    Path(code): Path<String>,
    caller: Caller<Staff>,
) -> Response {
    match campaign::export_unit(&state, &caller.user, &code).await {
        Ok(body) => {
            let safe: String = code.chars().filter(char::is_ascii_digit).collect();
            download(
                "text/csv; charset=utf-8",
                &format!("hocso-don-vi-{safe}.csv"),
                body,
            )
        }
        Err(e) => e.into_response(),
    }
}
