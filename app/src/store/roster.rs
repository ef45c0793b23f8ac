//! Roster imports: the accounts a roster's codes and contacts already name, and writing a
//! whole roster in one transaction.

use leptos::serde_json::json;
use serde::{Deserialize, Serialize};
use sqlx::FromRow;

use super::audit::{append, Entry};
use super::rollups::bump;
use super::{Db, StoreError};
use crate::domain::audit::{Action, Actor};
use crate::domain::campaign::Metric;
use crate::domain::{Cohort, Contact};

/// An account as a roster row is compared with it.
#[derive(Clone, Debug, PartialEq, Eq, FromRow, Serialize, Deserialize)]
pub struct RosterAccount {
    pub id: i64,
    pub full_name: String,
    pub role: String,
    pub cohort: Option<String>,
    pub roster_code: Option<String>,
    pub unit_code: Option<String>,
    pub position_code: Option<String>,
    pub university: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// One change a roster makes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RosterWrite {
    /// A new learner, without a password until they activate the account.
    Create {
        code: String,
        full_name: String,
        cohort: Cohort,
        unit_code: String,
        position_code: Option<String>,
        university: Option<String>,
        contact: Contact,
    },
    /// New values for an account, written only if it still is `old`.
    Update {
        old: RosterAccount,
        full_name: String,
        unit_code: String,
        position_code: Option<String>,
        university: Option<String>,
        contact: Contact,
    },
}

const ROSTER_COLUMNS: &str = "id, full_name, role, cohort, roster_code, unit_code, \
     position_code, university, phone, email";

impl Db {
    /// Accounts holding any of `codes` (of a cohort), or any of `contacts`.
    pub async fn roster_matches(
        &self,
        codes: &[(Cohort, String)],
        contacts: &[Contact],
    ) -> Result<Vec<RosterAccount>, StoreError> {
        let mut found: Vec<RosterAccount> = Vec::new();
        // Per cohort, codes in chunks: each query is a range of the (cohort, code) index.
        for cohort in crate::domain::Cohort::ALL {
            let mine: Vec<&str> = codes
                .iter()
                .filter(|(c, _)| *c == cohort)
                .map(|(_, code)| code.as_str())
                .collect();
            for chunk in mine.chunks(800) {
                let list: Vec<String> = (2..chunk.len() + 2).map(|i| format!("${i}")).collect();
                let sql = format!(
                    "SELECT {ROSTER_COLUMNS} FROM accounts WHERE cohort = $1 AND roster_code IN ({})",
                    list.join(", ")
                );
                let mut q = sqlx::query_as::<_, RosterAccount>(&sql).bind(cohort.as_str());
                for code in chunk {
                    q = q.bind(*code);
                }
                found.extend(
                    q.fetch_all(self.pool())
                        .await
                        .map_err(StoreError::classify)?,
                );
            }
        }
        for (column, values) in [
            (
                "phone",
                contacts
                    .iter()
                    .filter_map(|c| match c {
                        Contact::Phone(p) => Some(p.as_str()),
                        Contact::Email(_) => None,
                    })
                    .collect::<Vec<_>>(),
            ),
            (
                "email",
                contacts
                    .iter()
                    .filter_map(|c| match c {
                        Contact::Email(e) => Some(e.as_str()),
                        Contact::Phone(_) => None,
                    })
                    .collect::<Vec<_>>(),
            ),
        ] {
            for chunk in values.chunks(800) {
                let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
                let sql = format!(
                    "SELECT {ROSTER_COLUMNS} FROM accounts WHERE {column} IN ({})",
                    list.join(", ")
                );
                let mut q = sqlx::query_as::<_, RosterAccount>(&sql);
                for v in chunk {
                    q = q.bind(*v);
                }
                found.extend(
                    q.fetch_all(self.pool())
                        .await
                        .map_err(StoreError::classify)?,
                );
            }
        }
        found.sort_by_key(|a| a.id);
        found.dedup_by_key(|a| a.id);
        Ok(found)
    }

    /// Writes a roster's changes in one transaction: all of them or none. An account that
    /// changed since it was read, or a contact taken meanwhile, writes nothing
    /// ([`StoreError::Stale`], [`StoreError::ContactTaken`]). Members counts move with each
    /// new learner and each move between units. Returns the accounts whose unit or position
    /// changed (their standing must be recomputed).
    pub async fn apply_roster(
        &self,
        writes: &[RosterWrite],
        at: i64,
        mut progress: impl FnMut(usize),
        actor: &Actor,
        source: &str,
    ) -> Result<Vec<i64>, StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        let mut moved = Vec::new();
        let mut members: std::collections::BTreeMap<(String, Cohort), i64> = Default::default();
        for (i, write) in writes.iter().enumerate() {
            match write {
                RosterWrite::Create {
                    code,
                    full_name,
                    cohort,
                    unit_code,
                    position_code,
                    university,
                    contact,
                } => {
                    let (phone, email) = split(contact);
                    let (id,): (i64,) = sqlx::query_as(
                        "INSERT INTO accounts (full_name, phone, email, password_hash, role, cohort, \
                         unit_code, position_code, token_version, created_at, roster_code, university) \
                         VALUES ($1, $2, $3, '', 'learner', $4, $5, $6, 0, $7, $8, $9) RETURNING id",
                    )
                    .bind(full_name)
                    .bind(phone)
                    .bind(email)
                    .bind(cohort.as_str())
                    .bind(unit_code)
                    .bind(position_code.as_deref())
                    .bind(at)
                    .bind(code)
                    .bind(university.as_deref())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(StoreError::classify)?;
                    *members.entry((unit_code.clone(), *cohort)).or_default() += 1;
                    let entry = Entry {
                        action: Action::AccountCreate,
                        object: format!("account:{id}"),
                        unit: Some(unit_code),
                        before: None,
                        after: Some(json!({"roster_code": code, "full_name": full_name,
                            "cohort": cohort.as_str(), "unit_code": unit_code,
                            "position_code": position_code, "university": university})),
                    };
                    append(&mut tx, actor, at, entry).await?;
                }
                RosterWrite::Update {
                    old,
                    full_name,
                    unit_code,
                    position_code,
                    university,
                    contact,
                } => {
                    let (phone, email) = split(contact);
                    let done = sqlx::query(
                        // A move to another unit or position ends the person's sessions:
                        // a token from before names a post they no longer hold.
                        "UPDATE accounts SET full_name = $1, unit_code = $2, position_code = $3, \
                         university = $4, phone = $5, email = $6, \
                         token_version = token_version + CASE \
                         WHEN COALESCE(unit_code, '') <> COALESCE($2, '') \
                         OR COALESCE(position_code, '') <> COALESCE($3, '') THEN 1 ELSE 0 END \
                         WHERE id = $7 AND full_name = $8 AND role = 'learner' \
                         AND COALESCE(unit_code, '') = $9 AND COALESCE(position_code, '') = $10 \
                         AND COALESCE(university, '') = $11 AND COALESCE(phone, '') = $12 \
                         AND COALESCE(email, '') = $13",
                    )
                    .bind(full_name)
                    .bind(unit_code)
                    .bind(position_code.as_deref())
                    .bind(university.as_deref())
                    .bind(phone)
                    .bind(email)
                    .bind(old.id)
                    .bind(&old.full_name)
                    .bind(old.unit_code.clone().unwrap_or_default())
                    .bind(old.position_code.clone().unwrap_or_default())
                    .bind(old.university.clone().unwrap_or_default())
                    .bind(old.phone.clone().unwrap_or_default())
                    .bind(old.email.clone().unwrap_or_default())
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::classify)?;
                    if done.rows_affected() != 1 {
                        tx.rollback().await.map_err(StoreError::classify)?;
                        return Err(StoreError::Stale);
                    }
                    let cohort = old.cohort.as_deref().and_then(Cohort::parse);
                    if old.unit_code.as_deref() != Some(unit_code.as_str()) {
                        if let Some(cohort) = cohort {
                            if let Some(from) = &old.unit_code {
                                *members.entry((from.clone(), cohort)).or_default() -= 1;
                            }
                            *members.entry((unit_code.clone(), cohort)).or_default() += 1;
                        }
                    }
                    if old.unit_code.as_deref() != Some(unit_code.as_str())
                        || old.position_code != *position_code
                    {
                        moved.push(old.id);
                    }
                    // Contacts are personal data: the log says that one changed, not to what.
                    let contact_changed =
                        (old.phone.as_deref(), old.email.as_deref()) != (phone, email);
                    let entry = Entry {
                        action: Action::AccountUpdate,
                        object: format!("account:{}", old.id),
                        unit: Some(unit_code),
                        before: Some(json!({"full_name": old.full_name,
                            "unit_code": old.unit_code, "position_code": old.position_code,
                            "university": old.university})),
                        after: Some(json!({"full_name": full_name, "unit_code": unit_code,
                            "position_code": position_code, "university": university,
                            "contact_changed": contact_changed})),
                    };
                    append(&mut tx, actor, at, entry).await?;
                }
            }
            progress(i + 1);
        }
        // Members counts move once per unit and cohort, not once per row.
        for ((unit, cohort), delta) in members {
            bump(&mut tx, &unit, &[(Metric::Members(cohort), delta)], at).await?;
        }
        let created = writes
            .iter()
            .filter(|w| matches!(w, RosterWrite::Create { .. }))
            .count();
        let entry = Entry {
            action: Action::RosterImport,
            object: source.to_owned(),
            unit: None,
            before: None,
            after: Some(
                json!({"created": created, "updated": writes.len() - created,
                "moved": moved.len()}),
            ),
        };
        append(&mut tx, actor, at, entry).await?;
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(moved)
    }
}

/// A roster file kept between its preview and its import.
#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct UploadRow {
    pub id: i64,
    pub uploaded_by: i64,
    pub file_name: String,
    pub content: String,
    /// What the check found at upload (JSON), the preview's and the import's one source.
    pub checked: Option<String>,
    pub uploaded_at: i64,
    pub applied_at: Option<i64>,
    pub summary: Option<String>,
}

impl Db {
    /// Keeps an uploaded roster and what its check found, for its preview and its import;
    /// unimported uploads older than a day are dropped at the same time (they hold personal
    /// data).
    pub async fn save_upload(
        &self,
        by: i64,
        file_name: &str,
        content: &str,
        checked: &str,
        at: i64,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool().begin().await.map_err(StoreError::classify)?;
        sqlx::query("DELETE FROM roster_uploads WHERE applied_at IS NULL AND uploaded_at < $1")
            .bind(at - 86_400)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::classify)?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO roster_uploads (uploaded_by, file_name, content, checked, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(by)
        .bind(file_name)
        .bind(content)
        .bind(checked)
        .bind(at)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::classify)?;
        let entry = Entry {
            action: Action::RosterUpload,
            object: format!("roster:{id}"),
            unit: None,
            before: None,
            after: Some(json!({ "file_name": file_name, "bytes": content.len() })),
        };
        append(&mut tx, actor, at, entry).await?;
        tx.commit().await.map_err(StoreError::classify)?;
        Ok(id)
    }

    pub async fn upload(&self, id: i64) -> Result<Option<UploadRow>, StoreError> {
        sqlx::query_as(
            "SELECT id, uploaded_by, file_name, content, checked, uploaded_at, applied_at, \
             summary FROM roster_uploads WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await
        .map_err(StoreError::classify)
    }

    /// Marks an upload imported, clearing its rows and keeping the summary. False when it
    /// was already imported (a second click).
    pub async fn finish_upload(&self, id: i64, summary: &str, at: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE roster_uploads SET applied_at = $1, summary = $2, content = '', \
             checked = NULL WHERE id = $3 AND applied_at IS NULL",
        )
        .bind(at)
        .bind(summary)
        .bind(id)
        .execute(self.pool())
        .await
        .map_err(StoreError::classify)?;
        Ok(done.rows_affected() == 1)
    }

    /// Replaces what an unimported upload's check found (the records changed since). False
    /// when it was imported meanwhile.
    pub async fn set_upload_check(&self, id: i64, checked: &str) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE roster_uploads SET checked = $1 WHERE id = $2 AND applied_at IS NULL",
        )
        .bind(checked)
        .bind(id)
        .execute(self.pool())
        .await
        .map_err(StoreError::classify)?;
        Ok(done.rows_affected() == 1)
    }

    /// Every unit code hocso knows.
    pub async fn unit_codes(&self) -> Result<std::collections::HashSet<String>, StoreError> {
        let rows: Vec<(String,)> = sqlx::query_as("SELECT code FROM units")
            .fetch_all(self.pool())
            .await
            .map_err(StoreError::classify)?;
        Ok(rows.into_iter().map(|(c,)| c).collect())
    }
}

fn split(contact: &Contact) -> (Option<&str>, Option<&str>) {
    match contact {
        Contact::Phone(p) => (Some(p.as_str()), None),
        Contact::Email(e) => (None, Some(e.as_str())),
    }
}
