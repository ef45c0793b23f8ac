//! Registration, login, logout, password change, and resolving a session cookie.

use super::{internal, now, AppState, HANOI_PROVINCE_CODE};
use crate::auth::{check_new_password, dummy_hash, hash_password, verify_password};
use crate::domain::audit::Actor;
use crate::domain::{
    Cohort, Contact, ContactError, FullName, NameError, PasswordError, PasswordPolicy, Role,
};
use crate::store::{AccountRow, NewAccount, StoreError};
use crate::types::form::{FormErrors, FormInput, Posted};
use crate::types::{AccountLine, AppError, CurrentUser, UnitOption};

/// A new session: who signed in, and the token for their cookie.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub user: CurrentUser,
    pub token: String,
}

/// Parameters of an account created by the CLI or the demo seed (not self-registration).
#[derive(Clone, Debug)]
pub struct AccountSpec {
    pub full_name: String,
    pub contact: String,
    pub password: String,
    pub role: Role,
    pub cohort: Option<Cohort>,
    pub unit_code: Option<String>,
    pub position_code: Option<String>,
}

fn name_error_key(e: NameError) -> &'static str {
    match e {
        NameError::Empty => "register.errors.name_empty",
        NameError::TooLong => "register.errors.name_too_long",
        NameError::InvalidCharacter => "register.errors.name_invalid",
    }
}

fn contact_error_key(e: ContactError) -> &'static str {
    match e {
        ContactError::Empty => "register.errors.contact_empty",
        ContactError::InvalidPhone => "register.errors.phone_invalid",
        ContactError::InvalidEmail => "register.errors.email_invalid",
    }
}

fn password_error_key(e: PasswordError) -> &'static str {
    match e {
        PasswordError::TooShort => "register.errors.password_short",
        PasswordError::TooLong => "register.errors.password_long",
        PasswordError::TooCommon => "register.errors.password_common",
        PasswordError::Mismatch => "register.errors.password_mismatch",
    }
}

async fn hash_blocking(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(internal)?
        .map_err(internal)
}

async fn verify_blocking(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false)
}

/// The session view of a stored account.
pub fn current_user(row: &AccountRow) -> Option<CurrentUser> {
    Some(CurrentUser {
        id: row.id,
        full_name: row.full_name.clone(),
        role: row.role()?,
        cohort: row.cohort(),
        unit_code: row.unit_code.clone(),
        unit_name: row.unit_name.clone(),
        position_code: row.position_code.clone(),
    })
}

/// A session for `row`'s account at token version `version` (the stored one, or the one a
/// change has just moved to).
fn sign_in(state: &AppState, row: &AccountRow, version: i64) -> Result<SignedIn, AppError> {
    let user = current_user(row).ok_or_else(|| internal("account has an unknown role"))?;
    let token = state.keys.issue(row.id, version, now()).map_err(internal)?;
    Ok(SignedIn { user, token })
}

/// Self-registration of a resident (form fields `full_name`, `contact`, `unit_code`,
/// `password`, `password_confirm`): every field is checked, every problem reported at once.
pub async fn register(state: &AppState, form: &FormInput) -> Posted<SignedIn> {
    let mut errors = FormErrors::default();
    let (password, password_confirm) = (form.get("password"), form.get("password_confirm"));
    let name = FullName::parse(form.get("full_name"))
        .map_err(|e| errors.add("full_name", name_error_key(e)))
        .ok();
    let contact = Contact::parse(form.get("contact"))
        .map_err(|e| errors.add("contact", contact_error_key(e)))
        .ok();
    let unit = match form.get("unit_code").trim() {
        "" => {
            errors.add("unit_code", "register.errors.unit_empty");
            None
        }
        code => {
            let unit = state.db.unit(code).await.map_err(internal)?;
            if unit.is_none() {
                errors.add("unit_code", "register.errors.unit_unknown");
            }
            unit
        }
    };
    let inputs: Vec<&str> = [form.get("full_name"), form.get("contact")]
        .into_iter()
        .flat_map(str::split_whitespace)
        .collect();
    if let Err(e) = check_new_password(password, &inputs) {
        errors.add("password", password_error_key(e));
    } else if password != password_confirm {
        errors.add(
            "password_confirm",
            password_error_key(PasswordError::Mismatch),
        );
    }
    let (Some(name), Some(contact), Some(unit), true) = (name, contact, unit, errors.is_empty())
    else {
        return Err(errors.into());
    };
    let password_hash = hash_blocking(password.to_owned()).await?;
    let new = NewAccount {
        full_name: name.as_str().to_owned(),
        contact,
        password_hash,
        role: Role::Learner,
        cohort: Some(Cohort::Resident),
        unit_code: Some(unit.code),
        position_code: None,
        created_at: now(),
    };
    let id = match state.db.create_account(&new, None).await {
        Ok(id) => id,
        Err(StoreError::ContactTaken) => {
            let mut errors = FormErrors::default();
            errors.add("contact", "register.errors.contact_taken");
            return Err(errors.into());
        }
        Err(e) => return Err(internal(e).into()),
    };
    let row = state
        .db
        .account_by_id(id)
        .await
        .map_err(internal)?
        .ok_or_else(|| internal("account vanished after insert"))?;
    if let Contact::Phone(phone) = &new.contact {
        // Sessions a volunteer logged with this number before the resident registered.
        if let Err(e) = state.db.link_resident(phone, id, now()).await {
            tracing::error!(error = %e, account = id, "linking assisted sessions failed");
        }
    }
    tracing::info!(account = id, "resident registered");
    Ok(sign_in(state, &row, row.token_version)?)
}

/// Checks a contact and password. A wrong contact and a wrong password get the same answer,
/// in the same time, so the form does not reveal who has an account (fields `contact`,
/// `password`).
pub async fn login(state: &AppState, form: &FormInput) -> Posted<SignedIn> {
    let mut errors = FormErrors::default();
    let (contact, password) = (form.get("contact"), form.get("password"));
    if contact.trim().is_empty() {
        errors.add("contact", "login.errors.contact_empty");
    }
    if password.is_empty() {
        errors.add("password", "login.errors.password_empty");
    }
    errors.into_result()?;
    let row = match Contact::parse(contact) {
        Ok(contact) => state
            .db
            .account_by_contact(&contact)
            .await
            .map_err(internal)?,
        Err(_) => None,
    };
    let hash = row
        .as_ref()
        .map(|r| r.password_hash.clone())
        .unwrap_or_else(|| dummy_hash().to_owned());
    let password_ok = verify_blocking(password.to_owned(), hash).await;
    match row {
        Some(row) if password_ok => {
            tracing::info!(account = row.id, "signed in");
            Ok(sign_in(state, &row, row.token_version)?)
        }
        _ => Err(FormErrors::general("login.errors.invalid").into()),
    }
}

/// Ends every session of the account (all devices): the token version moves on.
pub async fn logout(state: &AppState, account_id: i64) -> Result<(), AppError> {
    state
        .db
        .bump_token_version(account_id)
        .await
        .map(|_| ())
        .map_err(internal)
}

/// Changes the password after checking the current one; earlier sessions end and the caller
/// gets a fresh token for this device (fields `current_password`, `new_password`,
/// `new_password_confirm`).
pub async fn change_password(
    state: &AppState,
    user: &CurrentUser,
    form: &FormInput,
) -> Posted<SignedIn> {
    let new_password = form.get("new_password");
    let row = state
        .db
        .account_by_id(user.id)
        .await
        .map_err(internal)?
        .ok_or_else(|| FormErrors::general("errors.unauthenticated"))?;
    let mut errors = FormErrors::default();
    if !verify_blocking(
        form.get("current_password").to_owned(),
        row.password_hash.clone(),
    )
    .await
    {
        errors.add("current_password", "password.errors.current_wrong");
    }
    if let Err(e) = check_new_password(new_password, &[row.full_name.as_str()]) {
        errors.add("new_password", password_error_key(e));
    } else if new_password != form.get("new_password_confirm") {
        errors.add(
            "new_password_confirm",
            password_error_key(PasswordError::Mismatch),
        );
    }
    errors.into_result()?;
    let hash = hash_blocking(new_password.to_owned()).await?;
    let version = state
        .db
        .set_password(row.id, &hash)
        .await
        .map_err(internal)?;
    tracing::info!(
        account = row.id,
        "password changed, earlier sessions revoked"
    );
    Ok(sign_in(state, &row, version)?)
}

/// The account a session token stands for: `Ok(None)` when the token is invalid, expired or
/// revoked; `Err` when the database could not be asked (the token may well be good).
pub async fn resolve_session(
    state: &AppState,
    token: &str,
) -> Result<Option<CurrentUser>, StoreError> {
    let Ok(claims) = state.keys.verify(token) else {
        return Ok(None);
    };
    let Ok(id) = claims.sub.parse::<i64>() else {
        return Ok(None);
    };
    let Some(row) = state.db.account_by_id(id).await? else {
        return Ok(None);
    };
    if row.token_version != claims.ver {
        return Ok(None);
    }
    Ok(current_user(&row))
}

/// Creates an account with any role (CLI, demo data), recorded in the audit log as made `by`.
/// Validates like registration does, but returns a plain message: its callers are operators,
/// not residents.
pub async fn create_account(
    state: &AppState,
    spec: &AccountSpec,
    by: &Actor,
) -> Result<i64, String> {
    let name = FullName::parse(&spec.full_name).map_err(|e| format!("full name: {e}"))?;
    let contact = Contact::parse(&spec.contact).map_err(|e| format!("contact: {e}"))?;
    PasswordPolicy::check_length(&spec.password).map_err(|e| format!("password: {e}"))?;
    check_new_password(&spec.password, &[]).map_err(|e| format!("password: {e}"))?;
    let password_hash = hash_password(&spec.password).map_err(|e| e.to_string())?;
    let new = NewAccount {
        full_name: name.as_str().to_owned(),
        contact,
        password_hash,
        role: spec.role,
        cohort: spec.cohort,
        unit_code: spec.unit_code.clone(),
        position_code: spec.position_code.clone(),
        created_at: now(),
    };
    state
        .db
        .create_account(&new, Some(by))
        .await
        .map_err(|e| match e {
            StoreError::ContactTaken => {
                "this phone number or email is already registered".to_owned()
            }
            StoreError::NotFound => "unknown unit code".to_owned(),
            other => other.to_string(),
        })
}

/// Days an activation code stays valid.
pub const ACTIVATION_DAYS: i64 = 14;

/// Letters and digits that cannot be mistaken for one another when read aloud or copied from
/// paper (no 0/O, 1/I, 2/Z, 5/S, 8/B).
const CODE_ALPHABET: &[u8] = b"ACDEFGHJKLMNPQRTUVWXY34679";

/// A new activation code, "XXXXX-XXXXX" (about 47 bits).
fn new_code() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut out = String::with_capacity(11);
    for i in 0..10 {
        if i == 5 {
            out.push('-');
        }
        let pick = OsRng.next_u32() as usize % CODE_ALPHABET.len();
        out.push(char::from(CODE_ALPHABET[pick]));
    }
    out
}

/// A code as typed: case, spaces and dashes do not matter.
pub fn normalize_code(input: &str) -> String {
    input
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Issues a one-time activation code for a learner of `unit` who has no password yet (an
/// imported roster row): the unit's manager, organizers and admins may. Returns the person's
/// name and the code, shown once.
pub async fn issue_activation(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    unit: &str,
    account_id: i64,
) -> Result<(String, String), AppError> {
    super::may_see_unit(user, unit)?;
    let account = state
        .db
        .account_by_id(account_id)
        .await
        .map_err(internal)?
        .filter(|a| a.unit_code.as_deref() == Some(unit) && a.password_hash.is_empty())
        .ok_or(AppError::NotFound)?;
    let code = new_code();
    let hash = hash_blocking(normalize_code(&code)).await?;
    let expires = now() + ACTIVATION_DAYS * 86_400;
    match state
        .db
        .set_activation_code(account.id, &hash, user.id, expires, actor, now())
        .await
    {
        Ok(()) => {}
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(internal(e)),
    }
    tracing::info!(account = account.id, by = user.id, "activation code issued");
    Ok((account.full_name, code))
}

/// A person on an imported roster sets their first password with the code their unit gave
/// them (fields `contact`, `code`, `password`, `password_confirm`). A wrong contact, a wrong
/// code and an expired code get the same answer.
pub async fn activate(state: &AppState, form: &FormInput) -> Posted<SignedIn> {
    let mut errors = FormErrors::default();
    let password = form.get("password");
    let contact = Contact::parse(form.get("contact"))
        .map_err(|e| errors.add("contact", contact_error_key(e)))
        .ok();
    let code = normalize_code(form.get("code"));
    if code.is_empty() {
        errors.add("code", "activate.errors.code_empty");
    }
    if let Err(e) = PasswordPolicy::check_length(password) {
        errors.add("password", password_error_key(e));
    } else if password != form.get("password_confirm") {
        errors.add(
            "password_confirm",
            password_error_key(PasswordError::Mismatch),
        );
    }
    let Some(contact) = contact else {
        return Err(errors.into());
    };
    errors.into_result()?;
    let row = state
        .db
        .account_by_contact(&contact)
        .await
        .map_err(internal)?
        .filter(|r| r.password_hash.is_empty());
    let stored = match &row {
        Some(r) => state
            .db
            .activation_code(r.id, now())
            .await
            .map_err(internal)?,
        None => None,
    };
    // The same work whether or not the account and its code exist.
    let hash = stored.clone().unwrap_or_else(|| dummy_hash().to_owned());
    let matches = verify_blocking(code, hash).await && stored.is_some();
    let (Some(row), true) = (row, matches) else {
        return Err(FormErrors::general("activate.errors.wrong").into());
    };
    if let Err(e) = check_new_password(password, &[row.full_name.as_str()]) {
        let mut errors = FormErrors::default();
        errors.add("password", password_error_key(e));
        return Err(errors.into());
    }
    let hash = hash_blocking(password.to_owned()).await?;
    let version = match state.db.activate(row.id, &hash).await {
        Ok(v) => v,
        Err(StoreError::Stale) => return Err(FormErrors::general("activate.errors.wrong").into()),
        Err(e) => return Err(internal(e).into()),
    };
    tracing::info!(account = row.id, "account activated");
    Ok(sign_in(state, &row, version)?)
}

/// The people directory, newest first: admins and organizers see everyone (or one unit with
/// `unit`), a unit manager only their own unit (asking for another is refused, not narrowed).
pub async fn directory(
    state: &AppState,
    user: &CurrentUser,
    unit: Option<&str>,
) -> Result<Vec<AccountLine>, AppError> {
    let asked = unit.filter(|u| !u.is_empty());
    let scope = match user.role {
        Role::Admin | Role::Organizer => asked,
        Role::UnitManager => {
            let own = user.unit_code.as_deref();
            match asked {
                Some(asked) if Some(asked) != own => return Err(AppError::Forbidden),
                _ => own,
            }
        }
        Role::Learner => return Err(AppError::Forbidden),
    };
    let rows = state.db.list_accounts(scope, 200).await.map_err(internal)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(AccountLine {
                id: r.id,
                full_name: r.full_name,
                role: Role::parse(&r.role)?,
                cohort: r.cohort.as_deref().and_then(Cohort::parse),
                unit_name: r.unit_name,
            })
        })
        .collect())
}

/// Hà Nội's communes and wards, as the registration form offers them.
pub async fn unit_options(state: &AppState) -> Result<Vec<UnitOption>, AppError> {
    let units = state
        .db
        .units(HANOI_PROVINCE_CODE)
        .await
        .map_err(internal)?;
    Ok(units
        .into_iter()
        .map(|u| UnitOption {
            code: u.code,
            name: u.name,
        })
        .collect())
}

/// Anonymises an account (admins only; the form's `confirm` box must be ticked): see
/// [`crate::store::Db::anonymise_account`] for what goes and what stays.
pub async fn anonymise(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    account_id: i64,
    form: &FormInput,
) -> Posted<()> {
    if !user.role.may_read_audit() {
        return Err(AppError::Forbidden.into());
    }
    if form.get("confirm") != "yes" {
        return Err(FormErrors::general("people.errors.confirm_anonymise").into());
    }
    let name = crate::tr_in!(crate::i18n::Locale::Vi, "people.anonymous_name");
    match state
        .db
        .anonymise_account(account_id, &name, actor, now())
        .await
    {
        Ok(()) => {
            tracing::info!(account = account_id, by = user.id, "account anonymised");
            Ok(())
        }
        Err(StoreError::NotFound) => Err(AppError::NotFound.into()),
        Err(e) => Err(internal(e).into()),
    }
}

/// Everything hocso keeps about the signed-in person, as JSON (their right to a copy of
/// their data): the account, lessons read, quiz attempts, practice runs, evidence and
/// standing, self-assessment, and a volunteer's shifts and sessions.
pub async fn my_data(state: &AppState, user: &CurrentUser) -> Result<String, AppError> {
    use leptos::serde_json::json;
    let db = &state.db;
    let account = db
        .account_by_id(user.id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let lessons = db.completed_lessons(user.id).await.map_err(internal)?;
    let attempts = db.attempts_of(user.id).await.map_err(internal)?;
    let runs = db.runs_of(user.id, None).await.map_err(internal)?;
    let evidence = db.evidence_of(user.id).await.map_err(internal)?;
    let standing = db.standing(user.id).await.map_err(internal)?;
    let survey = db.self_assessments(user.id).await.map_err(internal)?;
    let shifts = db
        .deployments(None, Some(user.id), 0, 10_000)
        .await
        .map_err(internal)?;
    let assists = db.assists_of(user.id, 10_000).await.map_err(internal)?;
    let data = json!({
        "exported_at": now(),
        "account": {
            "id": account.id,
            "full_name": account.full_name,
            "phone": account.phone,
            "email": account.email,
            "role": account.role,
            "cohort": account.cohort,
            "unit_code": account.unit_code,
            "unit_name": account.unit_name,
            "position_code": account.position_code,
        },
        "lessons_read": lessons
            .iter()
            .map(|(module, lesson)| json!({"module": module, "lesson": lesson}))
            .collect::<Vec<_>>(),
        "quiz_attempts": attempts.iter().map(|a| json!({
            "id": a.id, "module": a.module_id, "quiz": a.quiz_id, "percent": a.percent,
            "passed": a.passed == 1, "submitted_at": a.submitted_at,
            "duration_seconds": a.duration_seconds,
        })).collect::<Vec<_>>(),
        "practice_runs": runs.iter().map(|r| json!({
            "id": r.id, "procedure": r.procedure_id, "scenario": r.scenario_id,
            "mode": r.mode, "status": r.status, "hints_used": r.hints_used,
            "started_at": r.started_at, "submitted_at": r.submitted_at,
        })).collect::<Vec<_>>(),
        "evidence": evidence.iter().map(|e| json!({
            "competence": e.competence, "level": e.level, "source": e.source_kind,
            "source_id": e.source_id, "percent": e.percent, "earned_at": e.earned_at,
        })).collect::<Vec<_>>(),
        "standing": standing.map(|s| json!({
            "position": s.position_id, "met": s.met, "required": s.required,
            "meets": s.meets == 1, "review_at": s.review_at,
        })),
        "self_assessment": survey
            .iter()
            .map(|(competence, level)| json!({"competence": competence, "level": level}))
            .collect::<Vec<_>>(),
        "shifts": shifts.iter().map(|d| json!({
            "id": d.id, "unit_code": d.unit_code, "day": d.day, "shift": d.shift,
        })).collect::<Vec<_>>(),
        "assisted_sessions": assists.iter().map(|a| json!({
            "id": a.id, "unit_code": a.unit_code, "procedure": a.procedure_id,
            "outcome": a.outcome, "minutes": a.minutes, "at": a.at,
        })).collect::<Vec<_>>(),
    });
    leptos::serde_json::to_string_pretty(&data).map_err(internal)
}
