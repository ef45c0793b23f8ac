//! The campaign's records: campaigns, their targets and outside figures, deployments, assisted
//! sessions and households, and the rollups (`stats`, `stats_daily`) the dashboards read.
//!
//! Rollups are moved in the transaction of the change they count ([`bump`]), so a dashboard
//! never reads a count that disagrees with the records. [`Db::naive_rollups`] counts the same
//! from the records themselves: it rebuilds the rollups once (the first start after the
//! migration, a seeded city) and is what tests and benchmarks compare against.

use std::collections::{BTreeMap, HashMap};

use sqlx::{Any, FromRow, Transaction};

use super::{Db, StoreError};
use crate::domain::campaign::{Metric, Outcome, Shift};
use crate::domain::vn::vn_day;
use crate::domain::Cohort;

/// The scope of a province's rollups ("p:01").
pub fn province_scope(province_code: &str) -> String {
    format!("p:{province_code}")
}

/// Moves one rollup of one scope by `delta`, now and in the day's history.
pub(super) async fn bump_scope(
    tx: &mut Transaction<'static, Any>,
    scope: &str,
    metric: Metric,
    delta: i64,
    at: i64,
) -> Result<(), StoreError> {
    if delta == 0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO stats (scope, metric, value) VALUES ($1, $2, $3) \
         ON CONFLICT (scope, metric) DO UPDATE SET value = stats.value + excluded.value",
    )
    .bind(scope)
    .bind(metric.as_str())
    .bind(delta)
    .execute(&mut **tx)
    .await
    .map_err(StoreError::classify)?;
    sqlx::query(
        "INSERT INTO stats_daily (scope, day, metric, delta) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (scope, day, metric) DO UPDATE SET delta = stats_daily.delta + excluded.delta",
    )
    .bind(scope)
    .bind(vn_day(at))
    .bind(metric.as_str())
    .bind(delta)
    .execute(&mut **tx)
    .await
    .map_err(StoreError::classify)?;
    Ok(())
}

async fn province_of(
    tx: &mut Transaction<'static, Any>,
    unit_code: &str,
) -> Result<String, StoreError> {
    let (province,): (String,) = sqlx::query_as("SELECT province_code FROM units WHERE code = $1")
        .bind(unit_code)
        .fetch_one(&mut **tx)
        .await
        .map_err(StoreError::classify)?;
    Ok(province)
}

/// Moves additive rollups of a unit and of its province by the same deltas.
pub(super) async fn bump(
    tx: &mut Transaction<'static, Any>,
    unit_code: &str,
    changes: &[(Metric, i64)],
    at: i64,
) -> Result<(), StoreError> {
    if changes.iter().all(|(_, d)| *d == 0) {
        return Ok(());
    }
    let province = province_scope(&province_of(tx, unit_code).await?);
    for &(metric, delta) in changes {
        bump_scope(tx, unit_code, metric, delta, at).await?;
        bump_scope(tx, &province, metric, delta, at).await?;
    }
    Ok(())
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
const PROFICIENT_MEMBER: &str = "SELECT 1 FROM assists x WHERE (x.independent_at IS NOT NULL \
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

/// A rollup value: (scope, metric code, value).
pub type StatRow = (String, String, i64);

/// The records counted per unit and Việt Nam day: (unit, day, metric, count).
pub type DailyCount = (String, i64, Metric, i64);

impl Db {
    // ---- Rollups ----

    /// The rollups of one scope (a unit code or a province scope).
    pub async fn stats_of(&self, scope: &str) -> Result<HashMap<Metric, i64>, StoreError> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT metric, value FROM stats WHERE scope = $1")
                .bind(scope)
                .fetch_all(self.pool())
                .await
                .map_err(StoreError::classify)?;
        Ok(rows
            .into_iter()
            .filter_map(|(m, v)| Some((Metric::parse(&m)?, v)))
            .collect())
    }

    /// The rollups of every unit of a province: unit code → metric → value.
    pub async fn unit_stats(
        &self,
        province_code: &str,
    ) -> Result<HashMap<String, HashMap<Metric, i64>>, StoreError> {
        let rows: Vec<StatRow> = sqlx::query_as(
            "SELECT s.scope, s.metric, s.value FROM stats s JOIN units u ON u.code = s.scope \
             WHERE u.province_code = $1",
        )
        .bind(province_code)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)?;
        let mut out: HashMap<String, HashMap<Metric, i64>> = HashMap::new();
        for (scope, metric, value) in rows {
            if let Some(m) = Metric::parse(&metric) {
                out.entry(scope).or_default().insert(m, value);
            }
        }
        Ok(out)
    }

    /// A scope's history from `first_day` on: the value of each metric at the end of each day
    /// (days with no change carry the day before). `days` entries per metric.
    pub async fn history(
        &self,
        scope: &str,
        first_day: i64,
        days: i64,
    ) -> Result<BTreeMap<Metric, Vec<i64>>, StoreError> {
        let last_day = first_day + days - 1;
        let opening: Vec<(String, i64)> = sqlx::query_as(
            "SELECT metric, CAST(SUM(delta) AS BIGINT) FROM stats_daily \
             WHERE scope = $1 AND day < $2 GROUP BY metric",
        )
        .bind(scope)
        .bind(first_day)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)?;
        let changes: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT day, metric, delta FROM stats_daily \
             WHERE scope = $1 AND day >= $2 AND day <= $3",
        )
        .bind(scope)
        .bind(first_day)
        .bind(last_day)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)?;
        let len = usize::try_from(days.max(0)).unwrap_or(0);
        let mut deltas: BTreeMap<Metric, Vec<i64>> = BTreeMap::new();
        for (metric, sum) in opening {
            if let Some(m) = Metric::parse(&metric) {
                deltas.entry(m).or_insert_with(|| vec![0; len])[0] += sum;
            }
        }
        for (day, metric, delta) in changes {
            if let (Some(m), Ok(i)) = (Metric::parse(&metric), usize::try_from(day - first_day)) {
                if let Some(slot) = deltas.entry(m).or_insert_with(|| vec![0; len]).get_mut(i) {
                    *slot += delta;
                }
            }
        }
        for series in deltas.values_mut() {
            for i in 1..series.len() {
                series[i] += series[i - 1];
            }
        }
        Ok(deltas)
    }

    /// Each unit's rollups as they stood before `day` (its history's opening values).
    pub async fn unit_openings(
        &self,
        province_code: &str,
        day: i64,
    ) -> Result<HashMap<String, HashMap<Metric, i64>>, StoreError> {
        let rows: Vec<StatRow> = sqlx::query_as(
            "SELECT d.scope, d.metric, CAST(SUM(d.delta) AS BIGINT) FROM stats_daily d \
             JOIN units u ON u.code = d.scope WHERE u.province_code = $1 AND d.day < $2 \
             GROUP BY d.scope, d.metric",
        )
        .bind(province_code)
        .bind(day)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)?;
        let mut out: HashMap<String, HashMap<Metric, i64>> = HashMap::new();
        for (scope, metric, value) in rows {
            if let Some(m) = Metric::parse(&metric) {
                out.entry(scope).or_default().insert(m, value);
            }
        }
        Ok(out)
    }

    /// [`Db::unit_openings`] for a campaign's first day, kept once the campaign has begun
    /// (the days before it never change after that).
    pub async fn campaign_openings(
        &self,
        campaign_id: i64,
        province_code: &str,
        first_day: i64,
        today: i64,
    ) -> Result<HashMap<String, HashMap<Metric, i64>>, StoreError> {
        if today < first_day {
            return self.unit_openings(province_code, first_day).await;
        }
        let kept: Option<(String,)> = sqlx::query_as(
            "SELECT snapshot FROM campaign_openings WHERE campaign_id = $1 AND first_day = $2",
        )
        .bind(campaign_id)
        .bind(first_day)
        .fetch_optional(self.pool())
        .await
        .map_err(StoreError::classify)?;
        if let Some(openings) = kept.and_then(|(json,)| {
            leptos::serde_json::from_str::<HashMap<String, HashMap<String, i64>>>(&json).ok()
        }) {
            return Ok(openings
                .into_iter()
                .map(|(scope, values)| {
                    let values = values
                        .into_iter()
                        .filter_map(|(m, v)| Some((Metric::parse(&m)?, v)))
                        .collect();
                    (scope, values)
                })
                .collect());
        }
        let openings = self.unit_openings(province_code, first_day).await?;
        let plain: HashMap<&str, HashMap<&str, i64>> = openings
            .iter()
            .map(|(scope, values)| {
                (
                    scope.as_str(),
                    values.iter().map(|(m, v)| (m.as_str(), *v)).collect(),
                )
            })
            .collect();
        if let Ok(json) = leptos::serde_json::to_string(&plain) {
            sqlx::query(
                "INSERT INTO campaign_openings (campaign_id, first_day, snapshot) VALUES ($1, $2, $3) \
                 ON CONFLICT (campaign_id, first_day) DO NOTHING",
            )
            .bind(campaign_id)
            .bind(first_day)
            .bind(json)
            .execute(self.pool())
            .await
            .map_err(StoreError::classify)?;
        }
        Ok(openings)
    }

    /// A province's name.
    pub async fn province(&self, code: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as("SELECT name FROM provinces WHERE code = $1")
            .bind(code)
            .fetch_optional(self.pool())
            .await
            .map_err(StoreError::classify)?;
        Ok(row.map(|(n,)| n))
    }

    /// The province a unit belongs to.
    pub async fn unit_province(&self, unit_code: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT province_code FROM units WHERE code = $1")
                .bind(unit_code)
                .fetch_optional(self.pool())
                .await
                .map_err(StoreError::classify)?;
        Ok(row.map(|(p,)| p))
    }

    /// Adds or renames provinces and units (an import of the national catalogue), in one
    /// transaction. Returns (units added, units changed).
    pub async fn upsert_units(
        &self,
        provinces: &[(String, String)],
        units: &[(String, String, String, String)],
    ) -> Result<(usize, usize), StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        for (code, name) in provinces {
            sqlx::query(
                "INSERT INTO provinces (code, name) VALUES ($1, $2) \
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name",
            )
            .bind(code)
            .bind(name)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::classify)?;
        }
        let mut added = 0;
        let mut changed = 0;
        for (code, name, division, province) in units {
            let old: Option<(String, String, String)> = sqlx::query_as(
                "SELECT name, division_type, province_code FROM units WHERE code = $1",
            )
            .bind(code)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::classify)?;
            match old {
                None => {
                    sqlx::query(
                        "INSERT INTO units (code, name, division_type, province_code) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(code)
                    .bind(name)
                    .bind(division)
                    .bind(province)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::classify)?;
                    added += 1;
                }
                Some(o) if o != (name.clone(), division.clone(), province.clone()) => {
                    sqlx::query(
                        "UPDATE units SET name = $1, division_type = $2, province_code = $3 \
                         WHERE code = $4",
                    )
                    .bind(name)
                    .bind(division)
                    .bind(province)
                    .bind(code)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::classify)?;
                    changed += 1;
                }
                Some(_) => {}
            }
        }
        tx.commit().await.map_err(StoreError::classify)?;
        Ok((added, changed))
    }

    /// Whether the rollups were built from the records.
    pub async fn rollups_built(&self) -> Result<bool, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT built FROM rollup_meta WHERE id = 1")
            .fetch_optional(self.pool())
            .await
            .map_err(StoreError::classify)?;
        Ok(row.is_some())
    }

    /// Counts what the rollups count, from the records, per unit and day of the change (the
    /// naive aggregate: what the dashboards would cost without rollups). "Trained" means a
    /// piece of evidence scoring at least `min_percent`; households whose proficiency has no
    /// date of its own count on `today`.
    pub async fn naive_daily(
        &self,
        min_percent: i64,
        today: i64,
    ) -> Result<Vec<DailyCount>, StoreError> {
        let day = |col: &str| format!("(({col} + 25200) / 86400)");
        let cohort_metric = |prefix: &str, cohort: &str| -> Option<Metric> {
            let c = Cohort::parse(cohort)?;
            Some(match prefix {
                "members" => Metric::Members(c),
                "trained" => Metric::Trained(c),
                _ => Metric::Meeting(c),
            })
        };
        let mut out: Vec<DailyCount> = Vec::new();
        // Members, trained and meeting: per unit, cohort and day.
        let queries = [
            (
                "members",
                format!(
                    "SELECT a.unit_code, a.cohort, {d} AS d, COUNT(*) FROM accounts a \
                     WHERE a.role = 'learner' AND a.unit_code IS NOT NULL AND a.cohort IS NOT NULL \
                     GROUP BY a.unit_code, a.cohort, {d}",
                    d = day("a.created_at")
                ),
            ),
            (
                "trained",
                format!(
                    "SELECT s.unit_code, s.cohort, {d} AS d, COUNT(*) FROM standings s \
                     JOIN (SELECT account_id, MIN(earned_at) AS first FROM evidence \
                     WHERE percent >= $1 GROUP BY account_id) e ON e.account_id = s.account_id \
                     GROUP BY s.unit_code, s.cohort, {d}",
                    d = day("e.first")
                ),
            ),
            (
                "meeting",
                format!(
                    "SELECT s.unit_code, s.cohort, {d} AS d, COUNT(*) FROM standings s \
                     WHERE s.meets = 1 GROUP BY s.unit_code, s.cohort, {d}",
                    d = day("COALESCE(s.meets_since, s.updated_at)")
                ),
            ),
        ];
        for (prefix, sql) in queries {
            let mut q = sqlx::query_as::<_, (String, String, i64, i64)>(&sql);
            if prefix == "trained" {
                q = q.bind(min_percent);
            }
            for (unit, cohort, d, n) in q
                .fetch_all(self.pool())
                .await
                .map_err(StoreError::classify)?
            {
                if let Some(m) = cohort_metric(prefix, &cohort) {
                    out.push((unit, d, m, n));
                }
            }
        }
        // Volunteers deployed to a unit: counted on their first shift there.
        let sql = format!(
            "SELECT unit_code, {d} AS d, COUNT(*) FROM (SELECT unit_code, volunteer_id, \
             MIN(assigned_at) AS first FROM deployments WHERE cancelled_at IS NULL \
             GROUP BY unit_code, volunteer_id) f GROUP BY unit_code, {d}",
            d = day("f.first")
        );
        for (unit, d, n) in sqlx::query_as::<_, (String, i64, i64)>(&sql)
            .fetch_all(self.pool())
            .await
            .map_err(StoreError::classify)?
        {
            out.push((unit, d, Metric::Deployed, n));
        }
        // Households seen, and those with a proficient member.
        let sql = format!(
            "SELECT unit_code, {d} AS d, COUNT(*) FROM households GROUP BY unit_code, {d}",
            d = day("first_seen")
        );
        for (unit, d, n) in sqlx::query_as::<_, (String, i64, i64)>(&sql)
            .fetch_all(self.pool())
            .await
            .map_err(StoreError::classify)?
        {
            out.push((unit, d, Metric::HouseholdsSeen, n));
        }
        let sql = format!(
            "SELECT h.unit_code, COUNT(*) FROM households h WHERE EXISTS ({PROFICIENT_MEMBER} \
             AND x.unit_code = h.unit_code AND x.household = h.household_key) GROUP BY h.unit_code"
        );
        for (unit, n) in sqlx::query_as::<_, (String, i64)>(&sql)
            .fetch_all(self.pool())
            .await
            .map_err(StoreError::classify)?
        {
            out.push((unit, today, Metric::HouseholdsProficient, n));
        }
        // Assisted sessions.
        let sql = format!(
            "SELECT unit_code, outcome, {d} AS d, COUNT(*), CAST(SUM(minutes) AS BIGINT) \
             FROM assists GROUP BY unit_code, outcome, {d}",
            d = day("at")
        );
        for (unit, outcome, d, n, minutes) in
            sqlx::query_as::<_, (String, String, i64, i64, i64)>(&sql)
                .fetch_all(self.pool())
                .await
                .map_err(StoreError::classify)?
        {
            out.push((unit.clone(), d, Metric::Assists, n));
            out.push((unit.clone(), d, Metric::AssistMinutes, minutes));
            if let Some(o) = Outcome::parse(&outcome) {
                out.push((unit, d, o.metric(), n));
            }
        }
        let sql = format!(
            "SELECT unit_code, {d} AS d, COUNT(*) FROM assists WHERE independent_at IS NOT NULL \
             GROUP BY unit_code, {d}",
            d = day("independent_at")
        );
        for (unit, d, n) in sqlx::query_as::<_, (String, i64, i64)>(&sql)
            .fetch_all(self.pool())
            .await
            .map_err(StoreError::classify)?
        {
            out.push((unit, d, Metric::AssistsIndependent, n));
        }
        Ok(out)
    }

    /// Volunteers deployed anywhere in each province, by the day of their first shift:
    /// (province scope, day, count).
    pub async fn naive_deployed_by_province(&self) -> Result<Vec<(String, i64, i64)>, StoreError> {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT province_code, ((first + 25200) / 86400) AS d, COUNT(*) FROM \
             (SELECT u.province_code, d.volunteer_id, MIN(d.assigned_at) AS first \
              FROM deployments d JOIN units u ON u.code = d.unit_code \
              WHERE d.cancelled_at IS NULL GROUP BY u.province_code, d.volunteer_id) f \
             GROUP BY province_code, ((first + 25200) / 86400)",
        )
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)?;
        Ok(rows
            .into_iter()
            .map(|(p, d, n)| (province_scope(&p), d, n))
            .collect())
    }

    /// The naive aggregate by scope (units and provinces), day and metric.
    pub async fn naive_rollups(
        &self,
        min_percent: i64,
        today: i64,
    ) -> Result<BTreeMap<(String, i64, Metric), i64>, StoreError> {
        let provinces: HashMap<String, String> =
            sqlx::query_as::<_, (String, String)>("SELECT code, province_code FROM units")
                .fetch_all(self.pool())
                .await
                .map_err(StoreError::classify)?
                .into_iter()
                .collect();
        let mut out: BTreeMap<(String, i64, Metric), i64> = BTreeMap::new();
        for (unit, d, metric, n) in self.naive_daily(min_percent, today).await? {
            if metric != Metric::Deployed {
                if let Some(p) = provinces.get(&unit) {
                    *out.entry((province_scope(p), d, metric)).or_default() += n;
                }
            }
            *out.entry((unit, d, metric)).or_default() += n;
        }
        for (scope, d, n) in self.naive_deployed_by_province().await? {
            *out.entry((scope, d, Metric::Deployed)).or_default() += n;
        }
        out.retain(|_, v| *v != 0);
        Ok(out)
    }

    /// Replaces the rollups with the naive aggregate, in one transaction, and records that
    /// they are built.
    pub async fn rebuild_rollups(&self, min_percent: i64, at: i64) -> Result<usize, StoreError> {
        let daily = self.naive_rollups(min_percent, vn_day(at)).await?;
        let mut totals: BTreeMap<(&str, Metric), i64> = BTreeMap::new();
        for ((scope, _, metric), n) in &daily {
            *totals.entry((scope.as_str(), *metric)).or_default() += n;
        }
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        for table in ["stats", "stats_daily", "campaign_openings"] {
            sqlx::query(&format!("DELETE FROM {table}"))
                .execute(&mut *tx)
                .await
                .map_err(StoreError::classify)?;
        }
        // Many rows per statement: a seeded city has tens of thousands.
        let daily_rows: Vec<_> = daily.iter().collect();
        for chunk in daily_rows.chunks(200) {
            let mut sql =
                String::from("INSERT INTO stats_daily (scope, day, metric, delta) VALUES ");
            for i in 0..chunk.len() {
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${})",
                    4 * i + 1,
                    4 * i + 2,
                    4 * i + 3,
                    4 * i + 4
                ));
            }
            let mut q = sqlx::query(&sql);
            for ((scope, d, metric), n) in chunk {
                q = q
                    .bind(scope.as_str())
                    .bind(*d)
                    .bind(metric.as_str())
                    .bind(**n);
            }
            q.execute(&mut *tx).await.map_err(StoreError::classify)?;
        }
        let total_rows: Vec<_> = totals.iter().collect();
        for chunk in total_rows.chunks(300) {
            let mut sql = String::from("INSERT INTO stats (scope, metric, value) VALUES ");
            for i in 0..chunk.len() {
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3));
            }
            let mut q = sqlx::query(&sql);
            for ((scope, metric), n) in chunk {
                q = q.bind(*scope).bind(metric.as_str()).bind(**n);
            }
            q.execute(&mut *tx).await.map_err(StoreError::classify)?;
        }
        sqlx::query(
            "INSERT INTO rollup_meta (id, built) VALUES (1, $1) \
             ON CONFLICT (id) DO UPDATE SET built = excluded.built",
        )
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(totals.len())
    }

    /// Every rollup value: (scope, metric) → value (zeros left out).
    pub async fn all_stats(&self) -> Result<BTreeMap<(String, Metric), i64>, StoreError> {
        let rows: Vec<StatRow> = sqlx::query_as("SELECT scope, metric, value FROM stats")
            .fetch_all(self.pool())
            .await
            .map_err(StoreError::classify)?;
        Ok(rows
            .into_iter()
            .filter(|(_, _, v)| *v != 0)
            .filter_map(|(s, m, v)| Some(((s, Metric::parse(&m)?), v)))
            .collect())
    }

    /// Every day's change summed per scope and metric (must equal [`Db::all_stats`]).
    pub async fn all_daily_sums(&self) -> Result<BTreeMap<(String, Metric), i64>, StoreError> {
        let rows: Vec<StatRow> = sqlx::query_as(
            "SELECT scope, metric, CAST(SUM(delta) AS BIGINT) FROM stats_daily GROUP BY scope, metric",
        )
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)?;
        Ok(rows
            .into_iter()
            .filter(|(_, _, v)| *v != 0)
            .filter_map(|(s, m, v)| Some(((s, Metric::parse(&m)?), v)))
            .collect())
    }

    // ---- Campaigns, targets, figures ----

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
    pub async fn targets(&self, campaign_id: i64) -> Result<Vec<StatRow>, StoreError> {
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

    // ---- Deployments ----

    /// Sends a volunteer to a unit for a shift. [`StoreError::Busy`] when they already have a
    /// place in that shift.
    pub async fn deploy(
        &self,
        volunteer_id: i64,
        unit_code: &str,
        day: i64,
        shift: Shift,
        by: i64,
        at: i64,
    ) -> Result<i64, StoreError> {
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
        .bind(by)
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
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(id)
    }

    /// Cancels a shift that has no sessions logged. Returns false when there was no such
    /// active shift (or sessions were logged on it).
    pub async fn cancel_deployment(&self, id: i64, at: i64) -> Result<bool, StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT volunteer_id, unit_code FROM deployments d WHERE id = $1 \
             AND cancelled_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM assists x WHERE x.deployment_id = d.id)",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        let Some((volunteer_id, unit_code)) = row else {
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
