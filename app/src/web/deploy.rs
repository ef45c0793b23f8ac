//! The deployment forms: organizers send ready volunteers to shifts (and cancel them), a
//! volunteer logs the sessions of a shift.

use axum::extract::{Path, State};
use axum::response::Response;

use super::{id_in_path, see_other, Caller, FormPage, Learners, Organizers, Routes};
use crate::services::{deploy, AppState};
use crate::types::form::FormInput;

pub fn routes() -> Routes {
    Routes::new()
        .post("/deploy", assign_shift)
        .post("/deploy/{id}/cancel", cancel_shift)
        .post("/shifts/assists", log_assist)
}

/// `POST /deploy`: a ready volunteer to a unit for a shift.
async fn assign_shift(
    State(state): State<AppState>,
    caller: Caller<Organizers>,
    form: FormInput,
) -> Response {
    match deploy::assign(&state, &caller.user, &caller.actor(), &form).await {
        Ok(()) => see_other("/deploy?done=1#planned"),
        Err(rejection) => FormPage::at("/deploy", form.values_without(&[])).reject(rejection),
    }
}

/// `POST /deploy/{id}/cancel`.
async fn cancel_shift(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Caller<Organizers>,
    _: FormInput,
) -> Response {
    let cancelled = match id_in_path(&id) {
        Ok(id) => deploy::cancel(&state, &caller.user, &caller.actor(), id).await,
        Err(e) => Err(e.into()),
    };
    match cancelled {
        Ok(()) => see_other("/deploy?done=1#planned"),
        Err(rejection) => FormPage::at("/deploy", Vec::new()).reject(rejection),
    }
}

/// `POST /shifts/assists`: a volunteer logs a session.
async fn log_assist(
    State(state): State<AppState>,
    caller: Caller<Learners>,
    form: FormInput,
) -> Response {
    match deploy::log_assist(&state, &caller.user, &form).await {
        Ok(()) => see_other("/shifts?logged=1"),
        Err(rejection) => FormPage::at("/shifts", form.values_without(&[])).reject(rejection),
    }
}
