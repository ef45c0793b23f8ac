//! The accounts' forms: register, log in, activate an imported account, log out, change the
//! password, issue an activation code; and the language and text-size switches. The password
//! forms are rate limited ([`LoginLimiter`]).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use cookie::{Cookie, SameSite};

use super::limiter::LoginLimiter;
use super::{client_address, same_site_referer, see_other, session_user, set_cookie};
use super::{download, id_in_path, Admins, Caller, FormPage, Routes, SignedIn, Staff};
use crate::auth::SESSION_COOKIE;
use crate::i18n::{Locale, LANG_COOKIE};
use crate::request::TEXT_COOKIE;
use crate::services::accounts::{self, SignedIn as NewSession};
use crate::services::{AppState, Limits};
use crate::types::form::{FormErrors, FormInput, Posted};
use crate::types::paths;

pub fn routes(limits: Limits) -> Routes {
    Routes::new()
        .get("/lang/{code}", set_language)
        .get("/text/{size}", set_text_size)
        .post("/login", login)
        .post("/register", register)
        .post("/activate", activate)
        .post("/logout", logout)
        .post("/account/password", change_password)
        .post("/units/{code}/activation", issue_activation)
        .get("/account/data.json", my_data)
        .post("/people/{id}/anonymise", anonymise)
        .extension(Arc::new(LoginLimiter::new(limits)))
}

/// `GET /lang/{code}`: remembers the language for a year and goes back where the person was.
async fn set_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    parts: Parts,
) -> Response {
    let locale = Locale::parse(&code).unwrap_or_default();
    remember_and_go_back(&state, &parts, LANG_COOKIE, locale.code())
}

/// `GET /text/{size}`: remembers "large" or "normal" text for a year and goes back.
async fn set_text_size(
    State(state): State<AppState>,
    Path(size): Path<String>,
    parts: Parts,
) -> Response {
    let value = if size == "large" { "large" } else { "normal" };
    remember_and_go_back(&state, &parts, TEXT_COOKIE, value)
}

/// A year-long preference cookie, then back to the referring page of this site (or home).
fn remember_and_go_back(
    state: &AppState,
    parts: &Parts,
    name: &'static str,
    value: &'static str,
) -> Response {
    let cookie = Cookie::build((name, value))
        .path("/")
        .same_site(SameSite::Lax)
        .max_age(cookie::time::Duration::days(365))
        .build();
    let back = same_site_referer(&state.site, parts).unwrap_or_else(|| "/".to_owned());
    let mut response = axum::response::Redirect::to(&back).into_response();
    set_cookie(&mut response, &cookie.to_string());
    response
}

/// `POST /login`.
async fn login(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<LoginLimiter>>,
    parts: Parts,
    form: FormInput,
) -> Response {
    if let Some(refused) = over_login_limit(&limiter, &parts, &form, "login") {
        return refused;
    }
    let page = FormPage::here(keep(&form, &["contact"]));
    signed_in(&state, accounts::login(&state, &form).await, None, page)
}

/// `POST /activate`: someone on an imported roster sets their first password with their
/// unit's code, and is signed in. Rate limited like logging in (a code can be guessed).
async fn activate(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<LoginLimiter>>,
    parts: Parts,
    form: FormInput,
) -> Response {
    if let Some(refused) = over_login_limit(&limiter, &parts, &form, "activation") {
        return refused;
    }
    let page = FormPage::here(keep(&form, &["contact"]));
    signed_in(&state, accounts::activate(&state, &form).await, None, page)
}

/// The login limits (per address and account, per address) for a form that checks a secret
/// against a contact: the form again at 429 when they are spent, else `None`.
fn over_login_limit(
    limiter: &LoginLimiter,
    parts: &Parts,
    form: &FormInput,
    what: &'static str,
) -> Option<Response> {
    let wait = limiter
        .check_login(client_address(parts), form.get("contact"))
        .err()?;
    tracing::warn!(address = ?client_address(parts), what, "rate limited");
    Some(rate_limited(FormPage::here(keep(form, &["contact"])), wait))
}

/// `POST /register`: a resident creates their account and is signed in.
async fn register(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<LoginLimiter>>,
    parts: Parts,
    form: FormInput,
) -> Response {
    let page = || FormPage::here(keep(&form, &["full_name", "contact", "unit_code"]));
    if let Err(wait) = limiter.check_registration(client_address(&parts)) {
        return rate_limited(page(), wait);
    }
    signed_in(
        &state,
        accounts::register(&state, &form).await,
        None,
        page(),
    )
}

/// `POST /logout`: ends every session of the account and clears the cookie. The cookie is
/// cleared even if revoking fails (a shared computer must not stay signed in); the failure is
/// logged.
async fn logout(State(state): State<AppState>, parts: Parts, _: FormInput) -> Response {
    if let Some(user) = session_user(&parts) {
        match accounts::logout(&state, user.id).await {
            Ok(()) => tracing::info!(account = user.id, "signed out"),
            Err(_) => tracing::error!(
                account = user.id,
                "sign-out could not revoke earlier tokens"
            ),
        }
    }
    let mut response = see_other("/");
    set_cookie(&mut response, &clear_session_cookie(&state));
    response
}

/// `POST /account/password`.
async fn change_password(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<LoginLimiter>>,
    caller: Caller<SignedIn>,
    form: FormInput,
) -> Response {
    let page = || FormPage::here(Vec::new());
    if let Err(wait) = limiter.check_password_change(caller.user.id) {
        tracing::warn!(account = caller.user.id, "password change rate limited");
        return rate_limited(page(), wait);
    }
    let changed = accounts::change_password(&state, &caller.user, &form).await;
    signed_in(&state, changed, Some("/account/password?done=1"), page())
}

/// `GET /account/data.json`: everything hocso keeps about the signed-in person.
async fn my_data(State(state): State<AppState>, caller: Caller<SignedIn>) -> Response {
    match accounts::my_data(&state, &caller.user).await {
        Ok(body) => {
            let mut response = download(
                "application/json; charset=utf-8",
                "hocso-du-lieu-cua-toi.json",
                body,
            );
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(e) => e.into_response(),
    }
}

/// `POST /people/{id}/anonymise` (admins; the `confirm` box ticked).
async fn anonymise(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Caller<Admins>,
    form: FormInput,
) -> Response {
    let done = match id_in_path(&id) {
        Ok(id) => accounts::anonymise(&state, &caller.user, &caller.actor(), id, &form).await,
        Err(e) => Err(e.into()),
    };
    match done {
        Ok(()) => see_other("/people?anonymised=1"),
        Err(rejection) => FormPage::at("/people", Vec::new()).reject(rejection),
    }
}

/// `POST /units/{code}/activation`: a one-time activation code for a learner of the unit
/// without a password, shown once on the unit's page (never put in an address).
async fn issue_activation(
    State(state): State<AppState>,
    Path(code): Path<String>,
    caller: Caller<Staff>,
    form: FormInput,
) -> Response {
    let account = form.get("account").parse::<i64>().unwrap_or(0);
    match accounts::issue_activation(&state, &caller.user, &caller.actor(), &code, account).await {
        Ok((name, issued)) => {
            let values = vec![
                ("issued_name".to_owned(), name),
                ("issued_code".to_owned(), issued),
            ];
            let mut response = FormPage::at(paths::unit(&code), values)
                .show(FormErrors::default(), StatusCode::OK);
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(e) => e.into_response(),
    }
}

/// What to type again: only the named fields (never a password).
fn keep(form: &FormInput, fields: &[&str]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|f| ((*f).to_owned(), form.get(f).to_owned()))
        .collect()
}

/// A new session's cookie and the way on (`to`, else the person's home); or the form again.
fn signed_in(
    state: &AppState,
    outcome: Posted<NewSession>,
    to: Option<&str>,
    page: FormPage,
) -> Response {
    match outcome {
        Ok(session) => {
            let mut response = see_other(to.unwrap_or(paths::home(session.user.role)));
            set_cookie(&mut response, &session_cookie(state, &session.token));
            response
        }
        Err(rejection) => page.reject(rejection),
    }
}

fn rate_limited(page: FormPage, wait: Duration) -> Response {
    let mut response = page.show(
        FormErrors::general("errors.rate_limited"),
        StatusCode::TOO_MANY_REQUESTS,
    );
    let seconds = wait.as_secs().max(1).to_string();
    if let Ok(value) = HeaderValue::from_str(&seconds) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(state: &AppState) -> String {
    Cookie::build((SESSION_COOKIE, ""))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.site.secure_cookies)
        .max_age(cookie::time::Duration::ZERO)
        .build()
        .to_string()
}

fn session_cookie(state: &AppState, token: &str) -> String {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.site.secure_cookies)
        .max_age(cookie::time::Duration::seconds(state.keys.ttl_seconds()))
        .build()
        .to_string()
}
