//! Practice sandbox runs.

use sqlx::FromRow;

use super::{Db, StoreError};
use crate::domain::practice::{Mode, RunStatus};

/// A run to start.
#[derive(Clone, Debug)]
pub struct NewRun {
    pub account_id: i64,
    pub procedure_id: String,
    pub procedure_version: i64,
    pub scenario_id: String,
    pub mode: Mode,
    pub step: String,
    /// JSON of the inputs so far.
    pub inputs: String,
    pub started_at: i64,
}

#[derive(Clone, Debug, FromRow)]
pub struct RunRow {
    pub id: i64,
    pub account_id: i64,
    pub procedure_id: String,
    pub procedure_version: i64,
    pub scenario_id: String,
    pub mode: String,
    pub status: String,
    pub step: String,
    pub inputs: String,
    pub hints_used: i64,
    /// Bumped by every save, so a save based on an older read changes nothing.
    pub revision: i64,
    pub started_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub seconds: Option<i64>,
    pub points: Option<i64>,
    pub max_points: Option<i64>,
    pub percent: Option<i64>,
    pub passed: Option<i64>,
    /// JSON of the score breakdown.
    pub findings: Option<String>,
}

impl RunRow {
    /// The stored mode; an unknown code reads as guided (it is never evidence).
    pub fn mode(&self) -> Mode {
        Mode::parse(&self.mode).unwrap_or(Mode::Guided)
    }

    pub fn status(&self) -> RunStatus {
        RunStatus::parse(&self.status)
    }
}

/// The score of a submitted run, to record.
#[derive(Clone, Debug)]
pub struct RunResult {
    pub inputs: String,
    pub submitted_at: i64,
    pub seconds: i64,
    pub points: i64,
    pub max_points: i64,
    pub percent: i64,
    pub passed: bool,
    pub findings: String,
}

const RUN_COLUMNS: &str = "id, account_id, procedure_id, procedure_version, scenario_id, mode, \
     status, step, inputs, hints_used, revision, started_at, updated_at, submitted_at, seconds, points, \
     max_points, percent, passed, findings";

impl Db {
    /// Starts a run, or returns the learner's unfinished run of the same scenario.
    pub async fn start_run(&self, run: &NewRun) -> Result<i64, StoreError> {
        if let Some(active) = self
            .active_run(run.account_id, &run.procedure_id, &run.scenario_id)
            .await?
        {
            return Ok(active.id);
        }
        let inserted: Result<(i64,), _> = sqlx::query_as(
            "INSERT INTO practice_runs (account_id, procedure_id, procedure_version, scenario_id, \
             mode, status, step, inputs, hints_used, started_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, 0, $8, $8) RETURNING id",
        )
        .bind(run.account_id)
        .bind(&run.procedure_id)
        .bind(run.procedure_version)
        .bind(&run.scenario_id)
        .bind(run.mode.code())
        .bind(&run.step)
        .bind(&run.inputs)
        .bind(run.started_at)
        .fetch_one(self.pool())
        .await;
        match inserted {
            Ok((id,)) => Ok(id),
            // A second request started the same run at the same moment: use that one.
            Err(sqlx::Error::Database(e))
                if e.kind() == sqlx::error::ErrorKind::UniqueViolation =>
            {
                self.active_run(run.account_id, &run.procedure_id, &run.scenario_id)
                    .await?
                    .map(|r| r.id)
                    .ok_or(StoreError::NotFound)
            }
            Err(e) => Err(StoreError::classify(e)),
        }
    }

    pub async fn active_run(
        &self,
        account_id: i64,
        procedure_id: &str,
        scenario_id: &str,
    ) -> Result<Option<RunRow>, StoreError> {
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM practice_runs WHERE account_id = $1 AND procedure_id = $2 \
             AND scenario_id = $3 AND status = 'active'"
        );
        sqlx::query_as::<_, RunRow>(&sql)
            .bind(account_id)
            .bind(procedure_id)
            .bind(scenario_id)
            .fetch_optional(self.pool())
            .await
            .map_err(StoreError::classify)
    }

    pub async fn run(&self, id: i64) -> Result<Option<RunRow>, StoreError> {
        let sql = format!("SELECT {RUN_COLUMNS} FROM practice_runs WHERE id = $1");
        sqlx::query_as::<_, RunRow>(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await
            .map_err(StoreError::classify)
    }

    /// Saves an unfinished run's inputs and step, if nothing changed it since `revision` was
    /// read. False when the run is not the account's, is no longer active (submitted or
    /// abandoned in another tab), or was saved meanwhile (another tab, a double click).
    #[allow(clippy::too_many_arguments)]
    pub async fn save_run(
        &self,
        id: i64,
        account_id: i64,
        revision: i64,
        step: &str,
        inputs: &str,
        hints_used: i64,
        at: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE practice_runs SET step = $1, inputs = $2, hints_used = $3, updated_at = $4, \
             revision = revision + 1 \
             WHERE id = $5 AND account_id = $6 AND status = 'active' AND revision = $7",
        )
        .bind(step)
        .bind(inputs)
        .bind(hints_used)
        .bind(at)
        .bind(id)
        .bind(account_id)
        .bind(revision)
        .execute(self.pool())
        .await
        .map_err(StoreError::classify)?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a run's score, once: false when it was already submitted or abandoned.
    pub async fn submit_run(
        &self,
        id: i64,
        account_id: i64,
        revision: i64,
        result: &RunResult,
        evidence: &[super::NewEvidence],
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        let done = sqlx::query(
            "UPDATE practice_runs SET status = 'submitted', inputs = $1, submitted_at = $2, \
             updated_at = $2, seconds = $3, points = $4, max_points = $5, percent = $6, \
             passed = $7, findings = $8, revision = revision + 1 \
             WHERE id = $9 AND account_id = $10 AND status = 'active' AND revision = $11",
        )
        .bind(&result.inputs)
        .bind(result.submitted_at)
        .bind(result.seconds)
        .bind(result.points)
        .bind(result.max_points)
        .bind(result.percent)
        .bind(i64::from(result.passed))
        .bind(&result.findings)
        .bind(id)
        .bind(account_id)
        .bind(revision)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        if done.rows_affected() != 1 {
            tx.rollback().await.map_err(StoreError::classify)?;
            return Ok(false);
        }
        super::competency::insert_evidence(&mut tx, account_id, id, evidence).await?;
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(true)
    }

    /// Whether the learner had seen run `id`'s case before starting it: an earlier run of the
    /// same scenario that was guided (hints, the right answers step by step) or submitted (its
    /// review shows the right answers).
    pub async fn case_seen_before(&self, id: i64) -> Result<bool, StoreError> {
        let seen: Option<(i64,)> = sqlx::query_as(
            "SELECT 1 FROM practice_runs r JOIN practice_runs e \
             ON e.account_id = r.account_id AND e.procedure_id = r.procedure_id \
             AND e.scenario_id = r.scenario_id AND e.id < r.id \
             WHERE r.id = $1 AND (e.mode = 'guided' OR e.status = 'submitted') LIMIT 1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await
        .map_err(StoreError::classify)?;
        Ok(seen.is_some())
    }

    /// Abandons an unfinished run. False when there was none to abandon.
    pub async fn abandon_run(&self, id: i64, account_id: i64, at: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE practice_runs SET status = 'abandoned', updated_at = $1 \
             WHERE id = $2 AND account_id = $3 AND status = 'active'",
        )
        .bind(at)
        .bind(id)
        .bind(account_id)
        .execute(self.pool())
        .await
        .map_err(StoreError::classify)?;
        Ok(done.rows_affected() == 1)
    }

    /// An account's runs, newest first (of one procedure when given).
    pub async fn runs_of(
        &self,
        account_id: i64,
        procedure_id: Option<&str>,
    ) -> Result<Vec<RunRow>, StoreError> {
        let sql = match procedure_id {
            Some(_) => format!(
                "SELECT {RUN_COLUMNS} FROM practice_runs WHERE account_id = $1 \
                 AND procedure_id = $2 ORDER BY id DESC"
            ),
            None => format!(
                "SELECT {RUN_COLUMNS} FROM practice_runs WHERE account_id = $1 ORDER BY id DESC"
            ),
        };
        let mut query = sqlx::query_as::<_, RunRow>(&sql).bind(account_id);
        if let Some(p) = procedure_id {
            query = query.bind(p);
        }
        query
            .fetch_all(self.pool())
            .await
            .map_err(StoreError::classify)
    }
}
