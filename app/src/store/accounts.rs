//! Accounts: creation, look-up by contact, token versions for revocation.

use leptos::serde_json::json;
use sqlx::FromRow;

use super::audit::{append, Entry};
use super::rollups::bump;
use super::{Db, StoreError};
use crate::domain::audit::{Action, Actor};
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
    /// A learner counts in their unit's members from here on (same transaction). An account
    /// made by someone else (`by`: an admin, an organizer, the command line) is in the audit
    /// log; one a person makes for themselves (registration) is not a privileged act.
    pub async fn create_account(
        &self,
        new: &NewAccount,
        by: Option<&Actor>,
    ) -> Result<i64, StoreError> {
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
        if let Some(actor) = by {
            let entry = Entry {
                action: Action::AccountCreate,
                object: format!("account:{id}"),
                unit: new.unit_code.as_deref(),
                before: None,
                after: Some(
                    json!({"full_name": new.full_name, "role": new.role.as_str(),
                    "cohort": new.cohort.map(Cohort::as_str), "unit_code": new.unit_code,
                    "position_code": new.position_code}),
                ),
            };
            append(&mut tx, actor, new.created_at, entry).await?;
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

    /// Removes what identifies a person (name, phone, email, password, roster code,
    /// university, the phone a volunteer noted for them, any activation code) and ends their
    /// sessions, keeping what the campaign counts: role, cohort, unit, position and every
    /// record of learning, practice, evidence and sessions, so no count moves. The contact
    /// becomes `an-danh-<id>@hocso.invalid` (an account needs one; `.invalid` reaches nobody).
    /// Admins are not anonymised this way ([`StoreError::NotFound`], as for no account).
    pub async fn anonymise_account(
        &self,
        id: i64,
        name: &str,
        actor: &Actor,
        at: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        let row: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT role, unit_code, phone FROM accounts WHERE id = $1 AND role <> 'admin'",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        let Some((role, unit, phone)) = row else {
            return Err(StoreError::NotFound);
        };
        sqlx::query(
            "UPDATE accounts SET full_name = $1, phone = NULL, email = $2, password_hash = '', \
             roster_code = NULL, university = NULL, token_version = token_version + 1 \
             WHERE id = $3",
        )
        .bind(name)
        .bind(format!("an-danh-{id}@hocso.invalid"))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        sqlx::query("DELETE FROM activation_codes WHERE account_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::classify)?;
        sqlx::query("UPDATE assists SET resident_phone = NULL WHERE resident_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::classify)?;
        if let Some(phone) = phone {
            sqlx::query("UPDATE assists SET resident_phone = NULL WHERE resident_phone = $1")
                .bind(phone)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::classify)?;
        }
        // The entry says who was anonymised by number only: it must not keep what was removed.
        let entry = Entry {
            action: Action::AccountAnonymise,
            object: format!("account:{id}"),
            unit: unit.as_deref(),
            before: Some(json!({ "role": role })),
            after: Some(json!({ "anonymised": true })),
        };
        append(&mut tx, actor, at, entry).await?;
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(())
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

/// A learner of a unit who has not set a password yet (an imported roster row).
#[derive(Clone, Debug, FromRow)]
pub struct PendingRow {
    pub id: i64,
    pub full_name: String,
    pub cohort: Option<String>,
    pub roster_code: Option<String>,
    /// A code was issued and has not expired.
    pub code_issued: i64,
}

impl Db {
    /// A unit's learners without a password, by name.
    pub async fn pending_activation(
        &self,
        unit_code: &str,
        now: i64,
    ) -> Result<Vec<PendingRow>, StoreError> {
        sqlx::query_as::<_, PendingRow>(
            "SELECT a.id, a.full_name, a.cohort, a.roster_code, \
             CASE WHEN EXISTS (SELECT 1 FROM activation_codes c WHERE c.account_id = a.id \
             AND c.expires_at > $2) THEN 1 ELSE 0 END AS code_issued \
             FROM accounts a WHERE a.unit_code = $1 AND a.role = 'learner' \
             AND a.password_hash = '' ORDER BY a.full_name, a.id",
        )
        .bind(unit_code)
        .bind(now)
        .fetch_all(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    /// Keeps the hash of a new activation code for an account still without a password
    /// (replacing an earlier code). [`StoreError::NotFound`] when the account has a password.
    pub async fn set_activation_code(
        &self,
        account_id: i64,
        code_hash: &str,
        issued_by: i64,
        expires_at: i64,
        actor: &Actor,
        at: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        let pending: Option<(i64, Option<String>)> = sqlx::query_as(
            "SELECT id, unit_code FROM accounts WHERE id = $1 AND role = 'learner' \
             AND password_hash = ''",
        )
        .bind(account_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        let Some((_, unit)) = pending else {
            return Err(StoreError::NotFound);
        };
        sqlx::query(
            "INSERT INTO activation_codes (account_id, code_hash, issued_by, expires_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (account_id) DO UPDATE SET \
             code_hash = excluded.code_hash, issued_by = excluded.issued_by, \
             expires_at = excluded.expires_at",
        )
        .bind(account_id)
        .bind(code_hash)
        .bind(issued_by)
        .bind(expires_at)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        // The code itself is never logged: only that one was issued, and until when.
        let entry = Entry {
            action: Action::ActivationCode,
            object: format!("account:{account_id}"),
            unit: unit.as_deref(),
            before: None,
            after: Some(json!({ "expires_at": expires_at })),
        };
        append(&mut tx, actor, at, entry).await?;
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(())
    }

    /// The hash of an account's activation code, if one is valid at `now`.
    pub async fn activation_code(
        &self,
        account_id: i64,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT code_hash FROM activation_codes WHERE account_id = $1 AND expires_at > $2",
        )
        .bind(account_id)
        .bind(now)
        .fetch_optional(self.pool())
        .await
        .map_err(StoreError::classify)?;
        Ok(row.map(|(h,)| h))
    }

    /// Sets the first password of an account and spends its code, in one transaction; only
    /// while the account still has no password ([`StoreError::Stale`] otherwise). Returns the
    /// token version.
    pub async fn activate(&self, account_id: i64, password_hash: &str) -> Result<i64, StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        let row: Option<(i64,)> = sqlx::query_as(
            "UPDATE accounts SET password_hash = $1, token_version = token_version + 1 \
             WHERE id = $2 AND password_hash = '' RETURNING token_version",
        )
        .bind(password_hash)
        .bind(account_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        let Some((version,)) = row else {
            tx.rollback().await.map_err(StoreError::classify)?;
            return Err(StoreError::Stale);
        };
        sqlx::query("DELETE FROM activation_codes WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::classify)?;
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(version)
    }
}
