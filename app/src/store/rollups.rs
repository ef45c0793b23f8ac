//! The rollups the dashboards read: `stats` (per unit and per province) and `stats_daily`
//! (the same changes per Việt Nam day, the burn-up's history).
//!
//! Rollups are moved in the transaction of the change they count ([`bump`]), so a dashboard
//! never reads a count that disagrees with the records. [`Db::naive_rollups`] counts the same
//! from the records themselves: it rebuilds the rollups once (the first start after the
//! migration, a seeded city) and is what tests and benchmarks compare against.

use std::collections::{BTreeMap, HashMap};

use sqlx::{Any, Transaction};

use super::{Db, StoreError};
use crate::domain::campaign::{Metric, Outcome};
use crate::domain::vn::vn_day;
use crate::domain::Cohort;

use super::deploy::PROFICIENT_MEMBER;

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

pub(super) async fn province_of(
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

/// A rollup value: (scope, metric code, value).
pub type StatRow = (String, String, i64);

/// Rollup values by scope, then metric (codes no longer known are left out).
fn by_scope(rows: Vec<StatRow>) -> HashMap<String, HashMap<Metric, i64>> {
    let mut out: HashMap<String, HashMap<Metric, i64>> = HashMap::new();
    for (scope, metric, value) in rows {
        if let Some(m) = Metric::parse(&metric) {
            out.entry(scope).or_default().insert(m, value);
        }
    }
    out
}

/// The Việt Nam calendar day (days since 1970-01-01) of a Unix-seconds column, in SQL both
/// databases read the same way (integer division).
fn sql_vn_day(column: &str) -> String {
    format!("(({column} + 25200) / 86400)")
}

/// A per-cohort count of the naive aggregate: its metric, its query, and whether the query
/// reads `min_percent`.
type CohortCount = (fn(Cohort) -> Metric, String, bool);

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
        Ok(by_scope(rows))
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
    async fn unit_opening_rows(
        &self,
        province_code: &str,
        day: i64,
    ) -> Result<Vec<StatRow>, StoreError> {
        sqlx::query_as(
            "SELECT d.scope, d.metric, CAST(SUM(d.delta) AS BIGINT) FROM stats_daily d \
             JOIN units u ON u.code = d.scope WHERE u.province_code = $1 AND d.day < $2 \
             GROUP BY d.scope, d.metric",
        )
        .bind(province_code)
        .bind(day)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    /// Each unit's rollups as they stood before a campaign's first day (where its target lines
    /// start), kept once the campaign has begun: the days before it never change after that.
    pub async fn campaign_openings(
        &self,
        campaign_id: i64,
        province_code: &str,
        first_day: i64,
        today: i64,
    ) -> Result<HashMap<String, HashMap<Metric, i64>>, StoreError> {
        if today < first_day {
            return Ok(by_scope(
                self.unit_opening_rows(province_code, first_day).await?,
            ));
        }
        let kept: Option<(String,)> = sqlx::query_as(
            "SELECT snapshot FROM campaign_openings WHERE campaign_id = $1 AND first_day = $2",
        )
        .bind(campaign_id)
        .bind(first_day)
        .fetch_optional(self.pool())
        .await
        .map_err(StoreError::classify)?;
        if let Some(rows) =
            kept.and_then(|(json,)| leptos::serde_json::from_str::<Vec<StatRow>>(&json).ok())
        {
            return Ok(by_scope(rows));
        }
        let rows = self.unit_opening_rows(province_code, first_day).await?;
        if let Ok(json) = leptos::serde_json::to_string(&rows) {
            sqlx::query(
                "INSERT INTO campaign_openings (campaign_id, first_day, snapshot) VALUES ($1, $2, $3) \
                 ON CONFLICT (campaign_id, first_day) DO UPDATE SET snapshot = excluded.snapshot",
            )
            .bind(campaign_id)
            .bind(first_day)
            .bind(json)
            .execute(self.pool())
            .await
            .map_err(StoreError::classify)?;
        }
        Ok(by_scope(rows))
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
        let mut out: Vec<DailyCount> = Vec::new();
        // Members, trained and meeting: per unit, cohort and day.
        // (metric, query, whether it reads `min_percent`)
        let per_cohort: [CohortCount; 3] = [
            (
                Metric::Members,
                format!(
                    "SELECT a.unit_code, a.cohort, {d} AS d, COUNT(*) FROM accounts a \
                     WHERE a.role = 'learner' AND a.unit_code IS NOT NULL AND a.cohort IS NOT NULL \
                     GROUP BY a.unit_code, a.cohort, {d}",
                    d = sql_vn_day("a.created_at")
                ),
                false,
            ),
            (
                Metric::Trained,
                format!(
                    "SELECT s.unit_code, s.cohort, {d} AS d, COUNT(*) FROM standings s \
                     JOIN (SELECT account_id, MIN(earned_at) AS first FROM evidence \
                     WHERE percent >= $1 GROUP BY account_id) e ON e.account_id = s.account_id \
                     GROUP BY s.unit_code, s.cohort, {d}",
                    d = sql_vn_day("e.first")
                ),
                true,
            ),
            (
                Metric::Meeting,
                format!(
                    "SELECT s.unit_code, s.cohort, {d} AS d, COUNT(*) FROM standings s \
                     WHERE s.meets = 1 GROUP BY s.unit_code, s.cohort, {d}",
                    d = sql_vn_day("COALESCE(s.meets_since, s.updated_at)")
                ),
                false,
            ),
        ];
        for (metric, sql, reads_percent) in per_cohort {
            let mut q = sqlx::query_as::<_, (String, String, i64, i64)>(&sql);
            if reads_percent {
                q = q.bind(min_percent);
            }
            let rows = q
                .fetch_all(self.pool())
                .await
                .map_err(StoreError::classify)?;
            for (unit, cohort, d, n) in rows {
                if let Some(c) = Cohort::parse(&cohort) {
                    out.push((unit, d, metric(c), n));
                }
            }
        }
        // Per unit and day: volunteers deployed there (on their first shift), households seen,
        // sessions turned independent.
        let per_unit = [
            (
                Metric::Deployed,
                format!(
                    "SELECT unit_code, {d} AS d, COUNT(*) FROM (SELECT unit_code, volunteer_id, \
                     MIN(assigned_at) AS first FROM deployments WHERE cancelled_at IS NULL \
                     GROUP BY unit_code, volunteer_id) f GROUP BY unit_code, {d}",
                    d = sql_vn_day("f.first")
                ),
            ),
            (
                Metric::HouseholdsSeen,
                format!(
                    "SELECT unit_code, {d} AS d, COUNT(*) FROM households GROUP BY unit_code, {d}",
                    d = sql_vn_day("first_seen")
                ),
            ),
            (
                Metric::AssistsIndependent,
                format!(
                    "SELECT unit_code, {d} AS d, COUNT(*) FROM assists \
                     WHERE independent_at IS NOT NULL GROUP BY unit_code, {d}",
                    d = sql_vn_day("independent_at")
                ),
            ),
            (
                Metric::HouseholdsProficient,
                format!(
                    "SELECT h.unit_code, CAST($1 AS BIGINT) AS d, COUNT(*) FROM households h \
                     WHERE EXISTS ({PROFICIENT_MEMBER} AND x.unit_code = h.unit_code \
                     AND x.household = h.household_key) GROUP BY h.unit_code"
                ),
            ),
        ];
        for (metric, sql) in per_unit {
            let mut q = sqlx::query_as::<_, (String, i64, i64)>(&sql);
            if metric == Metric::HouseholdsProficient {
                q = q.bind(today);
            }
            for (unit, d, n) in q
                .fetch_all(self.pool())
                .await
                .map_err(StoreError::classify)?
            {
                out.push((unit, d, metric, n));
            }
        }
        // Assisted sessions, by outcome, and their minutes.
        let sql = format!(
            "SELECT unit_code, outcome, {d} AS d, COUNT(*), CAST(SUM(minutes) AS BIGINT) \
             FROM assists GROUP BY unit_code, outcome, {d}",
            d = sql_vn_day("at")
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
        Ok(out)
    }

    /// Volunteers deployed anywhere in each province, by the day of their first shift:
    /// (province scope, day, count).
    pub async fn naive_deployed_by_province(&self) -> Result<Vec<(String, i64, i64)>, StoreError> {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(&format!(
            "SELECT province_code, {d} AS d, COUNT(*) FROM \
             (SELECT u.province_code, d.volunteer_id, MIN(d.assigned_at) AS first \
              FROM deployments d JOIN units u ON u.code = d.unit_code \
              WHERE d.cancelled_at IS NULL GROUP BY u.province_code, d.volunteer_id) f \
             GROUP BY province_code, {d}",
            d = sql_vn_day("first")
        ))
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
}
