//! Campaigns, their targets, and the figures units report from outside hocso.

use leptos::serde_json::{json, Value};
use sqlx::{Any, FromRow, Transaction};

use super::audit::{append, Entry};
use super::{Db, StoreError};
use crate::domain::audit::{Action, Actor};

/// A campaign as stored.
#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct CampaignRow {
    pub id: i64,
    pub province_code: String,
    pub name: String,
    pub starts_on: i64,
    pub days: i64,
}

/// A campaign to create, with its city-wide targets (goal code, target).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCampaign {
    pub province_code: String,
    pub name: String,
    /// The first day, as Unix seconds at 00:00 UTC.
    pub starts_on: i64,
    pub days: i64,
    pub targets: Vec<(String, i64)>,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

/// New name, dates and city-wide targets for a campaign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CampaignChange<'a> {
    pub name: &'a str,
    /// The first day, as Unix seconds at 00:00 UTC.
    pub starts_on: i64,
    pub days: i64,
    pub targets: &'a [(String, i64)],
}

/// One unit's figures from outside hocso, as of a day.
#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct FiguresRow {
    pub unit_code: String,
    pub as_of: i64,
    pub households: Option<i64>,
    pub procedures_received: Option<i64>,
    pub procedures_online: Option<i64>,
}

/// Figures to record for a unit and day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFigures {
    pub campaign_id: i64,
    pub unit_code: String,
    pub as_of: i64,
    pub households: Option<i64>,
    pub procedures_received: Option<i64>,
    pub procedures_online: Option<i64>,
    pub entered_by: Option<i64>,
    pub entered_at: i64,
}

impl Db {
    /// The province's campaign: the one running today, else the next to start, else the last
    /// to have ended.
    pub async fn current_campaign(
        &self,
        province_code: &str,
        today_start: i64,
    ) -> Result<Option<CampaignRow>, StoreError> {
        let all: Vec<CampaignRow> = sqlx::query_as(
            "SELECT id, province_code, name, starts_on, days FROM campaigns \
             WHERE province_code = $1 ORDER BY starts_on, id",
        )
        .bind(province_code)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)?;
        let running = |c: &&CampaignRow| {
            c.starts_on <= today_start && today_start < c.starts_on + c.days * 86_400
        };
        if let Some(c) = all.iter().rev().find(running) {
            return Ok(Some(c.clone()));
        }
        if let Some(c) = all.iter().find(|c| c.starts_on > today_start) {
            return Ok(Some(c.clone()));
        }
        Ok(all.last().cloned())
    }

    pub async fn campaign(&self, id: i64) -> Result<Option<CampaignRow>, StoreError> {
        sqlx::query_as(
            "SELECT id, province_code, name, starts_on, days FROM campaigns WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    /// Creates a campaign with its city-wide targets, in one transaction.
    pub async fn create_campaign(&self, c: &NewCampaign, actor: &Actor) -> Result<i64, StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO campaigns (province_code, name, starts_on, days, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&c.province_code)
        .bind(&c.name)
        .bind(c.starts_on)
        .bind(c.days)
        .bind(c.created_by)
        .bind(c.created_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        write_targets(&mut tx, id, "city", &c.targets).await?;
        let after = json!({"name": c.name, "starts_on": c.starts_on, "days": c.days,
            "targets": targets_json(&c.targets)});
        let entry = Entry {
            action: Action::CampaignSettings,
            object: format!("campaign:{id}"),
            unit: None,
            before: None,
            after: Some(after),
        };
        append(&mut tx, actor, c.created_at, entry).await?;
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(id)
    }

    /// Changes a campaign's name, dates and city-wide targets, in one transaction.
    pub async fn update_campaign(
        &self,
        id: i64,
        change: CampaignChange<'_>,
        actor: &Actor,
        at: i64,
    ) -> Result<(), StoreError> {
        let CampaignChange {
            name,
            starts_on,
            days,
            targets,
        } = change;
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        let old: Option<(String, i64, i64)> =
            sqlx::query_as("SELECT name, starts_on, days FROM campaigns WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(StoreError::classify)?;
        let Some((old_name, old_start, old_days)) = old else {
            return Err(StoreError::NotFound);
        };
        let old_targets = scope_targets(&mut tx, id, "city").await?;
        let done =
            sqlx::query("UPDATE campaigns SET name = $1, starts_on = $2, days = $3 WHERE id = $4")
                .bind(name)
                .bind(starts_on)
                .bind(days)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::classify)?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        write_targets(&mut tx, id, "city", targets).await?;
        let entry = Entry {
            action: Action::CampaignSettings,
            object: format!("campaign:{id}"),
            unit: None,
            before: Some(
                json!({"name": old_name, "starts_on": old_start, "days": old_days,
                "targets": targets_json(&old_targets)}),
            ),
            after: Some(json!({"name": name, "starts_on": starts_on, "days": days,
                "targets": targets_json(targets)})),
        };
        append(&mut tx, actor, at, entry).await?;
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(())
    }

    /// Replaces one unit's own targets (an empty list: the unit follows the city's).
    pub async fn set_unit_targets(
        &self,
        campaign_id: i64,
        unit_code: &str,
        targets: &[(String, i64)],
        actor: &Actor,
        at: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        let old = scope_targets(&mut tx, campaign_id, unit_code).await?;
        write_targets(&mut tx, campaign_id, unit_code, targets).await?;
        let entry = Entry {
            action: Action::UnitTargets,
            object: format!("campaign:{campaign_id}"),
            unit: Some(unit_code),
            before: Some(targets_json(&old)),
            after: Some(targets_json(targets)),
        };
        append(&mut tx, actor, at, entry).await?;
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(())
    }

    /// Every target of a campaign: (scope, goal code, target).
    pub async fn targets(
        &self,
        campaign_id: i64,
    ) -> Result<Vec<(String, String, i64)>, StoreError> {
        sqlx::query_as(
            "SELECT scope, metric, target FROM campaign_targets WHERE campaign_id = $1 \
             ORDER BY scope, metric",
        )
        .bind(campaign_id)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    /// Records figures for a unit and day (a second entry for the same day replaces it).
    pub async fn set_figures(&self, f: &NewFigures, actor: &Actor) -> Result<(), StoreError> {
        self.set_many_figures(std::slice::from_ref(f), actor).await
    }

    /// Records many units' figures in one transaction (an import: all or nothing).
    pub async fn set_many_figures(
        &self,
        all: &[NewFigures],
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        for f in all {
            let old: Option<FiguresRow> = sqlx::query_as(
                "SELECT unit_code, as_of, households, procedures_received, procedures_online \
                 FROM unit_figures WHERE campaign_id = $1 AND unit_code = $2 AND as_of = $3",
            )
            .bind(f.campaign_id)
            .bind(&f.unit_code)
            .bind(f.as_of)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::classify)?;
            sqlx::query(
                "INSERT INTO unit_figures (campaign_id, unit_code, as_of, households, \
                 procedures_received, procedures_online, entered_by, entered_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (campaign_id, unit_code, as_of) DO UPDATE SET \
                 households = excluded.households, procedures_received = excluded.procedures_received, \
                 procedures_online = excluded.procedures_online, entered_by = excluded.entered_by, \
                 entered_at = excluded.entered_at",
            )
            .bind(f.campaign_id)
            .bind(&f.unit_code)
            .bind(f.as_of)
            .bind(f.households)
            .bind(f.procedures_received)
            .bind(f.procedures_online)
            .bind(f.entered_by)
            .bind(f.entered_at)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::classify)?;
            let figures = |households, received, online| {
                json!({"as_of": f.as_of, "households": households,
                    "procedures_received": received, "procedures_online": online})
            };
            let entry = Entry {
                action: Action::Figures,
                object: format!("campaign:{}", f.campaign_id),
                unit: Some(&f.unit_code),
                before: old
                    .map(|o| figures(o.households, o.procedures_received, o.procedures_online)),
                after: Some(figures(
                    f.households,
                    f.procedures_received,
                    f.procedures_online,
                )),
            };
            append(&mut tx, actor, f.entered_at, entry).await?;
        }
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(())
    }

    /// Every figure entered for a campaign, oldest first (optionally for one unit).
    pub async fn figures(
        &self,
        campaign_id: i64,
        unit_code: Option<&str>,
    ) -> Result<Vec<FiguresRow>, StoreError> {
        sqlx::query_as(
            "SELECT unit_code, as_of, households, procedures_received, procedures_online \
             FROM unit_figures WHERE campaign_id = $1 \
             AND (CAST($2 AS TEXT) IS NULL OR unit_code = $2) ORDER BY as_of, unit_code",
        )
        .bind(campaign_id)
        .bind(unit_code)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }
}

async fn write_targets(
    tx: &mut Transaction<'static, Any>,
    campaign_id: i64,
    scope: &str,
    targets: &[(String, i64)],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM campaign_targets WHERE campaign_id = $1 AND scope = $2")
        .bind(campaign_id)
        .bind(scope)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::classify)?;
    for (goal, target) in targets {
        sqlx::query(
            "INSERT INTO campaign_targets (campaign_id, scope, metric, target) VALUES ($1, $2, $3, $4)",
        )
        .bind(campaign_id)
        .bind(scope)
        .bind(goal)
        .bind(target)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::classify)?;
    }
    Ok(())
}

/// A scope's targets as they are now (goal code, target).
async fn scope_targets(
    tx: &mut Transaction<'static, Any>,
    campaign_id: i64,
    scope: &str,
) -> Result<Vec<(String, i64)>, StoreError> {
    sqlx::query_as(
        "SELECT metric, target FROM campaign_targets WHERE campaign_id = $1 AND scope = $2 \
         ORDER BY metric",
    )
    .bind(campaign_id)
    .bind(scope)
    .fetch_all(&mut **tx)
    .await
    .map_err(StoreError::classify)
}

/// Targets as the log shows them: `{"goal": target, …}`.
fn targets_json(targets: &[(String, i64)]) -> Value {
    Value::Object(
        targets
            .iter()
            .map(|(goal, target)| (goal.clone(), json!(target)))
            .collect(),
    )
}
