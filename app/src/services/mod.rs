//! Server-side services: the application state, the current session, and the account flows
//! that form handlers and server functions call.

pub mod accounts;
pub mod campaign;
pub mod competency;
pub mod deploy;
pub mod learning;
pub mod practice;
pub mod roster;

use leptos::config::LeptosOptions;
use leptos::prelude::*;

use crate::api::{AppError, CurrentUser};
use crate::auth::TokenKeys;
use crate::domain::Role;
use crate::store::Db;

/// Hà Nội's province code in the unit catalogue.
pub const HANOI_PROVINCE_CODE: &str = "01";

/// What every request can reach: provided to pages and server functions by leptos_axum.
#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub keys: TokenKeys,
    /// Mark cookies `Secure` (everywhere but development).
    pub secure_cookies: bool,
    /// The checked curriculum, loaded at start-up.
    pub content: std::sync::Arc<crate::content::Catalog>,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The session of the request, put into the request's extensions by the session middleware.
#[derive(Clone, Debug, Default)]
pub struct Session(pub Option<CurrentUser>);

/// The signed-in person of the request being handled (pages and server functions).
pub fn current_user() -> Option<CurrentUser> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Session>().cloned())
        .and_then(|s| s.0)
}

/// The application state, or an internal error if it was not provided.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

/// Sets the HTTP status that matches `err` and returns it, for server functions.
pub fn refuse(err: AppError) -> AppError {
    let status = match err {
        AppError::Unauthenticated => http::StatusCode::UNAUTHORIZED,
        AppError::Forbidden => http::StatusCode::FORBIDDEN,
        AppError::NotFound => http::StatusCode::NOT_FOUND,
        AppError::BadRequest => http::StatusCode::BAD_REQUEST,
        AppError::Internal => http::StatusCode::INTERNAL_SERVER_ERROR,
    };
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
    err
}

/// The gate at the top of every server function: the caller must be signed in and `allowed`
/// must accept their role.
pub fn require(allowed: impl Fn(Role) -> bool) -> Result<CurrentUser, AppError> {
    let user = current_user().ok_or_else(|| refuse(AppError::Unauthenticated))?;
    if allowed(user.role) {
        Ok(user)
    } else {
        Err(refuse(AppError::Forbidden))
    }
}

/// Logs an unexpected error and turns it into the opaque [`AppError::Internal`].
pub fn internal(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "internal error");
    refuse(AppError::Internal)
}

/// Loads and checks the content directory, with callout titles from the i18n catalog.
pub fn load_content(
    dir: &std::path::Path,
) -> Result<(crate::content::Catalog, Vec<crate::content::Problem>), Vec<crate::content::Problem>> {
    use crate::content::markdown::CalloutLabels;
    use crate::i18n::Locale;
    use crate::tr_in;
    let labels = |locale: Locale| CalloutLabels {
        tip: tr_in!(locale, "content.callout_tip"),
        warning: tr_in!(locale, "content.callout_warning"),
        mistake: tr_in!(locale, "content.callout_mistake"),
    };
    crate::content::load(
        dir,
        &crate::content::Labels {
            vi: labels(Locale::Vi),
            en: labels(Locale::En),
        },
    )
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}
