//! Persistence: every SQL statement of hocso lives under this module (server-side only).
//!
//! One code path serves SQLite and PostgreSQL through sqlx's `Any` driver. The SQL here is
//! written in the dialect both accept: `$1` placeholders, `RETURNING`, integers as BIGINT,
//! times as Unix seconds. Each dialect has its own migrations holding the same changes.

mod accounts;
mod audit;
mod bulk;
mod campaign;
mod competency;
mod deploy;
mod learning;
mod practice;
mod rollups;
mod roster;
mod units;

pub use accounts::{AccountRow, AccountSummary, NewAccount, PendingRow};
pub use audit::{AuditFilter, AuditRow};
pub use bulk::{BulkSink, BulkValue};
pub use campaign::{CampaignChange, CampaignRow, FiguresRow, NewCampaign, NewFigures};
pub use competency::{
    AssignmentRow, EvidenceRow, NewEvidence, NewStanding, ReadyRow, ResultRow, Saved, StaffRow,
    StandingRow, UnitCountRow,
};
pub use deploy::{AssistRow, DeploymentRow, NewAssist, ReadyForDeployment};
pub use learning::{AttemptRow, BestResult, NewAttempt};
pub use practice::{NewRun, RunResult, RunRow};
pub use rollups::{province_scope, DailyCount};
pub use roster::{RosterAccount, RosterWrite, UploadRow};
pub use units::UnitRow;

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

/// Makes sqlx's `Any` driver know SQLite and PostgreSQL (once per process).
fn install_drivers() {
    static DRIVERS: Once = Once::new();
    DRIVERS.call_once(sqlx::any::install_default_drivers);
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
        install_drivers();

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

    /// Opens a SQLite file only to read it (a backup being checked): one connection, and
    /// none of the settings a serving database gets, so the file is left exactly as it is.
    pub async fn open_sqlite_read_only(path: &std::path::Path) -> Result<Db, StoreError> {
        install_drivers();
        let url = format!("sqlite://{}?mode=ro", path.display());
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Db {
            pool,
            backend: Backend::Sqlite,
        })
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

    /// Writes a consistent copy of a SQLite database to `path` (`VACUUM INTO`: safe while the
    /// server is writing; the copy is what was committed when it started). `path` must not
    /// exist. PostgreSQL is backed up with `pg_dump` instead.
    pub async fn backup_into(&self, path: &std::path::Path) -> Result<(), StoreError> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::UnsupportedUrl);
        }
        sqlx::query("VACUUM INTO $1")
            .bind(path.to_string_lossy().into_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Whether SQLite finds the database file sound (`PRAGMA integrity_check`); PostgreSQL
    /// keeps its own.
    pub async fn is_intact(&self) -> Result<bool, StoreError> {
        if self.backend != Backend::Sqlite {
            return Ok(true);
        }
        let (answer,): (String,) = sqlx::query_as("PRAGMA integrity_check")
            .fetch_one(&self.pool)
            .await?;
        Ok(answer == "ok")
    }

    /// Closes every connection (tests drop their PostgreSQL database afterwards).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

/// The file a `sqlite:` URL names (none for an in-memory database or another kind of URL).
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| std::path::PathBuf::from(path))
}

fn create_sqlite_parent_dir(url: &str) {
    let Some(path) = sqlite_path(url) else {
        return;
    };
    if let Some(parent) = path.parent() {
        if !parent.as_os_str().is_empty() {
            // A failure here surfaces as a clear connect error right after.
            let _ = std::fs::create_dir_all(parent);
        }
    }
}
