//! The audit log: appended by the acts themselves, inside their own transactions
//! ([`append`]), and read back with filters. There is no statement here that changes or
//! removes an entry, and the database's triggers refuse one (migration 0007).

use leptos::serde_json::Value;
use sqlx::{Any, FromRow, Transaction};

use super::{Db, StoreError};
use crate::domain::audit::{Action, Actor};

/// One entry as stored.
#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub address: Option<String>,
    pub action: String,
    pub object: String,
    pub unit_code: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// What an entry says beside who did it and when.
pub(super) struct Entry<'a> {
    pub action: Action,
    /// What the act was done to: `account:12`, `deployment:3`, `unit:00004`…
    pub object: String,
    pub unit: Option<&'a str>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Appends `entry` in the act's own transaction: it is kept if and only if the act is.
pub(super) async fn append(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    at: i64,
    entry: Entry<'_>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor_name, address, action, object, unit_code, \
         before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(at)
    .bind(actor.account_id)
    .bind(&actor.name)
    .bind(actor.address.as_deref())
    .bind(entry.action.as_str())
    .bind(entry.object)
    .bind(entry.unit)
    .bind(entry.before.map(|v| v.to_string()))
    .bind(entry.after.map(|v| v.to_string()))
    .execute(&mut **tx)
    .await
    .map_err(StoreError::classify)?;
    Ok(())
}

/// Which entries to read: every field optional, all given ones must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub action: Option<Action>,
    pub actor_id: Option<i64>,
    pub unit_code: Option<String>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, exclusive.
    pub until: Option<i64>,
}

impl Db {
    /// The newest entries matching `filter` first, at most `limit`, starting below id
    /// `before_id` (the next page) when given.
    pub async fn audit_log(
        &self,
        filter: &AuditFilter,
        before_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditRow>, StoreError> {
        sqlx::query_as(
            "SELECT id, at, actor_id, actor_name, address, action, object, unit_code, \
             before_json, after_json FROM audit_log \
             WHERE (CAST($1 AS TEXT) IS NULL OR action = $1) \
             AND (CAST($2 AS BIGINT) IS NULL OR actor_id = $2) \
             AND (CAST($3 AS TEXT) IS NULL OR unit_code = $3) \
             AND (CAST($4 AS BIGINT) IS NULL OR at >= $4) \
             AND (CAST($5 AS BIGINT) IS NULL OR at < $5) \
             AND (CAST($6 AS BIGINT) IS NULL OR id < $6) \
             ORDER BY id DESC LIMIT $7",
        )
        .bind(filter.action.map(Action::as_str))
        .bind(filter.actor_id)
        .bind(filter.unit_code.as_deref())
        .bind(filter.from)
        .bind(filter.until)
        .bind(before_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }
}
