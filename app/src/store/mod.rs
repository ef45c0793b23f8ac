//! Persistence: every SQL statement of hocso lives under this module (server-side only).
//!
//! One code path serves SQLite and PostgreSQL through sqlx's `Any` driver. The SQL here is
//! written in the dialect both accept: `$1` placeholders, `RETURNING`, integers as BIGINT,
//! times as Unix seconds. Each dialect has its own migrations holding the same changes.

mod accounts;
mod campaign;
mod competency;
mod learning;
mod practice;
mod roster;

pub use accounts::{AccountRow, AccountSummary, NewAccount, PendingRow};
pub use campaign::{
    province_scope, AssistRow, CampaignRow, DailyCount, DeploymentRow, FiguresRow, NewAssist,
    NewCampaign, NewFigures, ReadyForDeployment,
};
pub use competency::{
    AssignmentRow, EvidenceRow, NewEvidence, NewStanding, ReadyRow, ResultRow, Saved, StaffRow,
    StandingRow, UnitCountRow,
};
pub use learning::{AttemptRow, BestResult, NewAttempt};
pub use practice::{NewRun, RunResult, RunRow};
pub use roster::{RosterAccount, RosterWrite, UploadRow};

use std::str::FromStr;
use std::sync::Once;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};
use thiserror::Error;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// Which database a [`Db`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Errors of the persistence layer. The variants that people can cause have their own names;
/// everything else is `Internal` and its text never leaves the server.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("this phone number or email is already registered")]
    ContactTaken,
    #[error("the referenced row does not exist")]
    NotFound,
    /// The volunteer already has a place in that shift.
    #[error("the volunteer already has a shift then")]
    Busy,
    /// What a change was prepared from has changed meanwhile: nothing was written.
    #[error("the records changed since the change was prepared")]
    Stale,
    #[error("unsupported database URL (use sqlite:// or postgres://)")]
    UnsupportedUrl,
    #[error("database error: {0}")]
    Internal(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Maps driver errors that people can cause to meaningful variants.
    fn classify(err: sqlx::Error) -> StoreError {
        if let sqlx::Error::Database(db) = &err {
            match db.kind() {
                sqlx::error::ErrorKind::UniqueViolation => return StoreError::ContactTaken,
                sqlx::error::ErrorKind::ForeignKeyViolation => return StoreError::NotFound,
                _ => {}
            }
        }
        if matches!(err, sqlx::Error::RowNotFound) {
            return StoreError::NotFound;
        }
        StoreError::Internal(err)
    }
}

/// A handle on the database: cheap to clone, shared by every request.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

impl Db {
    /// Connects to `url`: `sqlite://path?mode=rwc` or `postgres://…`.
    ///
    /// SQLite connections get WAL journaling, foreign keys and a busy timeout, so concurrent
    /// requests wait for each other instead of failing.
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        static DRIVERS: Once = Once::new();
        DRIVERS.call_once(sqlx::any::install_default_drivers);

        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl);
        };
        if backend == Backend::Sqlite {
            create_sqlite_parent_dir(url);
        }
        let options = AnyConnectOptions::from_str(url)?
            .log_statements(tracing::log::LevelFilter::Debug)
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500));
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Db { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies the embedded migrations of this database's dialect.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// Answers when the database answers (for `/healthz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes every connection (tests drop their PostgreSQL database afterwards).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

fn create_sqlite_parent_dir(url: &str) {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return;
    }
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            // A failure here surfaces as a clear connect error right after.
            let _ = std::fs::create_dir_all(parent);
        }
    }
}

/// An administrative unit (commune, ward or special zone).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct UnitRow {
    pub code: String,
    pub name: String,
    pub division_type: String,
}

impl Db {
    /// Every unit of a province, in the order of their official codes (the same order on
    /// both databases, whatever their collation).
    pub async fn units(&self, province_code: &str) -> Result<Vec<UnitRow>, StoreError> {
        sqlx::query_as::<_, UnitRow>(
            "SELECT code, name, division_type FROM units WHERE province_code = $1 ORDER BY code",
        )
        .bind(province_code)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::classify)
    }

    pub async fn unit(&self, code: &str) -> Result<Option<UnitRow>, StoreError> {
        sqlx::query_as::<_, UnitRow>("SELECT code, name, division_type FROM units WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::classify)
    }
}

/// Helpers of bulk loads (the synthetic city): raw statements, the next free ids, and the
/// bookkeeping after rows were written with explicit ids.
impl Db {
    /// Runs one statement with one text argument (a JSON array of rows for SQLite's
    /// `json_each`).
    pub async fn execute_raw(&self, sql: &str, text: &str) -> Result<u64, StoreError> {
        sqlx::query(sql)
            .bind(text)
            .execute(&self.pool)
            .await
            .map(|r| r.rows_affected())
            .map_err(StoreError::classify)
    }

    /// Learners of a synthetic city (their addresses end in `@seed.invalid`).
    pub async fn count_seeded(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM accounts WHERE role = 'learner' AND email LIKE '%@seed.invalid'",
        )
        .fetch_one(&self.pool)
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
            .fetch_one(&self.pool)
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
        .fetch_optional(&self.pool)
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
        .fetch_one(&self.pool)
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
                .execute(&self.pool)
                .await
                .map_err(StoreError::classify)?;
            }
        }
        sqlx::query("ANALYZE")
            .execute(&self.pool)
            .await
            .map_err(StoreError::classify)?;
        Ok(())
    }
}
