//! `hocso backup FILE` and `hocso restore FILE`.
//!
//! SQLite: the backup is `VACUUM INTO` (a consistent copy, taken while the server serves); a
//! restore checks the file, keeps the database it replaces beside it
//! (`….before-restore-<time>`), puts the copy in place in one rename and applies the
//! migrations (a backup from an older version comes up to date). A restore needs the server
//! stopped: `serve` holds [`ServingLock`] and a restore refuses while it is held.
//!
//! PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --single-transaction`, the
//! tools PostgreSQL operators already use; their absence is said in one sentence.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};

use app::store::{sqlite_path, Backend, Db};

/// What a backup or a restore did, in one line for the operator.
pub type Done = String;

/// Held by a serving process for as long as it serves a SQLite database: the lock file
/// `<database>.serving` beside it, locked shared (several processes may serve; a restore needs
/// it exclusive).
pub struct ServingLock {
    _file: File,
}

fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".serving");
    PathBuf::from(name)
}

impl ServingLock {
    /// Takes the lock for the SQLite database `url` names (none for PostgreSQL).
    pub fn take(url: &str) -> anyhow::Result<Option<ServingLock>> {
        let Some(database) = sqlite_path(url) else {
            return Ok(None);
        };
        let path = lock_path(&database);
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let file = File::create(&path)
            .with_context(|| format!("cannot create the lock file {}", path.display()))?;
        file.lock_shared()
            .with_context(|| format!("cannot lock {}", path.display()))?;
        Ok(Some(ServingLock { _file: file }))
    }
}

fn backend_of(url: &str) -> anyhow::Result<Backend> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Backend::Postgres)
    } else {
        bail!("DATABASE_URL must start with sqlite: or postgres:")
    }
}

/// Writes a backup of the database `url` names to `file`, which must not exist yet.
pub async fn backup(url: &str, file: &Path) -> anyhow::Result<Done> {
    if file.exists() {
        bail!(
            "{} already exists: choose a new file name (nothing was overwritten)",
            file.display()
        );
    }
    match backend_of(url)? {
        Backend::Sqlite => {
            let db = Db::connect(url)
                .await
                .context("cannot open the database (set DATABASE_URL)")?;
            db.backup_into(file)
                .await
                .with_context(|| format!("cannot write the backup to {}", file.display()))?;
            db.close().await;
            let copy = open_sqlite_file(file).await?;
            let intact = copy.is_intact().await.unwrap_or(false);
            copy.close().await;
            if !intact {
                let _ = std::fs::remove_file(file);
                bail!("the backup did not read back whole, so it was removed: try again");
            }
            let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
            Ok(format!(
                "backup written to {} ({bytes} bytes)",
                file.display()
            ))
        }
        Backend::Postgres => {
            let mut dump = Command::new("pg_dump");
            dump.args(["--format=custom", "--no-owner", "--file"])
                .arg(file)
                .arg(url);
            run_tool(
                dump,
                "pg_dump",
                "pg_dump --format=custom --file FILE \"$DATABASE_URL\"",
            )?;
            Ok(format!("backup written to {} (pg_dump)", file.display()))
        }
    }
}

/// Replaces the database `url` names with the backup `file`.
pub async fn restore(url: &str, file: &Path) -> anyhow::Result<Done> {
    if !file.is_file() {
        bail!(
            "{} is not a file: name a backup hocso backup wrote",
            file.display()
        );
    }
    match backend_of(url)? {
        Backend::Sqlite => restore_sqlite(url, file).await,
        Backend::Postgres => {
            let mut load = Command::new("pg_restore");
            load.args([
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
            ])
            .arg(url)
            .arg(file);
            run_tool(
                load,
                "pg_restore",
                "pg_restore --clean --if-exists --single-transaction --dbname \"$DATABASE_URL\" FILE",
            )?;
            migrate(url).await?;
            Ok(format!("restored from {} (pg_restore)", file.display()))
        }
    }
}

async fn open_sqlite_file(file: &Path) -> anyhow::Result<Db> {
    Db::open_sqlite_read_only(file)
        .await
        .with_context(|| format!("cannot open {} as a SQLite database", file.display()))
}

async fn migrate(url: &str) -> anyhow::Result<()> {
    let db = Db::connect(url)
        .await
        .context("cannot open the restored database")?;
    db.migrate()
        .await
        .context("the restored database cannot be brought up to date")?;
    db.close().await;
    Ok(())
}

async fn restore_sqlite(url: &str, file: &Path) -> anyhow::Result<Done> {
    let Some(database) = sqlite_path(url) else {
        bail!("DATABASE_URL names no database file");
    };
    // The backup must be a sound hocso database before anything is touched.
    let copy = open_sqlite_file(file).await?;
    let intact = copy.is_intact().await.unwrap_or(false);
    let is_hocso = copy.audit_log(&Default::default(), None, 1).await.is_ok();
    copy.close().await;
    if !intact || !is_hocso {
        bail!(
            "{} is not a whole hocso backup: nothing was changed",
            file.display()
        );
    }
    // Nobody may be serving the database it replaces.
    let lock = lock_path(&database);
    let held = match File::create(&lock) {
        Ok(f) => f.try_lock().map(|()| f).ok(),
        Err(_) => None,
    };
    let Some(_held) = held else {
        bail!(
            "the server is running on {}: stop it, then restore (nothing was changed)",
            database.display()
        );
    };
    // The copy goes in beside the database, then takes its place in one rename; the database
    // it replaces (with its journal) is kept under a new name.
    let staging = with_suffix(&database, ".restoring");
    std::fs::copy(file, &staging)
        .with_context(|| format!("cannot copy {} to {}", file.display(), staging.display()))?;
    File::open(&staging)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot write {}", staging.display()))?;
    let mut kept = None;
    if database.exists() {
        let suffix = format!(".before-restore-{}", app::services::now());
        let aside = with_suffix(&database, &suffix);
        std::fs::rename(&database, &aside)
            .with_context(|| format!("cannot keep the current database as {}", aside.display()))?;
        for journal in ["-wal", "-shm"] {
            let from = with_suffix(&database, journal);
            if from.exists() {
                let to = with_suffix(&aside, journal);
                std::fs::rename(&from, &to)
                    .with_context(|| format!("cannot move {}", from.display()))?;
            }
        }
        kept = Some(aside);
    }
    std::fs::rename(&staging, &database)
        .with_context(|| format!("cannot put the backup in place at {}", database.display()))?;
    migrate(url).await?;
    Ok(match kept {
        Some(aside) => format!(
            "restored from {}; the database it replaced is kept as {}",
            file.display(),
            aside.display()
        ),
        None => format!("restored from {}", file.display()),
    })
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Runs a PostgreSQL client tool; its absence or failure is one sentence (with what to run by
/// hand), never its whole output.
fn run_tool(mut command: Command, name: &str, by_hand: &str) -> anyhow::Result<()> {
    let output = match command.output() {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "{name} was not found: install PostgreSQL's client tools (apt install \
             postgresql-client), or run {by_hand}"
        ),
        Err(e) => bail!("cannot run {name}: {e}"),
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or("no message");
        bail!("{name} failed: {first}");
    }
    Ok(())
}
