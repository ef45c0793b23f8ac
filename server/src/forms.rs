//! Handlers of the plain HTML forms (register, login, logout, password change) and the
//! language switch. They work without JavaScript: success redirects (303), a problem renders
//! the same page again with the errors and what was typed, with status 422 (429 when rate
//! limited, 500 when the server failed).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use cookie::{Cookie, SameSite};
use leptos::prelude::provide_context;
use serde::de::DeserializeOwned;

use app::api::AppError;
use app::auth::SESSION_COOKIE;
use app::components::form::{FormErrors, FormOutcome};
use app::components::home_path;
use app::i18n::{Locale, LANG_COOKIE};
use app::services::accounts::{self, LoginForm, PasswordForm, RegisterForm};
use app::services::{competency, learning, practice};
use app::services::{AppState, Session};
use app::shell;

use crate::limiter::LoginLimiter;

/// Largest form body accepted.
const MAX_FORM_BYTES: usize = 16 * 1024;

/// `GET /lang/{code}`: remembers the language for a year and goes back where the person was.
pub async fn set_language(Path(code): Path<String>, parts: Parts) -> Response {
    let locale = Locale::parse(&code).unwrap_or_default();
    remember_and_go_back(&parts, LANG_COOKIE, locale.code())
}

/// `GET /text/{size}`: remembers "large" or "normal" text for a year and goes back.
pub async fn set_text_size(Path(size): Path<String>, parts: Parts) -> Response {
    let value = if size == "large" { "large" } else { "normal" };
    remember_and_go_back(&parts, app::shell::TEXT_COOKIE, value)
}

/// A year-long preference cookie, then back to the referring page of this site (or home).
fn remember_and_go_back(parts: &Parts, name: &'static str, value: &'static str) -> Response {
    let cookie = Cookie::build((name, value))
        .path("/")
        .same_site(SameSite::Lax)
        .max_age(cookie::time::Duration::days(365))
        .build();
    let back = same_site_referer(parts).unwrap_or_else(|| "/".to_owned());
    let mut response = Redirect::to(&back).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// `POST /learn/{module}/{lesson}`: the lesson is read; on to the next one (or the quiz).
pub async fn complete_lesson(
    State(state): State<AppState>,
    Path((module, lesson)): Path<(String, String)>,
    req: Request,
) -> Response {
    let (parts, _) = match read_form::<serde::de::IgnoredAny>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let Some(user) = learner(&parts) else {
        return Redirect::to("/login").into_response();
    };
    match learning::complete_lesson(&state, &user, &module, &lesson).await {
        Ok(next) => Redirect::to(&next).into_response(),
        Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => rerender(&state, parts, FormErrors::internal(), Vec::new()).await,
    }
}

/// `POST /quiz/{module}`: scores the answers on the server, records the attempt, and shows the
/// result. Unanswered questions bring the quiz back with what was chosen.
pub async fn submit_quiz(
    State(state): State<AppState>,
    Path(module): Path<String>,
    req: Request,
) -> Response {
    // Name/value pairs, keeping repeated names (checkboxes).
    let (parts, fields) = match read_form::<Vec<(String, String)>>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let Some(user) = learner(&parts) else {
        return Redirect::to("/login").into_response();
    };
    match learning::submit(&state, &user, &module, &fields).await {
        Ok(attempt) => Redirect::to(&format!("/quiz/{module}/result/{attempt}")).into_response(),
        Err(errors) => rerender(&state, parts, errors, fields).await,
    }
}

#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct StartForm {
    scenario: String,
    mode: String,
}

/// `POST /practice/{procedure}/start`: starts (or resumes) a run of a scenario.
pub async fn start_run(
    State(state): State<AppState>,
    Path(procedure): Path<String>,
    req: Request,
) -> Response {
    let (parts, form) = match read_form::<StartForm>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let Some(user) = learner(&parts) else {
        return Redirect::to("/login").into_response();
    };
    match practice::start(&state, &user, &procedure, &form.scenario, &form.mode).await {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => app_error(&state, parts, e).await,
    }
}

/// `POST /practice/run/{run}`: one step of a run (next, back, a hint, or the submission).
pub async fn post_run_step(
    State(state): State<AppState>,
    Path(run): Path<String>,
    req: Request,
) -> Response {
    let (parts, fields) = match read_form::<Vec<(String, String)>>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let Some(user) = learner(&parts) else {
        return Redirect::to("/login").into_response();
    };
    let Ok(run) = run.parse::<i64>() else {
        return app_error(&state, parts, AppError::NotFound).await;
    };
    let locale = parts
        .extensions
        .get::<Locale>()
        .copied()
        .unwrap_or_default();
    match practice::post_step(&state, &user, run, &fields, locale).await {
        Err(e) => app_error(&state, parts, e).await,
        Ok(Ok(to)) => Redirect::to(&to).into_response(),
        Ok(Err(errors)) => {
            // The page shows the step that was posted, with what was typed.
            let step = fields
                .iter()
                .find(|(k, _)| k == "step")
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            let parts = with_query(parts, &format!("step={}", urlencode(&step)));
            rerender(&state, parts, errors, fields).await
        }
    }
}

/// `POST /passport/survey`: the learner's skills self-assessment.
pub async fn save_survey(State(state): State<AppState>, req: Request) -> Response {
    let (parts, fields) = match read_form::<Vec<(String, String)>>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let Some(user) = session_user(&parts) else {
        return Redirect::to("/login").into_response();
    };
    if user.role != app::domain::Role::Learner {
        return app_error(&state, parts, AppError::Forbidden).await;
    }
    let form: std::collections::HashMap<String, String> = fields.iter().cloned().collect();
    match competency::save_survey(&state, &user, &form).await {
        Ok(()) => Redirect::to("/passport?saved=1").into_response(),
        Err(errors) => rerender(&state, parts, errors, fields).await,
    }
}

/// `POST /units/{code}/assignments`: a due date for a mandatory module in a unit.
pub async fn assign_module(
    State(state): State<AppState>,
    Path(code): Path<String>,
    req: Request,
) -> Response {
    let (parts, fields) = match read_form::<Vec<(String, String)>>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let Some(user) = session_user(&parts) else {
        return Redirect::to("/login").into_response();
    };
    if !user.role.may_view_units() {
        return app_error(&state, parts, AppError::Forbidden).await;
    }
    let form: std::collections::HashMap<String, String> = fields.iter().cloned().collect();
    match competency::assign(&state, &user, &code, &form).await {
        Ok(()) => Redirect::to(&format!("/units/{code}#assignments")).into_response(),
        Err(Err(e)) => app_error(&state, parts, e).await,
        Err(Ok(errors)) => {
            // The form lives on the unit's page: show that page again, with the errors.
            let parts = with_path(parts, &format!("/units/{}", urlencode(&code)));
            rerender(&state, parts, errors, fields).await
        }
    }
}

/// `POST /practice/run/{run}/abandon`.
pub async fn abandon_run(
    State(state): State<AppState>,
    Path(run): Path<String>,
    req: Request,
) -> Response {
    run_control(state, run, req, false).await
}

/// `POST /practice/run/{run}/reset`: abandons the run and starts the scenario again, clean.
pub async fn reset_run(
    State(state): State<AppState>,
    Path(run): Path<String>,
    req: Request,
) -> Response {
    run_control(state, run, req, true).await
}

async fn run_control(state: AppState, run: String, req: Request, reset: bool) -> Response {
    let (parts, _) = match read_form::<serde::de::IgnoredAny>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let Some(user) = learner(&parts) else {
        return Redirect::to("/login").into_response();
    };
    let Ok(run) = run.parse::<i64>() else {
        return app_error(&state, parts, AppError::NotFound).await;
    };
    let done = if reset {
        practice::reset(&state, &user, run).await
    } else {
        practice::abandon(&state, &user, run).await
    };
    match done {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => app_error(&state, parts, e).await,
    }
}

/// The page of the request's address with a general error, and the error's status.
pub(crate) async fn app_error(state: &AppState, parts: Parts, err: AppError) -> Response {
    let status = match err {
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::BadRequest => StatusCode::BAD_REQUEST,
        AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let outcome = FormOutcome {
        errors: FormErrors {
            internal: err == AppError::Internal,
            ..FormErrors::general(err.message_key())
        },
        values: Vec::new(),
    };
    render_page(state, parts, outcome, status).await
}

fn with_query(mut parts: Parts, query: &str) -> Parts {
    let path = parts.uri.path().to_owned();
    if let Ok(uri) = format!("{path}?{query}").parse() {
        parts.uri = uri;
    }
    parts
}

pub(crate) fn with_path(mut parts: Parts, path: &str) -> Parts {
    if let Ok(uri) = path.parse() {
        parts.uri = uri;
    }
    parts
}

pub(crate) fn urlencode(value: &str) -> String {
    serde_urlencoded::to_string([("", value)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

fn learner(parts: &Parts) -> Option<app::api::CurrentUser> {
    session_user(parts).filter(|u| u.role == app::domain::Role::Learner)
}

/// `POST /login`.
pub async fn login(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<LoginLimiter>>,
    req: Request,
) -> Response {
    let (parts, form) = match read_form::<LoginForm>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let values = vec![("contact".to_owned(), form.contact.clone())];
    if let Err(wait) = limiter.check_login(client_address(&parts), &form.contact) {
        tracing::warn!(address = ?client_address(&parts), "login rate limited");
        return rate_limited(&state, parts, values, wait).await;
    }
    match accounts::login(&state, &form).await {
        Ok(signed_in) => {
            signed_in_redirect(&state, &signed_in.token, home_path(signed_in.user.role))
        }
        Err(errors) => rerender(&state, parts, errors, values).await,
    }
}

/// `POST /activate`: someone on an imported roster sets their first password with their
/// unit's code, and is signed in. Rate limited like logging in (a code can be guessed).
pub async fn activate(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<LoginLimiter>>,
    req: Request,
) -> Response {
    let (parts, form) = match read_form::<accounts::ActivateForm>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let values = vec![("contact".to_owned(), form.contact.clone())];
    if let Err(wait) = limiter.check_login(client_address(&parts), &form.contact) {
        tracing::warn!(address = ?client_address(&parts), "activation rate limited");
        return rate_limited(&state, parts, values, wait).await;
    }
    match accounts::activate(&state, &form).await {
        Ok(signed_in) => {
            signed_in_redirect(&state, &signed_in.token, home_path(signed_in.user.role))
        }
        Err(errors) => rerender(&state, parts, errors, values).await,
    }
}

/// `POST /units/{code}/activation`: a one-time activation code for a learner of the unit
/// without a password, shown once on the unit's page (never put in an address).
pub async fn issue_activation(
    State(state): State<AppState>,
    Path(code): Path<String>,
    req: Request,
) -> Response {
    let (parts, fields) = match read_form::<Vec<(String, String)>>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let Some(user) = session_user(&parts) else {
        return Redirect::to("/login").into_response();
    };
    let account = fields
        .iter()
        .find(|(k, _)| k == "account")
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .unwrap_or(0);
    match accounts::issue_activation(&state, &user, &code, account).await {
        Ok((name, issued)) => {
            let page = with_path(parts, &format!("/units/{}", urlencode(&code)));
            let outcome = FormOutcome {
                errors: FormErrors::default(),
                values: vec![
                    ("issued_name".to_owned(), name),
                    ("issued_code".to_owned(), issued),
                ],
            };
            let mut response = render_page(&state, page, outcome, StatusCode::OK).await;
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(e) => app_error(&state, parts, e).await,
    }
}

/// `POST /register`: a resident creates their account and is signed in.
pub async fn register(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<LoginLimiter>>,
    req: Request,
) -> Response {
    let (parts, form) = match read_form::<RegisterForm>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let values = vec![
        ("full_name".to_owned(), form.full_name.clone()),
        ("contact".to_owned(), form.contact.clone()),
        ("unit_code".to_owned(), form.unit_code.clone()),
    ];
    if let Err(wait) = limiter.check_registration(client_address(&parts)) {
        return rate_limited(&state, parts, values, wait).await;
    }
    match accounts::register(&state, &form).await {
        Ok(signed_in) => {
            signed_in_redirect(&state, &signed_in.token, home_path(signed_in.user.role))
        }
        Err(errors) => rerender(&state, parts, errors, values).await,
    }
}

/// `POST /logout`: ends every session of the account and clears the cookie. The cookie is
/// cleared even if revoking fails (a shared computer must not stay signed in); the failure is
/// logged.
pub async fn logout(State(state): State<AppState>, req: Request) -> Response {
    let (parts, _) = match read_form::<serde::de::IgnoredAny>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    if let Some(user) = session_user(&parts) {
        match accounts::logout(&state, user.id).await {
            Ok(()) => tracing::info!(account = user.id, "signed out"),
            Err(_) => tracing::error!(
                account = user.id,
                "sign-out could not revoke earlier tokens"
            ),
        }
    }
    let mut response = Redirect::to("/").into_response();
    if let Ok(value) = HeaderValue::from_str(&clear_session_cookie(&state)) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// `POST /account/password`.
pub async fn change_password(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<LoginLimiter>>,
    req: Request,
) -> Response {
    let (parts, form) = match read_form::<PasswordForm>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let Some(user) = session_user(&parts) else {
        return Redirect::to("/login").into_response();
    };
    if let Err(wait) = limiter.check_password_change(user.id) {
        tracing::warn!(account = user.id, "password change rate limited");
        return rate_limited(&state, parts, Vec::new(), wait).await;
    }
    match accounts::change_password(&state, &user, &form).await {
        Ok(signed_in) => signed_in_redirect(&state, &signed_in.token, "/account/password?done=1"),
        Err(errors) => rerender(&state, parts, errors, Vec::new()).await,
    }
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(state: &AppState) -> String {
    Cookie::build((SESSION_COOKIE, ""))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.secure_cookies)
        .max_age(cookie::time::Duration::ZERO)
        .build()
        .to_string()
}

fn session_cookie(state: &AppState, token: &str) -> String {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.secure_cookies)
        .max_age(cookie::time::Duration::seconds(state.keys.ttl_seconds()))
        .build()
        .to_string()
}

fn signed_in_redirect(state: &AppState, token: &str, to: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    if let Ok(value) = HeaderValue::from_str(&session_cookie(state, token)) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

pub(crate) fn session_user(parts: &Parts) -> Option<app::api::CurrentUser> {
    parts.extensions.get::<Session>().and_then(|s| s.0.clone())
}

/// The client's address as the socket saw it. Behind a load balancer every client shares the
/// balancer's address; see ARCHITECTURE.md.
fn client_address(parts: &Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}

/// Refuses posts from other sites (the `Origin` header, when present, must name this host),
/// then reads the URL-encoded body. A body that does not decode is read as an empty form, so
/// the person sees the usual "please fill in" messages rather than a bare error.
pub(crate) async fn read_form<T: DeserializeOwned + Default>(
    req: Request,
) -> Result<(Parts, T), Response> {
    let (parts, body) = req.into_parts();
    if !same_origin(&parts) {
        return Err((StatusCode::FORBIDDEN, "cross-site form post refused").into_response());
    }
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
    let form = serde_urlencoded::from_bytes::<T>(&bytes).unwrap_or_default();
    Ok((parts, form))
}

pub(crate) fn same_origin(parts: &Parts) -> bool {
    let Some(origin) = parts.headers.get(header::ORIGIN) else {
        return true;
    };
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, rest)| rest);
    matches!((host, origin_host), (Some(h), Some(o)) if h == o)
}

/// The path of the referring page, if it is on this site.
fn same_site_referer(parts: &Parts) -> Option<String> {
    let referer = parts.headers.get(header::REFERER)?.to_str().ok()?;
    let host = parts.headers.get(header::HOST)?.to_str().ok()?;
    let (_, rest) = referer.split_once("://")?;
    let path = rest.strip_prefix(host)?;
    (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_owned())
}

/// Renders the page of the posted form again, with its errors and what was typed.
pub(crate) async fn rerender(
    state: &AppState,
    parts: Parts,
    errors: FormErrors,
    values: Vec<(String, String)>,
) -> Response {
    let status = if errors.internal {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_page(state, parts, FormOutcome { errors, values }, status).await
}

async fn rate_limited(
    state: &AppState,
    parts: Parts,
    values: Vec<(String, String)>,
    wait: Duration,
) -> Response {
    let outcome = FormOutcome {
        errors: FormErrors::general("errors.rate_limited"),
        values,
    };
    let mut response = render_page(state, parts, outcome, StatusCode::TOO_MANY_REQUESTS).await;
    let seconds = wait.as_secs().max(1).to_string();
    if let Ok(value) = HeaderValue::from_str(&seconds) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

pub(crate) async fn render_page(
    state: &AppState,
    mut parts: Parts,
    outcome: FormOutcome,
    status: StatusCode,
) -> Response {
    parts.method = Method::GET;
    let request = Request::from_parts(parts, Body::empty());
    let context_state = state.clone();
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(context_state.clone());
            provide_context(outcome.clone());
        },
        move || shell(options.clone()),
    );
    let mut response = handler(request).await;
    *response.status_mut() = status;
    response
}
