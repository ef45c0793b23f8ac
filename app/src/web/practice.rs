//! The practice sandbox's forms: start (or resume) a run, post one step, abandon or reset a run.

use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use super::{id_in_path, see_other, Caller, FormPage, Learners, Routes};
use crate::domain::practice::Mode;
use crate::i18n::Locale;
use crate::services::{practice, AppState};
use crate::types::form::FormInput;
use crate::types::paths;
use crate::types::practice::StepOutcome;

pub fn routes() -> Routes {
    Routes::new()
        .post("/practice/{procedure}/start", start_run)
        .post("/practice/run/{run}", post_run_step)
        .post("/practice/run/{run}/abandon", abandon_run)
        .post("/practice/run/{run}/reset", reset_run)
}

/// `POST /practice/{procedure}/start`: starts (or resumes) a run of a scenario.
async fn start_run(
    State(state): State<AppState>,
    Path(procedure): Path<String>,
    caller: Caller<Learners>,
    form: FormInput,
) -> Response {
    let mode = Mode::parse(form.get("mode"));
    match practice::start(&state, &caller.user, &procedure, form.get("scenario"), mode).await {
        Ok(run) => see_other(&paths::run(run)),
        Err(e) => e.into_response(),
    }
}

/// `POST /practice/run/{run}`: one step of a run (next, back, a hint, or the submission).
async fn post_run_step(
    State(state): State<AppState>,
    Path(run): Path<String>,
    parts: Parts,
    caller: Caller<Learners>,
    form: FormInput,
) -> Response {
    let run = match id_in_path(&run) {
        Ok(run) => run,
        Err(e) => return e.into_response(),
    };
    let locale = parts
        .extensions
        .get::<Locale>()
        .copied()
        .unwrap_or_default();
    match practice::post_step(&state, &caller.user, run, &form, locale).await {
        Ok(StepOutcome::At { run, step, anchor }) => {
            see_other(&paths::run_step(run, &step, anchor.as_deref()))
        }
        Ok(StepOutcome::Submitted { run }) => see_other(&paths::run_review(run)),
        Ok(StepOutcome::Ended { procedure }) => see_other(&paths::procedure(&procedure)),
        // The page shows the step that was posted, with what was typed.
        Err(rejection) => FormPage::at(
            paths::run_step(run, form.get("step"), None),
            form.values_without(&[]),
        )
        .reject(rejection),
    }
}

/// `POST /practice/run/{run}/abandon`.
async fn abandon_run(
    State(state): State<AppState>,
    Path(run): Path<String>,
    caller: Caller<Learners>,
    _: FormInput,
) -> Response {
    let abandoned = match id_in_path(&run) {
        Ok(run) => practice::abandon(&state, &caller.user, run).await,
        Err(e) => Err(e),
    };
    match abandoned {
        Ok(procedure) => see_other(&paths::procedure(&procedure)),
        Err(e) => e.into_response(),
    }
}

/// `POST /practice/run/{run}/reset`: abandons the run and starts the scenario again, clean.
async fn reset_run(
    State(state): State<AppState>,
    Path(run): Path<String>,
    caller: Caller<Learners>,
    _: FormInput,
) -> Response {
    let fresh = match id_in_path(&run) {
        Ok(run) => practice::reset(&state, &caller.user, run).await,
        Err(e) => Err(e),
    };
    match fresh {
        Ok(run) => see_other(&paths::run(run)),
        Err(e) => e.into_response(),
    }
}
