//! The learner's forms: a lesson read, a quiz submitted; and the lessons' images.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{see_other, Caller, FormPage, Learners, Routes};
use crate::services::{learning, AppState};
use crate::types::form::FormInput;
use crate::types::learning::AfterLesson;
use crate::types::paths;

pub fn routes() -> Routes {
    Routes::new()
        .post("/learn/{module}/{lesson}", complete_lesson)
        .post("/quiz/{module}", submit_quiz)
        .get("/content/{module}/assets/{name}", content_asset)
}

/// `POST /learn/{module}/{lesson}`: the lesson is read; on to the next one (or the quiz).
async fn complete_lesson(
    State(state): State<AppState>,
    Path((module, lesson)): Path<(String, String)>,
    caller: Caller<Learners>,
    _: FormInput,
) -> Response {
    match learning::complete_lesson(&state, &caller.user, &module, &lesson).await {
        Ok(AfterLesson::Lesson { module, lesson }) => see_other(&paths::lesson(&module, &lesson)),
        Ok(AfterLesson::Quiz { module }) => see_other(&paths::quiz(&module)),
        Err(e) => FormPage::here(Vec::new()).reject(e.into()),
    }
}

/// `POST /quiz/{module}`: scores the answers on the server, records the attempt, and shows the
/// result. Unanswered questions bring the quiz back with what was chosen.
async fn submit_quiz(
    State(state): State<AppState>,
    Path(module): Path<String>,
    caller: Caller<Learners>,
    form: FormInput,
) -> Response {
    match learning::submit(&state, &caller.user, &module, &form).await {
        Ok(attempt) => see_other(&paths::quiz_result(&module, attempt)),
        Err(rejection) => FormPage::here(form.values_without(&[])).reject(rejection),
    }
}

/// Images of the lessons. Only files the catalog lists are served, so no other file under
/// `content/` (quizzes hold their answers) can be reached.
async fn content_asset(
    State(state): State<AppState>,
    Path((module, name)): Path<(String, String)>,
) -> Response {
    let Some(path) = state.content.asset_path(&module, &name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mime = match name
        .rsplit('.')
        .next()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        _ => "application/octet-stream",
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, mime),
                (header::CACHE_CONTROL, "public, max-age=3600"),
                // SVGs are shown as images only, never as documents that could run script.
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; style-src 'unsafe-inline'; sandbox",
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, path = %path.display(), "content asset unreadable");
            StatusCode::NOT_FOUND.into_response()
        }
    }
}
