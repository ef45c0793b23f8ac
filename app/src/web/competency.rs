//! The competency forms: a learner's skills survey, a unit's due dates for mandatory modules.

use axum::extract::{Path, State};
use axum::response::Response;

use super::{see_other, Caller, FormPage, Learners, Routes, Staff};
use crate::services::{competency, AppState};
use crate::types::form::FormInput;
use crate::types::paths;

pub fn routes() -> Routes {
    Routes::new()
        .post("/passport/survey", save_survey)
        .post("/units/{code}/assignments", assign_module)
}

/// `POST /passport/survey`: the learner's skills self-assessment.
async fn save_survey(
    State(state): State<AppState>,
    caller: Caller<Learners>,
    form: FormInput,
) -> Response {
    match competency::save_survey(&state, &caller.user, &form).await {
        Ok(()) => see_other("/passport?saved=1"),
        Err(rejection) => FormPage::here(form.values_without(&[])).reject(rejection),
    }
}

/// `POST /units/{code}/assignments`: a due date for a mandatory module in a unit.
async fn assign_module(
    State(state): State<AppState>,
    Path(code): Path<String>,
    caller: Caller<Staff>,
    form: FormInput,
) -> Response {
    let page = paths::unit(&code);
    match competency::assign(&state, &caller.user, &caller.actor(), &code, &form).await {
        Ok(()) => see_other(&format!("{page}#assignments")),
        // The form lives on the unit's page: show that page again, with the errors.
        Err(rejection) => FormPage::at(page, form.values_without(&[])).reject(rejection),
    }
}
