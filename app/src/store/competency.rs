//! Competency records: the evidence ledger, verified and self-assessed levels, standings,
//! per-unit counts and mandatory assignments.

use leptos::serde_json::json;
use sqlx::{Any, FromRow, Transaction};

use super::audit::{append, Entry};
use crate::domain::audit::{Action, Actor};

use super::deploy::refresh_households_of;
use super::rollups::bump;
use super::{Db, StoreError};
use crate::domain::campaign::Metric;
use crate::domain::Cohort;

/// A piece of evidence to record with the attempt or run that earned it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvidence {
    pub competence: String,
    pub level: i64,
    /// `quiz` or `practice`.
    pub source_kind: &'static str,
    pub source_id: String,
    pub source_version: i64,
    pub percent: i64,
    pub earned_at: i64,
}

#[derive(Clone, Debug, FromRow)]
pub struct EvidenceRow {
    pub id: i64,
    pub competence: String,
    pub level: i64,
    pub source_kind: String,
    pub source_id: String,
    pub source_version: i64,
    pub percent: i64,
    pub earned_at: i64,
    pub record_id: i64,
}

/// A learner's standing as stored.
#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct StandingRow {
    pub account_id: i64,
    pub unit_code: String,
    pub cohort: String,
    pub position_id: String,
    pub met: i64,
    pub required: i64,
    pub meets: i64,
    pub leader_ready: i64,
    pub meets_since: Option<i64>,
    pub review_at: Option<i64>,
    pub evidence_seen: i64,
    pub updated_at: i64,
    pub trained: i64,
}

/// A freshly computed standing and the levels behind it.
#[derive(Clone, Debug)]
pub struct NewStanding {
    pub account_id: i64,
    pub unit_code: String,
    pub cohort: String,
    pub position_id: String,
    pub met: i64,
    pub required: i64,
    pub meets: bool,
    /// Ever passed a quiz or an exam run.
    pub trained: bool,
    pub leader_ready: bool,
    pub review_at: Option<i64>,
    pub evidence_seen: i64,
    pub at: i64,
    /// (competence, level, valid until), levels above 0 only.
    pub levels: Vec<(String, i64, i64)>,
}

/// What [`Db::save_standing`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saved {
    Saved,
    /// Something changed the standing between the read and the write: compute again.
    Raced,
}

/// One staff member of a unit with their standing (if computed yet).
#[derive(Clone, Debug, FromRow)]
pub struct StaffRow {
    pub id: i64,
    pub full_name: String,
    pub cohort: Option<String>,
    pub position_code: Option<String>,
    pub meets: Option<i64>,
    pub leader_ready: Option<i64>,
}

/// A unit in the organizers' overview.
#[derive(Clone, Debug, FromRow)]
pub struct UnitCountRow {
    pub code: String,
    pub name: String,
    pub staff: i64,
    pub meeting: i64,
}

/// A volunteer who meets the volunteer standard.
#[derive(Clone, Debug, FromRow)]
pub struct ReadyRow {
    pub id: i64,
    pub full_name: String,
    pub unit_name: String,
    pub meets_since: Option<i64>,
}

/// A quiz attempt or exam run recorded without evidence (before evidence was kept).
#[derive(Clone, Debug, FromRow)]
pub struct ResultRow {
    /// `quiz` or `practice`.
    pub kind: String,
    pub record_id: i64,
    pub account_id: i64,
    pub source_id: String,
    pub version: i64,
    pub percent: i64,
    pub at: i64,
}

#[derive(Clone, Debug, FromRow)]
pub struct AssignmentRow {
    pub unit_code: String,
    pub module_id: String,
    pub due_on: i64,
}

const STANDING_COLUMNS: &str = "account_id, unit_code, cohort, position_id, met, required, meets, \
     leader_ready, meets_since, review_at, evidence_seen, updated_at, trained";

pub(super) async fn insert_evidence(
    tx: &mut Transaction<'static, Any>,
    account_id: i64,
    record_id: i64,
    evidence: &[NewEvidence],
) -> Result<(), StoreError> {
    for e in evidence {
        sqlx::query(
            "INSERT INTO evidence (account_id, competence, level, source_kind, source_id, \
             source_version, percent, earned_at, record_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(account_id)
        .bind(&e.competence)
        .bind(e.level)
        .bind(e.source_kind)
        .bind(&e.source_id)
        .bind(e.source_version)
        .bind(e.percent)
        .bind(e.earned_at)
        .bind(record_id)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::classify)?;
    }
    Ok(())
}

/// Moves the unit's (and province's) counts of learners meeting their standard and trained
/// from what a standing was to what it is; a resident's households follow.
async fn move_counts(
    tx: &mut Transaction<'static, Any>,
    was: Option<(&str, &str, bool, bool)>,
    now: Option<(&str, &str, bool, bool)>,
    account_id: i64,
    at: i64,
) -> Result<(), StoreError> {
    if was == now {
        return Ok(());
    }
    for (side, sign) in [(was, -1), (now, 1)] {
        let Some((unit, cohort, meets, trained)) = side else {
            continue;
        };
        let Some(cohort) = Cohort::parse(cohort) else {
            continue;
        };
        bump(
            tx,
            unit,
            &[
                (Metric::Meeting(cohort), sign * i64::from(meets)),
                (Metric::Trained(cohort), sign * i64::from(trained)),
            ],
            at,
        )
        .await?;
    }
    let resident =
        |s: Option<(&str, &str, bool, bool)>| s.is_some_and(|(_, c, _, _)| c == "resident");
    if resident(was) || resident(now) {
        refresh_households_of(tx, account_id, at).await?;
    }
    Ok(())
}

impl Db {
    /// Every piece of evidence of an account, oldest first.
    pub async fn evidence_of(&self, account_id: i64) -> Result<Vec<EvidenceRow>, StoreError> {
        sqlx::query_as::<_, EvidenceRow>(
            "SELECT id, competence, level, source_kind, source_id, source_version, percent, \
             earned_at, record_id FROM evidence WHERE account_id = $1 ORDER BY id",
        )
        .bind(account_id)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    pub async fn standing(&self, account_id: i64) -> Result<Option<StandingRow>, StoreError> {
        let sql = format!("SELECT {STANDING_COLUMNS} FROM standings WHERE account_id = $1");
        sqlx::query_as::<_, StandingRow>(&sql)
            .bind(account_id)
            .fetch_optional(self.pool())
            .await
            .map_err(StoreError::classify)
    }

    /// Stores a learner's levels and standing, and moves the unit counts by the difference,
    /// all in one transaction. `old` is the standing the computation started from: if the
    /// stored one differs by now, nothing is written ([`Saved::Raced`]).
    pub async fn save_standing(
        &self,
        old: Option<&StandingRow>,
        new: &NewStanding,
    ) -> Result<Saved, StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        let meets_since = match old {
            Some(o) if o.meets == 1 && new.meets => o.meets_since,
            _ if new.meets => Some(new.at),
            _ => None,
        };
        let written = match old {
            Some(o) => {
                sqlx::query(
                    "UPDATE standings SET unit_code = $1, cohort = $2, position_id = $3, met = $4, \
                     required = $5, meets = $6, leader_ready = $7, meets_since = $8, review_at = $9, \
                     evidence_seen = $10, updated_at = $11, trained = $18 \
                     WHERE account_id = $12 AND unit_code = $13 AND cohort = $14 AND meets = $15 \
                     AND evidence_seen = $16 AND updated_at = $17 AND trained = $19",
                )
                .bind(&new.unit_code)
                .bind(&new.cohort)
                .bind(&new.position_id)
                .bind(new.met)
                .bind(new.required)
                .bind(i64::from(new.meets))
                .bind(i64::from(new.leader_ready))
                .bind(meets_since)
                .bind(new.review_at)
                .bind(new.evidence_seen)
                .bind(new.at)
                .bind(new.account_id)
                .bind(&o.unit_code)
                .bind(&o.cohort)
                .bind(o.meets)
                .bind(o.evidence_seen)
                .bind(o.updated_at)
                .bind(i64::from(new.trained))
                .bind(o.trained)
                .execute(&mut *tx)
                .await
            }
            None => {
                sqlx::query(
                    "INSERT INTO standings (account_id, unit_code, cohort, position_id, met, \
                     required, meets, leader_ready, meets_since, review_at, evidence_seen, updated_at, \
                     trained) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                     ON CONFLICT (account_id) DO NOTHING",
                )
                .bind(new.account_id)
                .bind(&new.unit_code)
                .bind(&new.cohort)
                .bind(&new.position_id)
                .bind(new.met)
                .bind(new.required)
                .bind(i64::from(new.meets))
                .bind(i64::from(new.leader_ready))
                .bind(meets_since)
                .bind(new.review_at)
                .bind(new.evidence_seen)
                .bind(new.at)
                .bind(i64::from(new.trained))
                .execute(&mut *tx)
                .await
            }
        }
        .map_err(StoreError::classify)?;
        if written.rows_affected() != 1 {
            tx.rollback().await.map_err(StoreError::classify)?;
            return Ok(Saved::Raced);
        }
        let was = old.map(|o| {
            (
                o.unit_code.as_str(),
                o.cohort.as_str(),
                o.meets == 1,
                o.trained == 1,
            )
        });
        let now = Some((
            new.unit_code.as_str(),
            new.cohort.as_str(),
            new.meets,
            new.trained,
        ));
        move_counts(&mut tx, was, now, new.account_id, new.at).await?;
        sqlx::query("DELETE FROM verified_levels WHERE account_id = $1")
            .bind(new.account_id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::classify)?;
        for (competence, level, until) in &new.levels {
            sqlx::query(
                "INSERT INTO verified_levels (account_id, competence, level, valid_until, updated_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(new.account_id)
            .bind(competence)
            .bind(level)
            .bind(until)
            .bind(new.at)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::classify)?;
        }
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(Saved::Saved)
    }

    /// Removes the standing of someone no longer held to a standard, and their place in the
    /// unit count, if it is still the standing `old`.
    pub async fn clear_standing(&self, old: &StandingRow, at: i64) -> Result<Saved, StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        let gone = sqlx::query(
            "DELETE FROM standings WHERE account_id = $1 AND unit_code = $2 AND cohort = $3 \
             AND meets = $4 AND evidence_seen = $5 AND updated_at = $6 AND trained = $7",
        )
        .bind(old.account_id)
        .bind(&old.unit_code)
        .bind(&old.cohort)
        .bind(old.meets)
        .bind(old.evidence_seen)
        .bind(old.updated_at)
        .bind(old.trained)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        if gone.rows_affected() != 1 {
            tx.rollback().await.map_err(StoreError::classify)?;
            return Ok(Saved::Raced);
        }
        let was = (
            old.unit_code.as_str(),
            old.cohort.as_str(),
            old.meets == 1,
            old.trained == 1,
        );
        move_counts(&mut tx, Some(was), None, old.account_id, at).await?;
        sqlx::query("DELETE FROM verified_levels WHERE account_id = $1")
            .bind(old.account_id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::classify)?;
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(Saved::Saved)
    }

    /// Adds evidence for an attempt or run recorded without it, in one transaction.
    pub async fn add_evidence(
        &self,
        account_id: i64,
        record_id: i64,
        evidence: &[NewEvidence],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        insert_evidence(&mut tx, account_id, record_id, evidence).await?;
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(())
    }

    /// Quiz attempts and submitted exam runs that have no evidence rows.
    pub async fn results_without_evidence(&self) -> Result<Vec<ResultRow>, StoreError> {
        sqlx::query_as::<_, ResultRow>(
            "SELECT 'quiz' AS kind, q.id AS record_id, q.account_id, q.module_id AS source_id, \
             q.quiz_version AS version, q.percent, q.submitted_at AS at FROM quiz_attempts q \
             WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.source_kind = 'quiz' \
             AND e.record_id = q.id) \
             UNION ALL \
             SELECT 'practice' AS kind, r.id AS record_id, r.account_id, \
             r.procedure_id AS source_id, r.procedure_version AS version, \
             COALESCE(r.percent, 0) AS percent, COALESCE(r.submitted_at, r.updated_at) AS at \
             FROM practice_runs r WHERE r.status = 'submitted' AND r.mode = 'exam' \
             AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.source_kind = 'practice' \
             AND e.record_id = r.id) ORDER BY 2",
        )
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    /// Learners whose standing may have changed with time alone (a level's evidence expired).
    pub async fn standings_due(&self, now: i64, limit: i64) -> Result<Vec<i64>, StoreError> {
        sqlx::query_as::<_, (i64,)>(
            "SELECT account_id FROM standings WHERE review_at <= $1 ORDER BY review_at LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .map(|rows| rows.into_iter().map(|(id,)| id).collect())
        .map_err(StoreError::classify)
    }

    /// Every learner with evidence or a standing (for a recomputation after a content change).
    pub async fn learners_with_records(&self) -> Result<Vec<i64>, StoreError> {
        sqlx::query_as::<_, (i64,)>(
            "SELECT account_id FROM standings UNION SELECT account_id FROM evidence ORDER BY 1",
        )
        .fetch_all(self.pool())
        .await
        .map(|rows| rows.into_iter().map(|(id,)| id).collect())
        .map_err(StoreError::classify)
    }

    /// Verified levels of one account: (competence, level).
    pub async fn verified_levels(&self, account_id: i64) -> Result<Vec<(String, i64)>, StoreError> {
        sqlx::query_as::<_, (String, i64)>(
            "SELECT competence, level FROM verified_levels WHERE account_id = $1 ORDER BY competence",
        )
        .bind(account_id)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    /// Verified levels of a unit's learners: (account, competence, level).
    pub async fn unit_levels(
        &self,
        unit_code: &str,
    ) -> Result<Vec<(i64, String, i64)>, StoreError> {
        sqlx::query_as::<_, (i64, String, i64)>(
            "SELECT v.account_id, v.competence, v.level FROM verified_levels v \
             JOIN accounts a ON a.id = v.account_id WHERE a.unit_code = $1",
        )
        .bind(unit_code)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    pub async fn self_assessments(
        &self,
        account_id: i64,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        sqlx::query_as::<_, (String, i64)>(
            "SELECT competence, level FROM self_assessments WHERE account_id = $1 ORDER BY competence",
        )
        .bind(account_id)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    /// Replaces an account's self-assessment with `answers` (competence, level), in one
    /// transaction.
    pub async fn save_self_assessment(
        &self,
        account_id: i64,
        answers: &[(String, i64)],
        at: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        sqlx::query("DELETE FROM self_assessments WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::classify)?;
        for (competence, level) in answers {
            sqlx::query(
                "INSERT INTO self_assessments (account_id, competence, level, assessed_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(account_id)
            .bind(competence)
            .bind(level)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::classify)?;
        }
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(())
    }

    /// A unit's learners of one cohort, by name, with their standings.
    pub async fn unit_staff(
        &self,
        unit_code: &str,
        cohort: &str,
    ) -> Result<Vec<StaffRow>, StoreError> {
        sqlx::query_as::<_, StaffRow>(
            "SELECT a.id, a.full_name, a.cohort, a.position_code, s.meets, s.leader_ready \
             FROM accounts a LEFT JOIN standings s ON s.account_id = a.id \
             WHERE a.unit_code = $1 AND a.role = 'learner' AND a.cohort = $2 \
             ORDER BY a.full_name, a.id",
        )
        .bind(unit_code)
        .bind(cohort)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    /// The maintained count of a unit's learners of `cohort` meeting their standard.
    pub async fn unit_meeting(&self, unit_code: &str, cohort: &str) -> Result<i64, StoreError> {
        let Some(cohort) = Cohort::parse(cohort) else {
            return Ok(0);
        };
        sqlx::query_as::<_, (i64,)>("SELECT value FROM stats WHERE scope = $1 AND metric = $2")
            .bind(unit_code)
            .bind(Metric::Meeting(cohort).as_str())
            .fetch_optional(self.pool())
            .await
            .map(|row| row.map_or(0, |(n,)| n))
            .map_err(StoreError::classify)
    }

    /// Every unit of a province with its learners of `cohort` and how many meet their
    /// standard (both maintained counts).
    pub async fn unit_counts(
        &self,
        province_code: &str,
        cohort: &str,
    ) -> Result<Vec<UnitCountRow>, StoreError> {
        let Some(c) = Cohort::parse(cohort) else {
            return Ok(Vec::new());
        };
        sqlx::query_as::<_, UnitCountRow>(
            "SELECT u.code, u.name, \
             COALESCE((SELECT s.value FROM stats s WHERE s.scope = u.code AND s.metric = $2), 0) \
             AS staff, \
             COALESCE((SELECT s.value FROM stats s WHERE s.scope = u.code AND s.metric = $3), 0) \
             AS meeting \
             FROM units u WHERE u.province_code = $1 ORDER BY u.code",
        )
        .bind(province_code)
        .bind(Metric::Members(c).as_str())
        .bind(Metric::Meeting(c).as_str())
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    /// Volunteers meeting the volunteer standard, longest-ready first.
    pub async fn ready_volunteers(&self) -> Result<Vec<ReadyRow>, StoreError> {
        sqlx::query_as::<_, ReadyRow>(
            "SELECT a.id, a.full_name, u.name AS unit_name, s.meets_since \
             FROM standings s JOIN accounts a ON a.id = s.account_id \
             JOIN units u ON u.code = s.unit_code \
             WHERE s.cohort = 'volunteer' AND s.meets = 1 ORDER BY s.meets_since, a.id",
        )
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    /// Quizzes a unit's learners passed: (account, module, quiz version).
    pub async fn unit_passed_quizzes(
        &self,
        unit_code: &str,
    ) -> Result<Vec<(i64, String, i64)>, StoreError> {
        sqlx::query_as::<_, (i64, String, i64)>(
            "SELECT DISTINCT q.account_id, q.module_id, q.quiz_version FROM quiz_attempts q \
             JOIN accounts a ON a.id = q.account_id WHERE a.unit_code = $1 AND q.passed = 1",
        )
        .bind(unit_code)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    pub async fn assignments(&self, unit_code: &str) -> Result<Vec<AssignmentRow>, StoreError> {
        sqlx::query_as::<_, AssignmentRow>(
            "SELECT unit_code, module_id, due_on FROM assignments WHERE unit_code = $1 \
             ORDER BY due_on, module_id",
        )
        .bind(unit_code)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    /// Sets (or moves) the due date of a mandatory module for a unit.
    pub async fn set_assignment(
        &self,
        unit_code: &str,
        module_id: &str,
        due_on: i64,
        by: i64,
        at: i64,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        let old: Option<(i64,)> = sqlx::query_as(
            "SELECT due_on FROM assignments WHERE unit_code = $1 AND module_id = $2",
        )
        .bind(unit_code)
        .bind(module_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        sqlx::query(
            "INSERT INTO assignments (unit_code, module_id, due_on, assigned_by, assigned_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit_code, module_id) DO UPDATE \
             SET due_on = excluded.due_on, assigned_by = excluded.assigned_by, \
             assigned_at = excluded.assigned_at",
        )
        .bind(unit_code)
        .bind(module_id)
        .bind(due_on)
        .bind(by)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        let entry = Entry {
            action: Action::Assignment,
            object: format!("module:{module_id}"),
            unit: Some(unit_code),
            before: old.map(|(due,)| json!({ "due_on": due })),
            after: Some(json!({ "due_on": due_on })),
        };
        append(&mut tx, actor, at, entry).await?;
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(())
    }

    pub async fn competency_fingerprint(&self) -> Result<Option<String>, StoreError> {
        sqlx::query_as::<_, (String,)>("SELECT fingerprint FROM competency_meta WHERE id = 1")
            .fetch_optional(self.pool())
            .await
            .map(|row| row.map(|(f,)| f))
            .map_err(StoreError::classify)
    }

    pub async fn set_competency_fingerprint(&self, fingerprint: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO competency_meta (id, fingerprint) VALUES (1, $1) \
             ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint",
        )
        .bind(fingerprint)
        .execute(self.pool())
        .await
        .map_err(StoreError::classify)?;
        Ok(())
    }
}
