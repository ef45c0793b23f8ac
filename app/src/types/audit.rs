//! The audit log as its page, its server function and its export see it.

use serde::{Deserialize, Serialize};

/// The filters of the audit log page (its query string): all optional, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// An action's stored name (`deploy.cancel`).
    #[serde(default)]
    pub action: String,
    /// A unit code.
    #[serde(default)]
    pub unit: String,
    /// An account id: the acts of one person.
    #[serde(default)]
    pub actor: String,
    /// First day, `yyyy-mm-dd` (a date input) or `dd/mm/yyyy`.
    #[serde(default)]
    pub from: String,
    /// Last day, inclusive.
    #[serde(default)]
    pub until: String,
    /// The next page: entries older than this id.
    #[serde(default)]
    pub before: String,
}

/// One entry, ready to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub id: i64,
    /// Việt Nam time, `dd/mm/yyyy HH:MM:SS`.
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub address: Option<String>,
    /// The stored name, and its i18n key (none for a name this version does not know).
    pub action: String,
    pub action_key: Option<String>,
    pub object: String,
    pub unit_code: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A page of the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    pub lines: Vec<AuditLine>,
    /// The query string of the next (older) page, if there is one.
    pub older: Option<String>,
    /// The address of this filter's CSV.
    pub export: String,
    /// Every action: stored name and i18n key, for the filter.
    pub actions: Vec<(String, String)>,
    /// Filters that could not be read (field, i18n key): the page says so and ignores them.
    pub problems: Vec<(String, String)>,
}
