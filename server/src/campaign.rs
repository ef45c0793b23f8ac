//! Handlers of the campaign's plain forms (settings, figures, targets, roster upload and
//! import, deployments, assisted sessions) and its CSV downloads. Like every form here they
//! work without JavaScript: success redirects (303), a problem renders the page again with
//! the errors and what was typed (422).

use std::collections::HashMap;

use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use app::api::{AppError, CurrentUser};
use app::components::form::FormErrors;
use app::services::{campaign, deploy, roster, AppState};

use crate::forms::{
    app_error, read_form, render_page, rerender, same_origin, session_user, urlencode, with_path,
};

type Fields = Vec<(String, String)>;

/// Reads a posted form and its signed-in person; `None` sends them to log in.
async fn signed_in_form(req: Request) -> Result<(Parts, CurrentUser, Fields), Response> {
    let (parts, fields) = read_form::<Fields>(req).await?;
    match session_user(&parts) {
        Some(user) => Ok((parts, user, fields)),
        None => Err(Redirect::to("/login").into_response()),
    }
}

fn as_map(fields: &Fields) -> HashMap<String, String> {
    fields.iter().cloned().collect()
}

/// The answer to a form whose service returned `Err(Ok(errors))` or `Err(Err(app error))`:
/// the page at `path` again with the errors, or the error's page.
async fn refused(
    state: &AppState,
    parts: Parts,
    path: &str,
    fields: Fields,
    err: Result<FormErrors, AppError>,
) -> Response {
    match err {
        Ok(errors) => rerender(state, with_path(parts, path), errors, fields).await,
        Err(e) => app_error(state, parts, e).await,
    }
}

/// `POST /campaign/settings`.
pub async fn save_settings(State(state): State<AppState>, req: Request) -> Response {
    let (parts, user, fields) = match signed_in_form(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    match campaign::save_settings(&state, &user, &as_map(&fields)).await {
        Ok(()) => Redirect::to("/campaign?saved=1").into_response(),
        Err(e) => refused(&state, parts, "/campaign/settings", fields, e).await,
    }
}

/// `POST /campaign/units/{code}/figures`.
pub async fn save_figures(
    State(state): State<AppState>,
    Path(code): Path<String>,
    req: Request,
) -> Response {
    let (parts, user, fields) = match signed_in_form(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let page = format!("/campaign/units/{}", urlencode(&code));
    match campaign::save_figures(&state, &user, &code, &as_map(&fields)).await {
        Ok(()) => Redirect::to(&format!("{page}?saved=1#figures")).into_response(),
        Err(e) => refused(&state, parts, &page, fields, e).await,
    }
}

/// `POST /campaign/units/{code}/targets`.
pub async fn save_unit_targets(
    State(state): State<AppState>,
    Path(code): Path<String>,
    req: Request,
) -> Response {
    let (parts, user, fields) = match signed_in_form(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let page = format!("/campaign/units/{}", urlencode(&code));
    match campaign::save_unit_targets(&state, &user, &code, &as_map(&fields)).await {
        Ok(()) => Redirect::to(&format!("{page}?saved=1#goals")).into_response(),
        Err(e) => refused(&state, parts, &page, fields, e).await,
    }
}

fn csv_response(file_name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::BadRequest => StatusCode::BAD_REQUEST,
        AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// `GET /campaign/export.csv`: every unit's numbers (organizers and admins).
pub async fn export_city(State(state): State<AppState>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    let Some(user) = session_user(&parts) else {
        return Redirect::to("/login").into_response();
    };
    if !user.role.may_list_accounts() {
        return app_error(&state, parts, AppError::Forbidden).await;
    }
    match campaign::export_city(&state, &user).await {
        Ok(body) => csv_response("hocso-chien-dich.csv", body),
        Err(e) => (status_of(&e), e.message_key()).into_response(),
    }
}

/// `GET /campaign/units/{code}/export.csv`: one unit's goals day by day.
pub async fn export_unit(
    State(state): State<AppState>,
    Path(code): Path<String>,
    req: Request,
) -> Response {
    let (parts, _) = req.into_parts();
    let Some(user) = session_user(&parts) else {
        return Redirect::to("/login").into_response();
    };
    match campaign::export_unit(&state, &user, &code).await {
        Ok(body) => {
            let safe: String = code.chars().filter(char::is_ascii_digit).collect();
            csv_response(&format!("hocso-don-vi-{safe}.csv"), body)
        }
        Err(e) => app_error(&state, parts, e).await,
    }
}

/// `GET /roster/template.csv`.
pub async fn roster_template() -> Response {
    csv_response("hocso-mau-danh-sach.csv", roster::template())
}

/// `POST /roster`: a roster file (multipart), kept for its preview.
pub async fn upload_roster(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    if !same_origin(&parts) {
        return (StatusCode::FORBIDDEN, "cross-site form post refused").into_response();
    }
    let Some(user) = session_user(&parts) else {
        return Redirect::to("/login").into_response();
    };
    if !user.role.may_list_accounts() {
        return app_error(&state, parts, AppError::Forbidden).await;
    }
    let request = Request::from_parts(parts.clone(), body);
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut too_large = false;
    if let Ok(mut multipart) = Multipart::from_request(request, &state).await {
        loop {
            match multipart.next_field().await {
                Ok(Some(field)) if field.name() == Some("file") => {
                    let name = field.file_name().unwrap_or("roster.csv").to_owned();
                    match field.bytes().await {
                        Ok(bytes) if bytes.len() > roster::MAX_BYTES => too_large = true,
                        Ok(bytes) if !bytes.is_empty() => file = Some((name, bytes.to_vec())),
                        Ok(_) => {}
                        Err(_) => too_large = true,
                    }
                }
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(_) => {
                    too_large = true;
                    break;
                }
            }
        }
    }
    let page = with_path(parts, "/roster");
    let Some((name, bytes)) = file else {
        let key = if too_large {
            "roster.file.too_large"
        } else {
            "roster.file.missing"
        };
        let mut errors = FormErrors::default();
        errors.add("file", key);
        return rerender(&state, page, errors, Vec::new()).await;
    };
    match roster::upload(&state, &user, &name, &bytes).await {
        Ok(id) => Redirect::to(&format!("/roster/{id}")).into_response(),
        Err(e) => app_error(&state, page, e).await,
    }
}

/// `POST /roster/{id}/confirm`: imports a previewed roster, all of it or nothing.
pub async fn confirm_roster(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let (parts, user, _) = match signed_in_form(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    if !user.role.may_list_accounts() {
        return app_error(&state, parts, AppError::Forbidden).await;
    }
    let Ok(id) = id.parse::<i64>() else {
        return app_error(&state, parts, AppError::NotFound).await;
    };
    let page = with_path(parts, &format!("/roster/{id}"));
    match roster::confirm(&state, &user, id).await {
        Ok(Ok(_)) => Redirect::to(&format!("/roster/{id}?done=1")).into_response(),
        // The preview page shows the problems as they stand now.
        Ok(Err(_)) => {
            let outcome = app::components::form::FormOutcome {
                errors: FormErrors::general("roster.not_imported"),
                values: Vec::new(),
            };
            render_page(&state, page, outcome, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => app_error(&state, page, e).await,
    }
}

/// `POST /deploy`: a ready volunteer to a unit for a shift.
pub async fn assign_shift(State(state): State<AppState>, req: Request) -> Response {
    let (parts, user, fields) = match signed_in_form(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    match deploy::assign(&state, &user, &as_map(&fields)).await {
        Ok(()) => Redirect::to("/deploy?done=1#planned").into_response(),
        Err(e) => refused(&state, parts, "/deploy", fields, e).await,
    }
}

/// `POST /deploy/{id}/cancel`.
pub async fn cancel_shift(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let (parts, user, _) = match signed_in_form(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let Ok(id) = id.parse::<i64>() else {
        return app_error(&state, parts, AppError::NotFound).await;
    };
    match deploy::cancel(&state, &user, id).await {
        Ok(()) => Redirect::to("/deploy?done=1#planned").into_response(),
        Err(e) => refused(&state, parts, "/deploy", Vec::new(), e).await,
    }
}

/// `POST /shifts/assists`: a volunteer logs a session.
pub async fn log_assist(State(state): State<AppState>, req: Request) -> Response {
    let (parts, user, fields) = match signed_in_form(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    match deploy::log_assist(&state, &user, &as_map(&fields)).await {
        Ok(()) => Redirect::to("/shifts?logged=1").into_response(),
        Err(e) => refused(&state, parts, "/shifts", fields, e).await,
    }
}
