//! Deployment flows: organizers send ready volunteers to units for shifts; volunteers see
//! their shifts and log the residents they guided; a resident who later passes the same
//! procedure's practice unaided turns those sessions "assisted → independent".

use super::campaign::shift_line;
use super::{internal, now, AppState, HANOI_PROVINCE_CODE};
use crate::domain::account::parse_phone;
use crate::domain::audit::Actor;
use crate::domain::campaign::{self, household_key, HouseholdError, Outcome, Shift};
use crate::domain::vn::{vn_day, Date};
use crate::domain::Cohort;
use crate::i18n::use_locale;
use crate::store::{NewAssist, StoreError};
use crate::types::deploy::{AssistLine, DeployView, ReadyLine, ShiftsView};
use crate::types::form::{FormErrors, FormInput, Posted};
use crate::types::{AppError, CurrentUser};

/// The procedure code of a session about something the sandbox does not simulate.
pub const OTHER_PROCEDURE: &str = "khac";

/// How far ahead a shift may be planned, in days.
pub const PLAN_AHEAD_DAYS: i64 = 60;

/// The organizers' deployment page: ready volunteers, the shifts from today on, the units.
pub async fn view(state: &AppState) -> Result<DeployView, AppError> {
    let today = vn_day(now());
    let ready = state
        .db
        .ready_for_deployment(HANOI_PROVINCE_CODE, today * 86_400)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|r| ReadyLine {
            id: r.id,
            full_name: r.full_name,
            unit: r.unit_name,
            university: r.university,
            shifts: r.shifts,
        })
        .collect();
    let shifts = state
        .db
        .deployments(None, None, today * 86_400, 300)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|d| shift_line(d, today))
        .collect();
    let units = state
        .db
        .units(HANOI_PROVINCE_CODE)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|u| (u.code, u.name))
        .collect();
    Ok(DeployView {
        ready,
        shifts,
        units,
        today: Date::from_epoch_days(today).to_string(),
    })
}

/// Sends a ready volunteer to a unit for a shift (fields `volunteer`, `unit`, `day`, `shift`).
pub async fn assign(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    form: &FormInput,
) -> Posted<()> {
    if !user.role.may_list_accounts() {
        return Err(AppError::Forbidden.into());
    }
    let field = |name: &str| form.get(name).trim();
    let mut errors = FormErrors::default();
    let volunteer = field("volunteer").parse::<i64>().ok();
    let ready = match volunteer {
        Some(id) => state.db.is_ready_volunteer(id).await.map_err(internal)?,
        None => false,
    };
    if !ready {
        errors.add("volunteer", "deploy.errors.volunteer");
    }
    let unit = field("unit");
    let known = state
        .db
        .unit(unit)
        .await
        .map_err(internal)?
        .is_some_and(|u| u.province_code == HANOI_PROVINCE_CODE);
    if !known {
        errors.add("unit", "deploy.errors.unit");
    }
    let today = vn_day(now());
    let day = Date::parse_form(field("day")).ok();
    match day {
        None => errors.add("day", "deploy.errors.day"),
        Some(d) if d.epoch_day() < today => errors.add("day", "deploy.errors.day_past"),
        Some(d) if d.epoch_day() > today + PLAN_AHEAD_DAYS => {
            errors.add("day", "deploy.errors.day_far")
        }
        _ => {}
    }
    let shift = Shift::parse(field("shift"));
    if shift.is_none() {
        errors.add("shift", "deploy.errors.shift");
    }
    let (Some(volunteer), Some(day), Some(shift), true) =
        (volunteer, day, shift, errors.is_empty())
    else {
        return Err(errors.into());
    };
    match state
        .db
        .deploy(volunteer, unit, day.unix_start(), shift, now(), actor)
        .await
    {
        Ok(_) => Ok(()),
        Err(StoreError::Busy) => {
            let mut errors = FormErrors::default();
            errors.add("shift", "deploy.errors.busy");
            Err(errors.into())
        }
        Err(e) => Err(internal(e).into()),
    }
}

/// Cancels a shift nobody has logged a session on.
pub async fn cancel(state: &AppState, user: &CurrentUser, actor: &Actor, id: i64) -> Posted<()> {
    if !user.role.may_list_accounts() {
        return Err(AppError::Forbidden.into());
    }
    match state.db.cancel_deployment(id, now(), actor).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(FormErrors::general("deploy.errors.cannot_cancel").into()),
        Err(e) => Err(internal(e).into()),
    }
}

/// A volunteer's own page: their shifts (recent and coming) and the sessions they logged.
pub async fn shifts(state: &AppState, user: &CurrentUser) -> Result<ShiftsView, AppError> {
    if user.cohort != Some(Cohort::Volunteer) {
        return Err(AppError::Forbidden);
    }
    let locale = use_locale();
    let today = vn_day(now());
    let ready = state
        .db
        .is_ready_volunteer(user.id)
        .await
        .map_err(internal)?;
    let shifts = state
        .db
        .deployments(None, Some(user.id), (today - 3) * 86_400, 100)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|d| shift_line(d, today))
        .collect();
    let procedures = procedure_titles(state, locale);
    let title_of = |id: &str| {
        procedures
            .iter()
            .find(|(p, _)| p == id)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| id.to_owned())
    };
    let assists = state
        .db
        .assists_of(user.id, 50)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|a| AssistLine {
            date: Date::from_unix_vn(a.at).to_string(),
            procedure: title_of(&a.procedure_id),
            outcome: Outcome::parse(&a.outcome).unwrap_or(Outcome::Helped),
            minutes: a.minutes,
            household: a.household,
            independent: a.independent_at.is_some(),
        })
        .collect();
    Ok(ShiftsView {
        ready,
        shifts,
        assists,
        procedures,
    })
}

/// The procedures a session can be about: the sandbox's, then "another procedure".
fn procedure_titles(state: &AppState, locale: crate::i18n::Locale) -> Vec<(String, String)> {
    state
        .content
        .sandbox
        .procedures
        .iter()
        .map(|p| (p.id.clone(), p.title.get(locale).to_owned()))
        .chain(std::iter::once((
            OTHER_PROCEDURE.to_owned(),
            crate::tr_in!(locale, "shifts.other_procedure"),
        )))
        .collect()
}

/// Logs a session on one of the volunteer's open shifts (fields `shift`, `household`,
/// `phone`, `procedure`, `outcome`, `minutes`).
pub async fn log_assist(state: &AppState, user: &CurrentUser, form: &FormInput) -> Posted<()> {
    if user.cohort != Some(Cohort::Volunteer) {
        return Err(AppError::Forbidden.into());
    }
    let field = |name: &str| form.get(name).trim();
    let mut errors = FormErrors::default();
    let today = vn_day(now());
    let shift = match field("shift").parse::<i64>() {
        Ok(id) => state
            .db
            .deployment(id)
            .await
            .map_err(internal)?
            .filter(|d| d.volunteer_id == user.id),
        Err(_) => None,
    };
    match &shift {
        None => errors.add("shift", "shifts.errors.shift"),
        Some(d) if !campaign::may_log_for(d.day.div_euclid(86_400), today) => {
            errors.add("shift", "shifts.errors.shift_closed")
        }
        _ => {}
    }
    let household = household_key(field("household"))
        .map_err(|e| {
            errors.add(
                "household",
                match e {
                    HouseholdError::Empty => "shifts.errors.household",
                    HouseholdError::TooLong => "shifts.errors.household_long",
                },
            )
        })
        .ok();
    let phone = match field("phone") {
        "" => None,
        typed => match parse_phone(typed) {
            Ok(p) => Some(p),
            Err(_) => {
                errors.add("phone", "shifts.errors.phone");
                None
            }
        },
    };
    let procedure = field("procedure");
    let known =
        procedure == OTHER_PROCEDURE || state.content.sandbox.procedure(procedure).is_some();
    if !known {
        errors.add("procedure", "shifts.errors.procedure");
    }
    let outcome = Outcome::parse(field("outcome"));
    if outcome.is_none() {
        errors.add("outcome", "shifts.errors.outcome");
    }
    let minutes = field("minutes")
        .parse::<i64>()
        .ok()
        .filter(|m| (1..=campaign::MAX_ASSIST_MINUTES).contains(m));
    if minutes.is_none() {
        errors.add("minutes", "shifts.errors.minutes");
    }
    let (Some(shift), Some(household), Some(outcome), Some(minutes), true) =
        (shift, household, outcome, minutes, errors.is_empty())
    else {
        return Err(errors.into());
    };
    state
        .db
        .log_assist(&NewAssist {
            volunteer_id: user.id,
            deployment_id: Some(shift.id),
            unit_code: shift.unit_code,
            household,
            resident_phone: phone,
            procedure_id: procedure.to_owned(),
            outcome,
            minutes,
            at: now(),
        })
        .await
        .map(|_| ())
        .map_err(|e| internal(e).into())
}

/// A learner passed a procedure's practice without help (an exam run, or a guided run with no
/// hints): if they are a resident a volunteer guided through it, that counts. Failures are
/// logged; the run itself is already stored.
pub async fn practised_unaided(state: &AppState, user: &CurrentUser, procedure: &str, at: i64) {
    if user.cohort != Some(Cohort::Resident) {
        return;
    }
    match state.db.mark_independent(user.id, procedure, at).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(account = user.id, sessions = n, "assisted → independent"),
        Err(e) => tracing::error!(error = %e, account = user.id, "marking independence failed"),
    }
}
