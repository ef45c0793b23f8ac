//! The floor every layer stands on: the types that cross between server and browser (who is
//! signed in, what went wrong, what each page shows, what a posted form came back with).
//!
//! This module depends only on `domain` and serde: no leptos, no server code, so the store,
//! the services, the server functions, the pages and the islands all share it.

pub mod audit;
pub mod campaign;
pub mod competency;
pub mod deploy;
pub mod form;
pub mod learning;
pub mod paths;
pub mod practice;
pub mod roster;

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

/// Why a request cannot be answered with what it asked for: the one error of the application,
/// for server functions, pages and forms alike. Messages are i18n keys; the cause of an
/// `Internal` error is logged on the server and never sent.
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
    /// A form posted from a page of another site.
    #[error("errors.cross_site")]
    CrossSite,
    /// A body longer than the form or file takes.
    #[error("errors.too_large")]
    TooLarge,
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
            AppError::CrossSite => "errors.cross_site",
            AppError::TooLarge => "errors.too_large",
        }
    }

    /// The HTTP status that answers it (the one mapping; every door uses it).
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::BadRequest => 400,
            AppError::CrossSite => 403,
            AppError::TooLarge => 413,
            AppError::Internal => 500,
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

/// A ward or commune, as offered in forms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitOption {
    pub code: String,
    pub name: String,
}
