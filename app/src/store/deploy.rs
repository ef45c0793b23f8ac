//! Deployments (a volunteer sent to a unit for a shift), the sessions volunteers log, and the
//! households those sessions reach, with their rollups moved in the same transaction.

use leptos::serde_json::json;
use sqlx::{Any, FromRow, Transaction};

use super::audit::{append, Entry};
use crate::domain::audit::{Action, Actor};

use super::{Db, StoreError};
use crate::domain::campaign::{Metric, Outcome, Shift};

use super::rollups::{bump, bump_scope, province_of, province_scope};

/// A shift as listed to organizers and volunteers.
#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct DeploymentRow {
    pub id: i64,
    pub volunteer_id: i64,
    pub volunteer_name: String,
    pub unit_code: String,
    pub unit_name: String,
    pub day: i64,
    pub shift: String,
    pub assists: i64,
}

/// An assisted session to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAssist {
    pub volunteer_id: i64,
    pub deployment_id: Option<i64>,
    pub unit_code: String,
    /// Already a [`crate::domain::campaign::household_key`].
    pub household: String,
    pub resident_phone: Option<String>,
    pub procedure_id: String,
    pub outcome: Outcome,
    pub minutes: i64,
    pub at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct AssistRow {
    pub id: i64,
    pub unit_code: String,
    pub household: String,
    pub procedure_id: String,
    pub outcome: String,
    pub minutes: i64,
    pub at: i64,
    pub independent_at: Option<i64>,
    pub resident_linked: i64,
}

/// Re-derives whether a household has a member who can use the portal alone (a resident
/// linked to it by an assisted session who meets the resident standard, or who later passed
/// the procedure's practice unaided), and moves the count if that changed.
pub(super) async fn refresh_household(
    tx: &mut Transaction<'static, Any>,
    unit_code: &str,
    key: &str,
    at: i64,
) -> Result<(), StoreError> {
    let stored: Option<(i64,)> = sqlx::query_as(
        "SELECT proficient FROM households WHERE unit_code = $1 AND household_key = $2",
    )
    .bind(unit_code)
    .bind(key)
    .fetch_optional(&mut **tx)
    .await
    .map_err(StoreError::classify)?;
    let Some((was,)) = stored else {
        return Ok(());
    };
    let (now,): (i64,) = sqlx::query_as(&format!(
        "SELECT CASE WHEN EXISTS ({PROFICIENT_MEMBER} AND x.unit_code = $1 AND x.household = $2) \
         THEN 1 ELSE 0 END"
    ))
    .bind(unit_code)
    .bind(key)
    .fetch_one(&mut **tx)
    .await
    .map_err(StoreError::classify)?;
    if now != was {
        sqlx::query(
            "UPDATE households SET proficient = $1 WHERE unit_code = $2 AND household_key = $3",
        )
        .bind(now)
        .bind(unit_code)
        .bind(key)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::classify)?;
        bump(
            tx,
            unit_code,
            &[(Metric::HouseholdsProficient, now - was)],
            at,
        )
        .await?;
    }
    Ok(())
}

/// An assisted session `x` whose household has a proficient member. Followed by conditions
/// on `x`.
pub(super) const PROFICIENT_MEMBER: &str =
    "SELECT 1 FROM assists x WHERE (x.independent_at IS NOT NULL \
     OR EXISTS (SELECT 1 FROM standings s WHERE s.account_id = x.resident_id AND s.meets = 1 \
     AND s.cohort = 'resident'))";

/// Refreshes every household a resident is linked to (their standing changed).
pub(super) async fn refresh_households_of(
    tx: &mut Transaction<'static, Any>,
    resident_id: i64,
    at: i64,
) -> Result<(), StoreError> {
    let households: Vec<(String, String)> =
        sqlx::query_as("SELECT DISTINCT unit_code, household FROM assists WHERE resident_id = $1")
            .bind(resident_id)
            .fetch_all(&mut **tx)
            .await
            .map_err(StoreError::classify)?;
    for (unit, key) in households {
        refresh_household(tx, &unit, &key, at).await?;
    }
    Ok(())
}

impl Db {
    /// Sends a volunteer to a unit for a shift, as `by` (a person: the command line sends
    /// nobody, [`StoreError::NotFound`]). [`StoreError::Busy`] when they already have a place
    /// in that shift.
    pub async fn deploy(
        &self,
        volunteer_id: i64,
        unit_code: &str,
        day: i64,
        shift: Shift,
        at: i64,
        by: &Actor,
    ) -> Result<i64, StoreError> {
        let Some(assigned_by) = by.account_id else {
            return Err(StoreError::NotFound);
        };
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        let busy: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM deployments WHERE volunteer_id = $1 AND day = $2 AND shift = $3 \
             AND cancelled_at IS NULL",
        )
        .bind(volunteer_id)
        .bind(day)
        .bind(shift.as_str())
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        if busy.is_some() {
            return Err(StoreError::Busy);
        }
        let province = province_of(&mut tx, unit_code).await?;
        let (in_unit, in_province) =
            active_places(&mut tx, volunteer_id, unit_code, &province).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO deployments (volunteer_id, unit_code, day, shift, assigned_by, assigned_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(volunteer_id)
        .bind(unit_code)
        .bind(day)
        .bind(shift.as_str())
        .bind(assigned_by)
        .bind(at)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match StoreError::classify(e) {
            StoreError::ContactTaken => StoreError::Busy,
            other => other,
        })?;
        if in_unit == 0 {
            bump_scope(&mut tx, unit_code, Metric::Deployed, 1, at).await?;
        }
        if in_province == 0 {
            bump_scope(&mut tx, &province_scope(&province), Metric::Deployed, 1, at).await?;
        }
        let entry = Entry {
            action: Action::Deploy,
            object: format!("deployment:{id}"),
            unit: Some(unit_code),
            before: None,
            after: Some(json!({"volunteer_id": volunteer_id, "day": day,
                "shift": shift.as_str()})),
        };
        append(&mut tx, by, at, entry).await?;
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(id)
    }

    /// Cancels a shift that has no sessions logged. Returns false when there was no such
    /// active shift (or sessions were logged on it).
    pub async fn cancel_deployment(
        &self,
        id: i64,
        at: i64,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        let row: Option<(i64, String, i64, String)> = sqlx::query_as(
            "SELECT volunteer_id, unit_code, day, shift FROM deployments d WHERE id = $1 \
             AND cancelled_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM assists x WHERE x.deployment_id = d.id)",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        let Some((volunteer_id, unit_code, day, shift)) = row else {
            return Ok(false);
        };
        let done = sqlx::query(
            "UPDATE deployments SET cancelled_at = $1 WHERE id = $2 AND cancelled_at IS NULL",
        )
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        let province = province_of(&mut tx, &unit_code).await?;
        let (in_unit, in_province) =
            active_places(&mut tx, volunteer_id, &unit_code, &province).await?;
        if in_unit == 0 {
            bump_scope(&mut tx, &unit_code, Metric::Deployed, -1, at).await?;
        }
        if in_province == 0 {
            bump_scope(
                &mut tx,
                &province_scope(&province),
                Metric::Deployed,
                -1,
                at,
            )
            .await?;
        }
        let shift = json!({"volunteer_id": volunteer_id, "day": day, "shift": shift});
        let entry = Entry {
            action: Action::DeployCancel,
            object: format!("deployment:{id}"),
            unit: Some(&unit_code),
            before: Some(shift),
            after: Some(json!({ "cancelled_at": at })),
        };
        append(&mut tx, actor, at, entry).await?;
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(true)
    }

    /// Active shifts from `from_day` on, of one unit or all, by day: at most `limit`.
    pub async fn deployments(
        &self,
        unit_code: Option<&str>,
        volunteer_id: Option<i64>,
        from_day: i64,
        limit: i64,
    ) -> Result<Vec<DeploymentRow>, StoreError> {
        sqlx::query_as(
            "SELECT d.id, d.volunteer_id, a.full_name AS volunteer_name, d.unit_code, \
             u.name AS unit_name, d.day, d.shift, \
             (SELECT COUNT(*) FROM assists x WHERE x.deployment_id = d.id) AS assists \
             FROM deployments d JOIN accounts a ON a.id = d.volunteer_id \
             JOIN units u ON u.code = d.unit_code \
             WHERE d.cancelled_at IS NULL AND d.day >= $1 \
             AND (CAST($2 AS TEXT) IS NULL OR d.unit_code = $2) \
             AND (CAST($3 AS BIGINT) IS NULL OR d.volunteer_id = $3) \
             ORDER BY d.day, CASE d.shift WHEN 'morning' THEN 0 WHEN 'afternoon' THEN 1 ELSE 2 END, \
             u.name, a.full_name LIMIT $4",
        )
        .bind(from_day)
        .bind(unit_code)
        .bind(volunteer_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    pub async fn deployment(&self, id: i64) -> Result<Option<DeploymentRow>, StoreError> {
        sqlx::query_as(
            "SELECT d.id, d.volunteer_id, a.full_name AS volunteer_name, d.unit_code, \
             u.name AS unit_name, d.day, d.shift, \
             (SELECT COUNT(*) FROM assists x WHERE x.deployment_id = d.id) AS assists \
             FROM deployments d JOIN accounts a ON a.id = d.volunteer_id \
             JOIN units u ON u.code = d.unit_code WHERE d.id = $1 AND d.cancelled_at IS NULL",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    // ---- Assisted sessions and households ----

    /// Records an assisted session: the household (new ones are counted as seen), the
    /// resident's account when their phone is known, and the session's counts, in one
    /// transaction.
    pub async fn log_assist(&self, a: &NewAssist) -> Result<i64, StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        let resident: Option<(i64,)> = match &a.resident_phone {
            Some(phone) => sqlx::query_as(
                "SELECT id FROM accounts WHERE phone = $1 AND role = 'learner' AND cohort = 'resident'",
            )
            .bind(phone)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::classify)?,
            None => None,
        };
        let new_household = sqlx::query(
            "INSERT INTO households (unit_code, household_key, proficient, first_seen) \
             VALUES ($1, $2, 0, $3) ON CONFLICT (unit_code, household_key) DO NOTHING",
        )
        .bind(&a.unit_code)
        .bind(&a.household)
        .bind(a.at)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::classify)?
        .rows_affected();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO assists (volunteer_id, deployment_id, unit_code, household, resident_phone, \
             resident_id, procedure_id, outcome, minutes, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(a.volunteer_id)
        .bind(a.deployment_id)
        .bind(&a.unit_code)
        .bind(&a.household)
        .bind(a.resident_phone.as_deref())
        .bind(resident.map(|(r,)| r))
        .bind(&a.procedure_id)
        .bind(a.outcome.as_str())
        .bind(a.minutes)
        .bind(a.at)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        bump(
            &mut tx,
            &a.unit_code,
            &[
                (Metric::HouseholdsSeen, i64::from(new_household == 1)),
                (Metric::Assists, 1),
                (a.outcome.metric(), 1),
                (Metric::AssistMinutes, a.minutes),
            ],
            a.at,
        )
        .await?;
        refresh_household(&mut tx, &a.unit_code, &a.household, a.at).await?;
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(id)
    }

    /// A resident passed a procedure's practice without hints: every earlier session in which
    /// a volunteer guided them through it turns "assisted → independent". Returns how many.
    pub async fn mark_independent(
        &self,
        resident_id: i64,
        procedure_id: &str,
        at: i64,
    ) -> Result<usize, StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        let turned: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, unit_code, household FROM assists WHERE resident_id = $1 \
             AND procedure_id = $2 AND at <= $3 AND independent_at IS NULL",
        )
        .bind(resident_id)
        .bind(procedure_id)
        .bind(at)
        .fetch_all(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        for (id, unit, household) in &turned {
            let done = sqlx::query(
                "UPDATE assists SET independent_at = $1 WHERE id = $2 AND independent_at IS NULL",
            )
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::classify)?;
            if done.rows_affected() == 1 {
                bump(&mut tx, unit, &[(Metric::AssistsIndependent, 1)], at).await?;
                refresh_household(&mut tx, unit, household, at).await?;
            }
        }
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(turned.len())
    }

    /// Links the sessions logged with a phone number to the resident who registered with it.
    pub async fn link_resident(
        &self,
        phone: &str,
        resident_id: i64,
        at: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        sqlx::query(
            "UPDATE assists SET resident_id = $1 WHERE resident_phone = $2 AND resident_id IS NULL",
        )
        .bind(resident_id)
        .bind(phone)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        refresh_households_of(&mut tx, resident_id, at).await?;
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(())
    }

    /// A volunteer's sessions, newest first.
    pub async fn assists_of(
        &self,
        volunteer_id: i64,
        limit: i64,
    ) -> Result<Vec<AssistRow>, StoreError> {
        sqlx::query_as(
            "SELECT id, unit_code, household, procedure_id, outcome, minutes, at, independent_at, \
             CASE WHEN resident_id IS NULL THEN 0 ELSE 1 END AS resident_linked \
             FROM assists WHERE volunteer_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
        )
        .bind(volunteer_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }
}

/// How many other active shifts a volunteer has in a unit, and in its province.
async fn active_places(
    tx: &mut Transaction<'static, Any>,
    volunteer_id: i64,
    unit_code: &str,
    province: &str,
) -> Result<(i64, i64), StoreError> {
    let (in_unit, in_province): (i64, i64) = sqlx::query_as(
        "SELECT \
         (SELECT COUNT(*) FROM deployments WHERE volunteer_id = $1 AND unit_code = $2 \
          AND cancelled_at IS NULL), \
         (SELECT COUNT(*) FROM deployments d JOIN units u ON u.code = d.unit_code \
          WHERE d.volunteer_id = $1 AND u.province_code = $3 AND d.cancelled_at IS NULL)",
    )
    .bind(volunteer_id)
    .bind(unit_code)
    .bind(province)
    .fetch_one(&mut **tx)
    .await
    .map_err(StoreError::classify)?;
    Ok((in_unit, in_province))
}

/// A volunteer who meets the volunteer standard, for the deployment form.
#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct ReadyForDeployment {
    pub id: i64,
    pub full_name: String,
    pub unit_name: String,
    pub university: Option<String>,
    pub shifts: i64,
}

impl Db {
    /// Volunteers of a province meeting the volunteer standard, with their shifts from
    /// `from_day` on; those with fewest shifts first.
    pub async fn ready_for_deployment(
        &self,
        province_code: &str,
        from_day: i64,
    ) -> Result<Vec<ReadyForDeployment>, StoreError> {
        sqlx::query_as(
            "SELECT a.id, a.full_name, u.name AS unit_name, a.university, \
             (SELECT COUNT(*) FROM deployments d WHERE d.volunteer_id = a.id \
              AND d.cancelled_at IS NULL AND d.day >= $2) AS shifts \
             FROM standings s JOIN accounts a ON a.id = s.account_id \
             JOIN units u ON u.code = s.unit_code \
             WHERE s.cohort = 'volunteer' AND s.meets = 1 AND u.province_code = $1 \
             ORDER BY shifts, a.full_name, a.id",
        )
        .bind(province_code)
        .bind(from_day)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    /// Whether an account is a volunteer meeting the volunteer standard now.
    pub async fn is_ready_volunteer(&self, account_id: i64) -> Result<bool, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT meets FROM standings WHERE account_id = $1 AND cohort = 'volunteer'",
        )
        .bind(account_id)
        .fetch_optional(self.pool())
        .await
        .map_err(StoreError::classify)?;
        Ok(row.is_some_and(|(m,)| m == 1))
    }
}
