//! Bulk loads (the synthetic city of `hocso seed`, the benchmark): rows written many
//! thousands at a time, SQLite through one JSON array per statement (`json_each`), PostgreSQL
//! by `COPY` on a connection of its own; and the bookkeeping around them.

use sqlx::Connection;

use super::{Backend, Db, StoreError};

/// A value of a bulk row.
#[derive(Clone, Debug)]
pub enum BulkValue {
    Int(i64),
    Text(String),
    Null,
}

impl BulkValue {
    fn json(&self) -> leptos::serde_json::Value {
        match self {
            BulkValue::Int(i) => (*i).into(),
            BulkValue::Text(s) => s.clone().into(),
            BulkValue::Null => leptos::serde_json::Value::Null,
        }
    }

    fn csv(&self) -> String {
        match self {
            BulkValue::Int(i) => i.to_string(),
            BulkValue::Text(s) => format!("\"{}\"", s.replace('"', "\"\"")),
            BulkValue::Null => String::new(),
        }
    }
}

/// Where bulk rows go: the app's pool (SQLite), or a `COPY` connection (PostgreSQL).
pub enum BulkSink {
    Sqlite(Db),
    Postgres(sqlx::PgConnection),
}

/// Rows per statement or `COPY` chunk.
const CHUNK: usize = 20_000;

impl BulkSink {
    /// A sink for `db`; `url` is its address, for PostgreSQL's own `COPY` connection.
    pub async fn open(db: &Db, url: &str) -> Result<BulkSink, StoreError> {
        Ok(match db.backend() {
            Backend::Sqlite => BulkSink::Sqlite(db.clone()),
            Backend::Postgres => BulkSink::Postgres(
                sqlx::PgConnection::connect(url)
                    .await
                    .map_err(StoreError::classify)?,
            ),
        })
    }

    /// Writes `rows` into `table`'s `columns` (hocso's own names, never input).
    pub async fn write(
        &mut self,
        table: &'static str,
        columns: &[&'static str],
        rows: &[Vec<BulkValue>],
    ) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        match self {
            BulkSink::Sqlite(db) => {
                let picks: Vec<String> = (0..columns.len())
                    .map(|i| format!("json_extract(value, '$[{i}]')"))
                    .collect();
                let sql = format!(
                    "INSERT INTO {table} ({}) SELECT {} FROM json_each($1)",
                    columns.join(", "),
                    picks.join(", ")
                );
                for chunk in rows.chunks(CHUNK) {
                    let json: Vec<Vec<leptos::serde_json::Value>> = chunk
                        .iter()
                        .map(|r| r.iter().map(BulkValue::json).collect())
                        .collect();
                    let text = leptos::serde_json::to_string(&json)
                        .map_err(|e| StoreError::Internal(sqlx::Error::Encode(Box::new(e))))?;
                    db.execute_raw(&sql, &text).await?;
                }
            }
            BulkSink::Postgres(conn) => {
                let sql = format!(
                    "COPY {table} ({}) FROM STDIN WITH (FORMAT csv)",
                    columns.join(", ")
                );
                let mut copy = conn.copy_in_raw(&sql).await.map_err(StoreError::classify)?;
                for chunk in rows.chunks(CHUNK) {
                    let mut text = String::new();
                    for r in chunk {
                        let cells: Vec<String> = r.iter().map(BulkValue::csv).collect();
                        text.push_str(&cells.join(","));
                        text.push('\n');
                    }
                    copy.send(text.into_bytes())
                        .await
                        .map_err(StoreError::classify)?;
                }
                copy.finish().await.map_err(StoreError::classify)?;
            }
        }
        Ok(())
    }
}

/// Helpers of bulk loads (the synthetic city): raw statements, the next free ids, and the
/// bookkeeping after rows were written with explicit ids.
impl Db {
    /// Runs one statement with one text argument (a JSON array of rows for SQLite's
    /// `json_each`).
    async fn execute_raw(&self, sql: &str, text: &str) -> Result<u64, StoreError> {
        sqlx::query(sql)
            .bind(text)
            .execute(self.pool())
            .await
            .map(|r| r.rows_affected())
            .map_err(StoreError::classify)
    }

    /// Learners of a synthetic city (their addresses end in `@seed.invalid`).
    pub async fn count_seeded(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM accounts WHERE role = 'learner' AND email LIKE '%@seed.invalid'",
        )
        .fetch_one(self.pool())
        .await
        .map_err(StoreError::classify)?;
        Ok(n)
    }

    pub async fn max_account_id(&self) -> Result<i64, StoreError> {
        self.max_id("accounts").await
    }

    /// The largest id of a table (0 when empty). `table` is one of hocso's own names.
    pub async fn max_id(&self, table: &'static str) -> Result<i64, StoreError> {
        let (id,): (i64,) = sqlx::query_as(&format!("SELECT COALESCE(MAX(id), 0) FROM {table}"))
            .fetch_one(self.pool())
            .await
            .map_err(StoreError::classify)?;
        Ok(id)
    }

    /// An organizer or admin to name as the author of generated shifts, created (without a
    /// password) when there is none.
    pub async fn any_staff_id(&self) -> Result<i64, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM accounts WHERE role IN ('organizer', 'admin') ORDER BY id LIMIT 1",
        )
        .fetch_optional(self.pool())
        .await
        .map_err(StoreError::classify)?;
        if let Some((id,)) = row {
            return Ok(id);
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO accounts (full_name, email, password_hash, role, token_version, created_at) \
             VALUES ('Ban tổ chức (dữ liệu mẫu)', 'ban-to-chuc@seed.invalid', '', 'organizer', 0, 0) \
             RETURNING id",
        )
        .fetch_one(self.pool())
        .await
        .map_err(StoreError::classify)?;
        Ok(id)
    }

    /// After rows were written with explicit ids: PostgreSQL's id sequences move past them,
    /// and both databases refresh the planner's statistics.
    pub async fn after_bulk_load(&self) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            for table in ["accounts", "deployments", "assists", "evidence"] {
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))"
                ))
                .execute(self.pool())
                .await
                .map_err(StoreError::classify)?;
            }
        }
        sqlx::query("ANALYZE")
            .execute(self.pool())
            .await
            .map_err(StoreError::classify)?;
        Ok(())
    }
}
