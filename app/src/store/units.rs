//! The unit catalogue: provinces and their communes and wards, and imports of other
//! provinces' units.

use super::{Db, StoreError};

/// An administrative unit (commune, ward or special zone).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct UnitRow {
    pub code: String,
    pub name: String,
    pub division_type: String,
    pub province_code: String,
}

impl Db {
    /// Every unit of a province, in the order of their official codes (the same order on
    /// both databases, whatever their collation).
    pub async fn units(&self, province_code: &str) -> Result<Vec<UnitRow>, StoreError> {
        sqlx::query_as::<_, UnitRow>(
            "SELECT code, name, division_type, province_code FROM units WHERE province_code = $1 \
             ORDER BY code",
        )
        .bind(province_code)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    pub async fn unit(&self, code: &str) -> Result<Option<UnitRow>, StoreError> {
        sqlx::query_as::<_, UnitRow>(
            "SELECT code, name, division_type, province_code FROM units WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    /// The province a unit belongs to.
    pub async fn unit_province(&self, code: &str) -> Result<Option<String>, StoreError> {
        Ok(self.unit(code).await?.map(|u| u.province_code))
    }
}

impl Db {
    /// A province's name.
    pub async fn province(&self, code: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as("SELECT name FROM provinces WHERE code = $1")
            .bind(code)
            .fetch_optional(self.pool())
            .await
            .map_err(StoreError::classify)?;
        Ok(row.map(|(n,)| n))
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
}
