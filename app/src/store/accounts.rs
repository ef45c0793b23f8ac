//! Accounts: creation, look-up by contact, token versions for revocation.

use sqlx::FromRow;

use super::campaign::bump;
use super::{Db, StoreError};
use crate::domain::campaign::Metric;
use crate::domain::{Cohort, Contact, Role};

/// What is needed to create an account. The password is already hashed.
#[derive(Clone, Debug)]
pub struct NewAccount {
    pub full_name: String,
    pub contact: Contact,
    pub password_hash: String,
    pub role: Role,
    pub cohort: Option<Cohort>,
    pub unit_code: Option<String>,
    pub position_code: Option<String>,
    pub created_at: i64,
}

/// One account as stored. Only the server sees this type (it holds the password hash).
#[derive(Clone, Debug, FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub full_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub password_hash: String,
    pub role: String,
    pub cohort: Option<String>,
    pub unit_code: Option<String>,
    pub position_code: Option<String>,
    pub token_version: i64,
    pub unit_name: Option<String>,
}

impl AccountRow {
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.role)
    }

    pub fn cohort(&self) -> Option<Cohort> {
        self.cohort.as_deref().and_then(Cohort::parse)
    }
}

/// A line of the people directory.
#[derive(Clone, Debug, FromRow)]
pub struct AccountSummary {
    pub id: i64,
    pub full_name: String,
    pub role: String,
    pub cohort: Option<String>,
    pub unit_name: Option<String>,
}

const SELECT_ACCOUNT: &str = "SELECT a.id, a.full_name, a.phone, a.email, a.password_hash, \
     a.role, a.cohort, a.unit_code, a.position_code, a.token_version, u.name AS unit_name \
     FROM accounts a LEFT JOIN units u ON u.code = a.unit_code";

impl Db {
    /// Creates an account; a phone or email already in use gives [`StoreError::ContactTaken`].
    /// A learner counts in their unit's members from here on (same transaction).
    pub async fn create_account(&self, new: &NewAccount) -> Result<i64, StoreError> {
        let (phone, email) = match &new.contact {
            Contact::Phone(p) => (Some(p.as_str()), None),
            Contact::Email(e) => (None, Some(e.as_str())),
        };
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO accounts (full_name, phone, email, password_hash, role, cohort, \
             unit_code, position_code, token_version, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9) RETURNING id",
        )
        .bind(&new.full_name)
        .bind(phone)
        .bind(email)
        .bind(&new.password_hash)
        .bind(new.role.as_str())
        .bind(new.cohort.map(Cohort::as_str))
        .bind(new.unit_code.as_deref())
        .bind(new.position_code.as_deref())
        .bind(new.created_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        if let (Role::Learner, Some(cohort), Some(unit)) =
            (new.role, new.cohort, new.unit_code.as_deref())
        {
            bump(
                &mut tx,
                unit,
                &[(Metric::Members(cohort), 1)],
                new.created_at,
            )
            .await?;
        }
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(id)
    }

    pub async fn account_by_contact(
        &self,
        contact: &Contact,
    ) -> Result<Option<AccountRow>, StoreError> {
        let column = match contact {
            Contact::Phone(_) => "phone",
            Contact::Email(_) => "email",
        };
        let sql = format!("{SELECT_ACCOUNT} WHERE a.{column} = $1");
        sqlx::query_as::<_, AccountRow>(&sql)
            .bind(contact.as_str())
            .fetch_optional(self.pool())
            .await
            .map_err(StoreError::classify)
    }

    pub async fn account_by_id(&self, id: i64) -> Result<Option<AccountRow>, StoreError> {
        let sql = format!("{SELECT_ACCOUNT} WHERE a.id = $1");
        sqlx::query_as::<_, AccountRow>(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await
            .map_err(StoreError::classify)
    }

    /// Invalidates every token issued so far to this account; returns the new version.
    pub async fn bump_token_version(&self, id: i64) -> Result<i64, StoreError> {
        let (version,): (i64,) = sqlx::query_as(
            "UPDATE accounts SET token_version = token_version + 1 WHERE id = $1 \
             RETURNING token_version",
        )
        .bind(id)
        .fetch_one(self.pool())
        .await
        .map_err(StoreError::classify)?;
        Ok(version)
    }

    /// Replaces the password hash and revokes earlier tokens in one statement.
    pub async fn set_password(&self, id: i64, password_hash: &str) -> Result<i64, StoreError> {
        let (version,): (i64,) = sqlx::query_as(
            "UPDATE accounts SET password_hash = $1, token_version = token_version + 1 \
             WHERE id = $2 RETURNING token_version",
        )
        .bind(password_hash)
        .bind(id)
        .fetch_one(self.pool())
        .await
        .map_err(StoreError::classify)?;
        Ok(version)
    }

    /// The newest accounts first, at most `limit`, of one unit or of all.
    pub async fn list_accounts(
        &self,
        unit_code: Option<&str>,
        limit: i64,
    ) -> Result<Vec<AccountSummary>, StoreError> {
        sqlx::query_as::<_, AccountSummary>(
            "SELECT a.id, a.full_name, a.role, a.cohort, u.name AS unit_name \
             FROM accounts a LEFT JOIN units u ON u.code = a.unit_code \
             WHERE (CAST($1 AS TEXT) IS NULL OR a.unit_code = $1) \
             ORDER BY a.id DESC LIMIT $2",
        )
        .bind(unit_code)
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    pub async fn count_accounts(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM accounts")
            .fetch_one(self.pool())
            .await
            .map_err(StoreError::classify)?;
        Ok(n)
    }
}
