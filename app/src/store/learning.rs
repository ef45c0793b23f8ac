//! Lessons read and quiz attempts.

use sqlx::FromRow;

use super::{Db, StoreError};

/// A quiz attempt to record. `answers` is the JSON of the learner's answers.
#[derive(Clone, Debug)]
pub struct NewAttempt {
    pub account_id: i64,
    pub module_id: String,
    pub module_version: i64,
    pub quiz_id: String,
    pub quiz_version: i64,
    pub answers: String,
    pub points: i64,
    pub total: i64,
    pub percent: i64,
    pub passed: bool,
    pub started_at: i64,
    pub submitted_at: i64,
    /// The competency evidence the attempt gives, stored with it.
    pub evidence: Vec<super::NewEvidence>,
}

#[derive(Clone, Debug, FromRow)]
pub struct AttemptRow {
    pub id: i64,
    pub account_id: i64,
    pub module_id: String,
    pub module_version: i64,
    pub quiz_id: String,
    pub quiz_version: i64,
    pub answers: String,
    pub points: i64,
    pub total: i64,
    pub percent: i64,
    pub passed: i64,
    pub submitted_at: i64,
    pub duration_seconds: i64,
}

/// A learner's best result on one module's quiz.
#[derive(Clone, Debug, FromRow)]
pub struct BestResult {
    pub module_id: String,
    pub best_percent: i64,
    pub passed: i64,
}

const ATTEMPT_COLUMNS: &str = "id, account_id, module_id, module_version, quiz_id, quiz_version, \
     answers, points, total, percent, passed, submitted_at, duration_seconds";

impl Db {
    /// Records that a lesson was read (again: the newest version read wins).
    pub async fn complete_lesson(
        &self,
        account_id: i64,
        module_id: &str,
        lesson_id: &str,
        lesson_version: i64,
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO lesson_progress (account_id, module_id, lesson_id, lesson_version, completed_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (account_id, lesson_id) DO UPDATE \
             SET lesson_version = excluded.lesson_version, completed_at = excluded.completed_at",
        )
        .bind(account_id)
        .bind(module_id)
        .bind(lesson_id)
        .bind(lesson_version)
        .bind(at)
        .execute(self.pool())
        .await
        .map_err(StoreError::classify)?;
        Ok(())
    }

    /// The lessons an account has read: (module id, lesson id).
    pub async fn completed_lessons(
        &self,
        account_id: i64,
    ) -> Result<Vec<(String, String)>, StoreError> {
        sqlx::query_as::<_, (String, String)>(
            "SELECT module_id, lesson_id FROM lesson_progress WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    /// Records an attempt and its evidence, in one transaction.
    pub async fn record_attempt(&self, attempt: &NewAttempt) -> Result<i64, StoreError> {
        let duration = (attempt.submitted_at - attempt.started_at).max(0);
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO quiz_attempts (account_id, module_id, module_version, quiz_id, \
             quiz_version, answers, points, total, percent, passed, started_at, submitted_at, \
             duration_seconds) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(attempt.account_id)
        .bind(&attempt.module_id)
        .bind(attempt.module_version)
        .bind(&attempt.quiz_id)
        .bind(attempt.quiz_version)
        .bind(&attempt.answers)
        .bind(attempt.points)
        .bind(attempt.total)
        .bind(attempt.percent)
        .bind(i64::from(attempt.passed))
        .bind(attempt.started_at)
        .bind(attempt.submitted_at)
        .bind(duration)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        super::competency::insert_evidence(&mut tx, attempt.account_id, id, &attempt.evidence)
            .await?;
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(id)
    }

    pub async fn attempt(&self, id: i64) -> Result<Option<AttemptRow>, StoreError> {
        let sql = format!("SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE id = $1");
        sqlx::query_as::<_, AttemptRow>(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await
            .map_err(StoreError::classify)
    }

    /// Every attempt of an account, newest first.
    pub async fn attempts_of(&self, account_id: i64) -> Result<Vec<AttemptRow>, StoreError> {
        let sql = format!(
            "SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE account_id = $1 ORDER BY id DESC"
        );
        sqlx::query_as::<_, AttemptRow>(&sql)
            .bind(account_id)
            .fetch_all(self.pool())
            .await
            .map_err(StoreError::classify)
    }

    /// Best percentage per module, and whether any attempt passed.
    pub async fn best_results(&self, account_id: i64) -> Result<Vec<BestResult>, StoreError> {
        sqlx::query_as::<_, BestResult>(
            "SELECT module_id, MAX(percent) AS best_percent, MAX(passed) AS passed \
             FROM quiz_attempts WHERE account_id = $1 GROUP BY module_id",
        )
        .bind(account_id)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }
}
