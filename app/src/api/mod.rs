//! The server functions: the reads of every area, one file per area. The types they answer
//! with are in [`crate::types`]; the work is in `services`.
//!
//! Every server function starts at the gate ([`answer`]): it decides who may call it (an
//! [`Audience`], whose rule is the domain's) before anything is read, and answers every error
//! with its HTTP status. The table of who-may-call-what is tested in `server/tests`.

pub mod audit;
pub mod campaign;
pub mod competency;
pub mod deploy;
pub mod learning;
pub mod practice;
pub mod roster;

use leptos::prelude::*;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[cfg(feature = "ssr")]
use crate::domain::Audience;
use crate::types::{AccountLine, AppError, CurrentUser, UnitOption};

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => AppError::BadRequest,
            _ => AppError::Internal,
        }
    }
}

/// The gate of a server function: the caller must be signed in and of `audience`; then `body`
/// runs with the application state and the caller. Any error is answered with its status.
#[cfg(feature = "ssr")]
pub(crate) async fn answer<T, F, Fut>(audience: Audience, body: F) -> Result<T, AppError>
where
    F: FnOnce(crate::services::AppState, CurrentUser) -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    let response = use_context::<leptos_axum::ResponseOptions>();
    let result = match (crate::request::current_user(), app_state()) {
        (None, _) => Err(AppError::Unauthenticated),
        (Some(user), _) if !audience.admits(user.role) => Err(AppError::Forbidden),
        (Some(user), Ok(state)) => body(state, user).await,
        (Some(_), Err(e)) => Err(e),
    };
    with_status(response, result)
}

/// The gate of a public server function: anyone may call it, signed in or not.
#[cfg(feature = "ssr")]
pub(crate) async fn answer_anyone<T, F, Fut>(body: F) -> Result<T, AppError>
where
    F: FnOnce(crate::services::AppState) -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    let response = use_context::<leptos_axum::ResponseOptions>();
    let result = match app_state() {
        Ok(state) => body(state).await,
        Err(e) => Err(e),
    };
    with_status(response, result)
}

#[cfg(feature = "ssr")]
fn app_state() -> Result<crate::services::AppState, AppError> {
    use_context::<crate::services::AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

#[cfg(feature = "ssr")]
fn with_status<T>(
    response: Option<leptos_axum::ResponseOptions>,
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    if let (Err(e), Some(response)) = (&result, response) {
        if let Ok(status) = http::StatusCode::from_u16(e.status()) {
            response.set_status(status);
        }
    }
    result
}

/// Who is signed in, if anyone. Anyone may ask.
#[server(endpoint = "me")]
pub async fn whoami() -> Result<Option<CurrentUser>, AppError> {
    Ok(crate::request::current_user())
}

/// The people directory, newest first. Admins and organizers see everyone (or one unit with
/// `unit`); a unit manager sees only their own unit; learners are refused.
#[server(endpoint = "accounts")]
pub async fn list_accounts(unit: Option<String>) -> Result<Vec<AccountLine>, AppError> {
    answer(Audience::Staff, |state, user| async move {
        crate::services::accounts::directory(&state, &user, unit.as_deref()).await
    })
    .await
}

/// Hà Nội's communes and wards, for the registration form. Anyone may ask (it is public data).
#[server(endpoint = "units")]
pub async fn list_units() -> Result<Vec<UnitOption>, AppError> {
    answer_anyone(|state| async move { crate::services::accounts::unit_options(&state).await })
        .await
}
