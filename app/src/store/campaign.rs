//! Campaigns, their targets, and the figures units report from outside hocso.

use sqlx::{Any, FromRow, Transaction};

use super::{Db, StoreError};

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
    pub async fn create_campaign(&self, c: &NewCampaign) -> Result<i64, StoreError> {
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
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(id)
    }

    /// Changes a campaign's name, dates and city-wide targets, in one transaction.
    pub async fn update_campaign(
        &self,
        id: i64,
        name: &str,
        starts_on: i64,
        days: i64,
        targets: &[(String, i64)],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
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
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(())
    }

    /// Replaces one unit's own targets (an empty list: the unit follows the city's).
    pub async fn set_unit_targets(
        &self,
        campaign_id: i64,
        unit_code: &str,
        targets: &[(String, i64)],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        write_targets(&mut tx, campaign_id, unit_code, targets).await?;
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
    pub async fn set_figures(&self, f: &NewFigures) -> Result<(), StoreError> {
        self.set_many_figures(std::slice::from_ref(f)).await
    }

    /// Records many units' figures in one transaction (an import: all or nothing).
    pub async fn set_many_figures(&self, all: &[NewFigures]) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        for f in all {
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
