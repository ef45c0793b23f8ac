//! Types shared by server and browser, and the server functions.
//!
//! Every server function starts by deciding who may call it (see [`require`]); the rule is in
//! the domain ([`Role`]'s methods) and the table of who-may-call-what is tested in
//! `server/tests`.

pub mod campaign;
pub mod competency;
pub mod learning;
pub mod practice;

use leptos::prelude::*;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::domain::{Cohort, Role};

/// The person a request acts for, as the pages and server functions see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub full_name: String,
    pub role: Role,
    pub cohort: Option<Cohort>,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    /// The job position (officials, volunteers), a position id of `content/positions.toml`.
    pub position_code: Option<String>,
}

/// What a server function can fail with. Messages are i18n keys; the cause of an `Internal`
/// error is logged on the server and never sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("errors.unauthenticated")]
    Unauthenticated,
    #[error("errors.forbidden")]
    Forbidden,
    #[error("errors.not_found")]
    NotFound,
    #[error("errors.internal")]
    Internal,
    /// The call itself was malformed (arguments, encoding).
    #[error("errors.bad_request")]
    BadRequest,
}

impl AppError {
    /// The catalog key of the message shown to people.
    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "errors.unauthenticated",
            AppError::Forbidden => "errors.forbidden",
            AppError::NotFound => "errors.not_found",
            AppError::Internal => "errors.internal",
            AppError::BadRequest => "errors.bad_request",
        }
    }
}

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

/// A line of the people directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLine {
    pub id: i64,
    pub full_name: String,
    pub role: Role,
    pub cohort: Option<Cohort>,
    pub unit_name: Option<String>,
}

/// Who is signed in, if anyone. Anyone may ask.
#[server(endpoint = "me")]
pub async fn whoami() -> Result<Option<CurrentUser>, AppError> {
    Ok(crate::services::current_user())
}

/// The people directory, newest first. Admins and organizers see everyone (or one unit with
/// `unit`); a unit manager sees only their own unit; learners are refused.
#[server(endpoint = "accounts")]
pub async fn list_accounts(unit: Option<String>) -> Result<Vec<AccountLine>, AppError> {
    use crate::services::{refuse, require};
    let user = require(|_| true)?;
    let scope = match user.role {
        Role::Admin | Role::Organizer => unit.filter(|u| !u.is_empty()),
        Role::UnitManager => {
            let own = user.unit_code.clone();
            match unit.filter(|u| !u.is_empty()) {
                Some(asked) if Some(&asked) != own.as_ref() => {
                    return Err(refuse(AppError::Forbidden))
                }
                _ => own,
            }
        }
        Role::Learner => return Err(refuse(AppError::Forbidden)),
    };
    let state = crate::services::state()?;
    let rows = state
        .db
        .list_accounts(scope.as_deref(), 200)
        .await
        .map_err(crate::services::internal)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(AccountLine {
                id: r.id,
                full_name: r.full_name,
                role: Role::parse(&r.role)?,
                cohort: r.cohort.as_deref().and_then(Cohort::parse),
                unit_name: r.unit_name,
            })
        })
        .collect())
}

/// A ward or commune, as offered in forms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitOption {
    pub code: String,
    pub name: String,
}

/// Hà Nội's communes and wards, for the registration form. Anyone may ask (it is public data).
#[server(endpoint = "units")]
pub async fn list_units() -> Result<Vec<UnitOption>, AppError> {
    let state = crate::services::state()?;
    let units = state
        .db
        .units(crate::services::HANOI_PROVINCE_CODE)
        .await
        .map_err(crate::services::internal)?;
    Ok(units
        .into_iter()
        .map(|u| UnitOption {
            code: u.code,
            name: u.name,
        })
        .collect())
}
