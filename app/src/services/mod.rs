//! Server-side services: the application state and the flows of every area, which the server
//! functions (reads) and the form handlers (writes) call. A service takes the state, the
//! signed-in person and its input, and answers with a view, an outcome or an [`AppError`]
//! (forms: [`Posted`](crate::types::form::Posted)); it never builds a response or a redirect.

pub mod accounts;
pub mod audit;
pub mod campaign;
pub mod competency;
pub mod deploy;
pub mod learning;
pub mod practice;
pub mod review;
pub mod roster;

use leptos::config::LeptosOptions;

use crate::auth::TokenKeys;
use crate::store::Db;
use crate::types::{AppError, CurrentUser};

/// Hà Nội's province code in the unit catalogue.
pub const HANOI_PROVINCE_CODE: &str = "01";

/// What every request can reach: provided to pages and server functions by leptos_axum.
#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub keys: TokenKeys,
    /// Where the site is reached from, and what its cookies and headers promise.
    pub site: Site,
    /// How many password attempts are allowed.
    pub limits: Limits,
    /// The checked curriculum, loaded at start-up.
    pub content: std::sync::Arc<crate::content::Catalog>,
}

/// How the site is reached: the policy of its cookies, of `Strict-Transport-Security` and of
/// the check that a post comes from its own pages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Site {
    /// The site's public origin (`https://hocso.hanoi.gov.vn`, from `HOCSO_PUBLIC_URL`): a
    /// post whose `Origin` names another is refused. `None` (development only): the `Origin`
    /// is compared with the `Host` header.
    pub public_origin: Option<String>,
    /// Mark the session cookie `Secure`.
    pub secure_cookies: bool,
    /// `Strict-Transport-Security: max-age=…` on every response, when set.
    pub hsts_max_age: Option<u64>,
}

/// The login limits that can be configured (`HOCSO_LOGIN_PER_ACCOUNT`,
/// `HOCSO_LOGIN_PER_ADDRESS`); see `web::limiter`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Attempts per minute on one account, from all addresses together.
    pub login_per_account: u32,
    /// Attempts per minute from one address, on all accounts together: a commune office
    /// where a class of residents shares one public address must stay well inside it.
    pub login_per_address: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            login_per_account: 20,
            login_per_address: 300,
        }
    }
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Refuses (403) a unit that `user` may not see: admins and organizers see every unit, a unit
/// manager only their own (`Role::may_view_unit`).
pub fn may_see_unit(user: &CurrentUser, unit: &str) -> Result<(), AppError> {
    if user.role.may_view_unit(user.unit_code.as_deref(), unit) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The unit `code`, if `user` may see it ([`may_see_unit`], checked first: a unit they may not
/// see is refused whether or not it exists).
pub async fn visible_unit(
    state: &AppState,
    user: &CurrentUser,
    code: &str,
) -> Result<crate::store::UnitRow, AppError> {
    may_see_unit(user, code)?;
    state
        .db
        .unit(code)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)
}

/// Logs an unexpected error and turns it into the opaque [`AppError::Internal`]: the client
/// never sees what failed.
pub fn internal(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "internal error");
    AppError::Internal
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
