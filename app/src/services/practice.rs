//! The practice sandbox: starting, resuming, abandoning and resetting runs, one step of the
//! simulated portal at a time, and the authoritative score of a submitted run.
//!
//! A run stores its procedure's version and every step's inputs; nothing in a run reaches
//! anything outside hocso. Guided runs check each screen (the same domain rules the browser
//! uses for instant feedback) and let the learner ask for hints; exam runs check only what the
//! portal itself would refuse (the account, the procedure, an amount that is not a number) and
//! are timed.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{now, AppState};
use crate::api::practice::{
    FieldView, MistakeView, Mode, ProcedureEntry, ProcedureView, ReviewView, RunSummary, RunView,
    ScenarioEntry, StepLink, StepView, TrapView,
};
use crate::api::{AppError, CurrentUser};
use crate::components::form::FormErrors;
use crate::content::procedures::{
    Procedure, Scenario, STEP_CONFIRM, STEP_DELIVERY, STEP_DOCUMENTS, STEP_FEE, STEP_FIND,
    STEP_LOGIN,
};
use crate::domain::procedure::{
    check_field, parse_money, same_value, score_run, Choices, FieldKind, Finding, Problem,
    RunScore, Submission, Trap, Values,
};
use crate::domain::Cohort;
use crate::i18n::{use_locale, Locale};
use crate::store::{NewRun, RunResult, RunRow};
use crate::tr_in;

fn internal(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "practice service failed");
    AppError::Internal
}

/// Everything a learner has entered in a run so far (stored as JSON).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunInputs {
    /// The personal ID typed at the login step.
    pub login: String,
    /// The procedure picked at the find step, and the agency.
    pub procedure: String,
    pub authority: String,
    pub values: Values,
    pub documents: BTreeSet<String>,
    pub delivery: String,
    /// The fee as typed.
    pub fee: String,
    /// Fields whose hint was shown (guided).
    pub hinted: BTreeSet<String>,
    /// Index of the furthest step reached.
    pub reached: usize,
}

fn cohort_of(user: &CurrentUser) -> Cohort {
    user.cohort.unwrap_or(Cohort::Resident)
}

fn visible_procedure<'a>(
    state: &'a AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<&'a Procedure, AppError> {
    state
        .content
        .sandbox
        .procedure(id)
        .filter(|p| p.is_for(cohort_of(user)))
        .ok_or(AppError::NotFound)
}

/// A run of the learner's, with its procedure and scenario. Someone else's run is "not found":
/// its existence is not revealed.
async fn owned_run<'a>(
    state: &'a AppState,
    user: &CurrentUser,
    run_id: i64,
) -> Result<(RunRow, &'a Procedure, &'a Scenario), AppError> {
    let row = state
        .db
        .run(run_id)
        .await
        .map_err(internal)?
        .filter(|r| r.account_id == user.id)
        .ok_or(AppError::NotFound)?;
    let procedure = state
        .content
        .sandbox
        .procedure(&row.procedure_id)
        .ok_or(AppError::NotFound)?;
    let scenario = procedure
        .scenario(&row.scenario_id)
        .ok_or(AppError::NotFound)?;
    Ok((row, procedure, scenario))
}

fn mode_of(row: &RunRow) -> Mode {
    Mode::parse(&row.mode).unwrap_or(Mode::Guided)
}

fn inputs_of(row: &RunRow) -> RunInputs {
    leptos::serde_json::from_str(&row.inputs).unwrap_or_default()
}

fn percent_of(row: &RunRow) -> Option<u32> {
    row.percent.map(|p| p.clamp(0, 100) as u32)
}

/// Best exam percentage and whether an exam run passed, over `runs` of one scenario or procedure.
fn best_exam<'a>(runs: impl Iterator<Item = &'a RunRow>) -> (Option<u32>, bool) {
    runs.filter(|r| r.mode == "exam" && r.status == "submitted")
        .fold((None, false), |(best, passed), r| {
            let p = percent_of(r).unwrap_or(0);
            (
                Some(best.map_or(p, |b: u32| b.max(p))),
                passed || r.passed == Some(1),
            )
        })
}

pub async fn list(state: &AppState, user: &CurrentUser) -> Result<Vec<ProcedureEntry>, AppError> {
    let locale = use_locale();
    let runs = state.db.runs_of(user.id, None).await.map_err(internal)?;
    Ok(state
        .content
        .sandbox
        .procedures
        .iter()
        .filter(|p| p.is_for(cohort_of(user)))
        .map(|p| {
            let mine = || runs.iter().filter(|r| r.procedure_id == p.id);
            let (best, passed) = best_exam(mine());
            ProcedureEntry {
                id: p.id.clone(),
                title: p.title.get(locale).to_owned(),
                summary: p.summary.get(locale).to_owned(),
                scenarios: p.scenarios.len(),
                best_exam: best,
                passed_exam: passed,
                active_runs: mine().filter(|r| r.status == "active").count(),
            }
        })
        .collect())
}

fn lesson_link(
    state: &AppState,
    (module, lesson): &(String, String),
    locale: Locale,
) -> (String, String) {
    let title = state
        .content
        .module(module)
        .and_then(|m| m.lesson(lesson))
        .map(|l| l.title.get(locale).to_owned())
        .unwrap_or_else(|| lesson.clone());
    (format!("/learn/{module}/{lesson}"), title)
}

pub async fn procedure(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<ProcedureView, AppError> {
    let locale = use_locale();
    let p = visible_procedure(state, user, id)?;
    let runs = state
        .db
        .runs_of(user.id, Some(id))
        .await
        .map_err(internal)?;
    let scenario_title = |sid: &str| {
        p.scenario(sid)
            .map(|s| s.title.get(locale).to_owned())
            .unwrap_or_else(|| sid.to_owned())
    };
    // While an exam run is unfinished, the page keeps the exam's answers to itself.
    let in_exam = runs
        .iter()
        .any(|r| r.status == "active" && r.mode == "exam");
    Ok(ProcedureView {
        id: p.id.clone(),
        title: p.title.get(locale).to_owned(),
        summary: p.summary.get(locale).to_owned(),
        code: p.code.clone(),
        authority: (!in_exam).then(|| agency_name(state, &p.authority, locale)),
        time_limit: p.time_limit.get(locale).to_owned(),
        legal_basis: p.legal_basis.clone(),
        fee_note: (!in_exam)
            .then(|| p.fee.note.as_ref().map(|n| n.get(locale).to_owned()))
            .flatten(),
        in_exam,
        exam_minutes: p.exam_minutes,
        pass_mark: p.pass_mark,
        lesson: lesson_link(state, &p.lesson, locale),
        scenarios: p
            .scenarios
            .iter()
            .map(|s| {
                let of_scenario = || runs.iter().filter(|r| r.scenario_id == s.id);
                ScenarioEntry {
                    id: s.id.clone(),
                    title: s.title.get(locale).to_owned(),
                    difficulty: s.difficulty,
                    active: of_scenario()
                        .find(|r| r.status == "active")
                        .map(|r| (r.id, mode_of(r))),
                    best_exam: best_exam(of_scenario()).0,
                }
            })
            .collect(),
        history: runs
            .iter()
            .map(|r| RunSummary {
                id: r.id,
                scenario_title: scenario_title(&r.scenario_id),
                mode: mode_of(r),
                status: r.status.clone(),
                percent: percent_of(r),
                passed: r.passed == Some(1),
            })
            .collect(),
    })
}

fn agency_name(state: &AppState, id: &str, locale: Locale) -> String {
    state
        .content
        .sandbox
        .authority(id)
        .map(|a| a.name.get(locale).to_owned())
        .unwrap_or_else(|| id.to_owned())
}

fn delivery_name(state: &AppState, id: &str, locale: Locale) -> String {
    state
        .content
        .sandbox
        .delivery(id)
        .map(|a| a.name.get(locale).to_owned())
        .unwrap_or_else(|| id.to_owned())
}

/// Starts (or resumes) the learner's run of a scenario. Returns the run's address.
pub async fn start(
    state: &AppState,
    user: &CurrentUser,
    procedure_id: &str,
    scenario_id: &str,
    mode: &str,
) -> Result<String, AppError> {
    let p = visible_procedure(state, user, procedure_id)?;
    let s = p.scenario(scenario_id).ok_or(AppError::NotFound)?;
    let mode = Mode::parse(mode).ok_or(AppError::BadRequest)?;
    let inputs = leptos::serde_json::to_string(&RunInputs::default()).map_err(internal)?;
    let id = state
        .db
        .start_run(&NewRun {
            account_id: user.id,
            procedure_id: p.id.clone(),
            procedure_version: i64::from(p.version),
            scenario_id: s.id.clone(),
            mode: mode.code(),
            step: STEP_LOGIN.to_owned(),
            inputs,
            started_at: now(),
        })
        .await
        .map_err(internal)?;
    Ok(format!("/practice/run/{id}"))
}

/// Abandons the learner's unfinished run. Returns the procedure page's address.
pub async fn abandon(
    state: &AppState,
    user: &CurrentUser,
    run_id: i64,
) -> Result<String, AppError> {
    let (row, p, _) = owned_run(state, user, run_id).await?;
    state
        .db
        .abandon_run(row.id, user.id, now())
        .await
        .map_err(internal)?;
    Ok(format!("/practice/{}", p.id))
}

/// Abandons the run if unfinished and starts the same scenario again, clean, in the same mode.
pub async fn reset(state: &AppState, user: &CurrentUser, run_id: i64) -> Result<String, AppError> {
    let (row, p, s) = owned_run(state, user, run_id).await?;
    state
        .db
        .abandon_run(row.id, user.id, now())
        .await
        .map_err(internal)?;
    start(state, user, &p.id, &s.id, &row.mode).await
}

fn step_title(p: &Procedure, step: &str, locale: Locale) -> String {
    match step {
        STEP_LOGIN => tr_in!(locale, "practice.step.login"),
        STEP_FIND => tr_in!(locale, "practice.step.find"),
        STEP_DOCUMENTS => tr_in!(locale, "practice.step.documents"),
        STEP_DELIVERY => tr_in!(locale, "practice.step.delivery"),
        STEP_FEE => tr_in!(locale, "practice.step.fee"),
        STEP_CONFIRM => tr_in!(locale, "practice.step.confirm"),
        section => p
            .sections
            .iter()
            .find(|s| s.id == section)
            .map(|s| s.title.get(locale).to_owned())
            .unwrap_or_default(),
    }
}

/// The catalog key of a problem's message.
pub fn problem_key(problem: Problem) -> &'static str {
    use crate::domain::procedure::IdProblem;
    match problem {
        Problem::Missing => "practice.problem.missing",
        Problem::NotAName => "practice.problem.not_a_name",
        Problem::NotAPhone => "practice.problem.not_a_phone",
        Problem::NotADate => "practice.problem.not_a_date",
        Problem::NoSuchDay => "practice.problem.no_such_day",
        Problem::NotAnId(IdProblem::Length) => "practice.problem.id_length",
        Problem::NotAnId(IdProblem::Digits) => "practice.problem.id_digits",
        Problem::NotAnId(IdProblem::Province) => "practice.problem.id_province",
        Problem::NotAnEthnicity => "practice.problem.not_an_ethnicity",
        Problem::NationalityAsEthnicity => "practice.problem.nationality_as_ethnicity",
        Problem::AbolishedDistrict => "practice.problem.abolished_district",
        Problem::WordsDoNotMatch => "practice.problem.words_do_not_match",
        Problem::NotAnOption => "practice.problem.not_an_option",
        Problem::OutOfRange => "practice.problem.out_of_range",
        Problem::IdSexMismatch => "practice.problem.id_sex_mismatch",
        Problem::IdBirthYearMismatch => "practice.problem.id_birth_year_mismatch",
        Problem::DateOrder => "practice.problem.date_order",
        Problem::TooOld => "practice.problem.too_old",
    }
}

/// The problems instant feedback can find in a field of this kind.
fn possible_problems(kind: &FieldKind, required: bool) -> Vec<Problem> {
    use crate::domain::procedure::IdProblem;
    let mut list = Vec::new();
    if required {
        list.push(Problem::Missing);
    }
    list.extend(match kind {
        FieldKind::Text | FieldKind::Choice { .. } | FieldKind::Sex => vec![],
        FieldKind::FullName => vec![Problem::NotAName],
        FieldKind::CitizenId => vec![
            Problem::NotAnId(IdProblem::Length),
            Problem::NotAnId(IdProblem::Digits),
            Problem::NotAnId(IdProblem::Province),
        ],
        FieldKind::Phone => vec![Problem::NotAPhone],
        FieldKind::Date => vec![Problem::NotADate, Problem::NoSuchDay],
        FieldKind::DateInWords { .. } => vec![Problem::WordsDoNotMatch],
        FieldKind::Ethnicity => vec![Problem::NotAnEthnicity, Problem::NationalityAsEthnicity],
        FieldKind::Address => vec![Problem::AbolishedDistrict],
        FieldKind::Number { .. } => vec![Problem::OutOfRange],
    });
    list
}

fn sex_options(locale: Locale) -> Vec<(String, String)> {
    vec![
        ("nam".to_owned(), tr_in!(locale, "practice.sex.male")),
        ("nu".to_owned(), tr_in!(locale, "practice.sex.female")),
    ]
}

/// How a value reads on a page: an option's label for choices, "(empty)" for nothing.
fn display_value(p: &Procedure, field: &str, value: &str, locale: Locale) -> String {
    if value.trim().is_empty() {
        return tr_in!(locale, "practice.empty");
    }
    match p.field(field).map(|f| (&f.field.kind, &f.options)) {
        Some((FieldKind::Sex, _)) => sex_options(locale)
            .into_iter()
            .find(|(v, _)| v == value.trim())
            .map(|(_, l)| l)
            .unwrap_or_else(|| value.to_owned()),
        Some((FieldKind::Choice { .. }, options)) => options
            .iter()
            .find(|(v, _)| v == value.trim())
            .map(|(_, l)| l.get(locale).to_owned())
            .unwrap_or_else(|| value.to_owned()),
        _ => value.to_owned(),
    }
}

fn money(amount: u32, locale: Locale) -> String {
    let digits = amount.to_string();
    let separator = if locale == Locale::Vi { '.' } else { ',' };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    tr_in!(locale, "practice.dong").replace("%{amount}", &out)
}

/// The step to show: the one asked for if already reached, else the run's current step.
fn shown_step<'a>(
    p: &'a Procedure,
    row: &'a RunRow,
    inputs: &RunInputs,
    asked: Option<&str>,
) -> String {
    let steps = p.steps();
    if let Some(asked) = asked {
        if let Some(i) = steps.iter().position(|s| *s == asked) {
            if i <= inputs.reached {
                return asked.to_owned();
            }
        }
    }
    if steps.contains(&row.step.as_str()) {
        row.step.clone()
    } else {
        STEP_LOGIN.to_owned()
    }
}

pub async fn run(
    state: &AppState,
    user: &CurrentUser,
    run_id: i64,
    asked: Option<&str>,
) -> Result<RunView, AppError> {
    let locale = use_locale();
    let (row, p, s) = owned_run(state, user, run_id).await?;
    let inputs = inputs_of(&row);
    let mode = mode_of(&row);
    let step_id = shown_step(p, &row, &inputs, asked);
    let steps = p.steps();
    let current = steps.iter().position(|x| *x == step_id).unwrap_or(0);
    let guided = mode == Mode::Guided;
    let step = match step_id.as_str() {
        STEP_LOGIN => StepView::Login {
            value: inputs.login.clone(),
        },
        STEP_FIND => {
            // The procedure among the others of the sandbox, in a stable order.
            let mut procedures: Vec<(String, String)> = state
                .content
                .sandbox
                .procedures
                .iter()
                .map(|x| (x.id.clone(), x.title.get(locale).to_owned()))
                .collect();
            procedures.sort_by(|a, b| a.1.cmp(&b.1));
            StepView::Find {
                procedures,
                chosen: inputs.procedure.clone(),
                authorities: p
                    .authority_options
                    .iter()
                    .map(|a| (a.clone(), agency_name(state, a, locale)))
                    .collect(),
                authority: inputs.authority.clone(),
            }
        }
        STEP_DOCUMENTS => StepView::Documents {
            documents: p
                .documents
                .iter()
                .map(|d| {
                    (
                        d.id.clone(),
                        d.name.get(locale).to_owned(),
                        d.when.as_ref().map(|w| w.get(locale).to_owned()),
                        inputs.documents.contains(&d.id),
                    )
                })
                .collect(),
        },
        STEP_DELIVERY => StepView::Delivery {
            options: p
                .delivery_options
                .iter()
                .map(|d| (d.clone(), delivery_name(state, d, locale)))
                .collect(),
            chosen: inputs.delivery.clone(),
        },
        STEP_FEE => StepView::Fee {
            note: guided
                .then(|| p.fee.note.as_ref().map(|n| n.get(locale).to_owned()))
                .flatten(),
            value: inputs.fee.clone(),
        },
        STEP_CONFIRM => StepView::Confirm {
            summary: confirm_summary(state, p, &inputs, locale),
        },
        section => {
            let section = p
                .sections
                .iter()
                .find(|x| x.id == section)
                .ok_or(AppError::NotFound)?;
            StepView::Section {
                title: section.title.get(locale).to_owned(),
                fields: section
                    .fields
                    .iter()
                    .map(|f| {
                        let id = &f.field.id;
                        FieldView {
                            id: id.clone(),
                            label: f.label.get(locale).to_owned(),
                            help: guided
                                .then(|| f.help.as_ref().map(|h| h.get(locale).to_owned()))
                                .flatten(),
                            kind: f.field.kind.clone(),
                            required: f.field.required,
                            value: inputs.values.get(id).cloned().unwrap_or_default(),
                            options: match f.field.kind {
                                FieldKind::Sex => sex_options(locale),
                                _ => f
                                    .options
                                    .iter()
                                    .map(|(v, l)| (v.clone(), l.get(locale).to_owned()))
                                    .collect(),
                            },
                            hint: (guided && inputs.hinted.contains(id)).then(|| {
                                let right = s.values.get(id).map(String::as_str).unwrap_or("");
                                display_value(p, id, right, locale)
                            }),
                            messages: if guided {
                                possible_problems(&f.field.kind, f.field.required)
                                    .into_iter()
                                    .map(|problem| (problem, tr_in!(locale, problem_key(problem))))
                                    .collect()
                            } else {
                                Vec::new()
                            },
                        }
                    })
                    .collect(),
            }
        }
    };
    let minutes_left = (mode == Mode::Exam).then(|| {
        let deadline = row.started_at + i64::from(p.exam_minutes) * 60;
        (deadline - now()).div_euclid(60)
    });
    Ok(RunView {
        id: row.id,
        procedure_id: p.id.clone(),
        procedure_title: p.title.get(locale).to_owned(),
        scenario_title: s.title.get(locale).to_owned(),
        brief_html: s.brief_html.get(locale).to_owned(),
        mode,
        steps: steps
            .iter()
            .enumerate()
            .map(|(i, id)| StepLink {
                id: (*id).to_owned(),
                title: step_title(p, id, locale),
                reached: i <= inputs.reached,
                current: i == current,
            })
            .collect(),
        step_id,
        step,
        minutes_left,
        hints_used: row.hints_used.clamp(0, i64::from(u32::MAX)) as u32,
        finished: row.status != "active",
        submitted: row.status == "submitted",
        outdated: row.status == "active" && row.procedure_version != i64::from(p.version),
    })
}

fn confirm_summary(
    state: &AppState,
    p: &Procedure,
    inputs: &RunInputs,
    locale: Locale,
) -> Vec<(String, String)> {
    let mut summary = vec![
        (
            tr_in!(locale, "practice.find.procedure"),
            state
                .content
                .sandbox
                .procedure(&inputs.procedure)
                .map(|x| x.title.get(locale).to_owned())
                .unwrap_or_default(),
        ),
        (
            tr_in!(locale, "practice.find.authority"),
            agency_name(state, &inputs.authority, locale),
        ),
    ];
    for f in p.form_fields() {
        let value = inputs.values.get(&f.field.id).cloned().unwrap_or_default();
        summary.push((
            f.label.get(locale).to_owned(),
            display_value(p, &f.field.id, &value, locale),
        ));
    }
    let documents: Vec<String> = p
        .documents
        .iter()
        .filter(|d| inputs.documents.contains(&d.id))
        .map(|d| d.name.get(locale).to_owned())
        .collect();
    summary.push((
        tr_in!(locale, "practice.step.documents"),
        if documents.is_empty() {
            tr_in!(locale, "practice.empty")
        } else {
            documents.join("; ")
        },
    ));
    summary.push((
        tr_in!(locale, "practice.step.delivery"),
        if inputs.delivery.is_empty() {
            tr_in!(locale, "practice.empty")
        } else {
            delivery_name(state, &inputs.delivery, locale)
        },
    ));
    summary.push((
        tr_in!(locale, "practice.step.fee"),
        parse_money(&inputs.fee)
            .map(|a| money(a, locale))
            .unwrap_or_else(|| tr_in!(locale, "practice.empty")),
    ));
    summary
}

/// The value of `name` in a posted form, trimmed.
fn posted<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .unwrap_or("")
}

/// What the posted step asks for.
enum Action {
    Next,
    Back,
    Hint(String),
    Submit,
}

/// Handles one posted step: saves what was entered, checks it (guided: everything the domain
/// rules and the brief say; exam: only what the portal itself refuses) and returns where to go
/// next. On a problem the inputs are still saved, and the errors come back for the page. A run
/// that is not the learner's is not found (the outer error).
pub async fn post_step(
    state: &AppState,
    user: &CurrentUser,
    run_id: i64,
    form: &[(String, String)],
    locale: Locale,
) -> Result<Result<String, FormErrors>, AppError> {
    let (row, p, s) = owned_run(state, user, run_id).await?;
    if row.status == "active" && row.procedure_version != i64::from(p.version) {
        // The procedure's rules changed since the run began: it cannot be scored fairly.
        return Ok(Err(FormErrors::general("practice.outdated")));
    }
    Ok(step_run(state, user, &row, p, s, form, locale).await)
}

async fn step_run(
    state: &AppState,
    user: &CurrentUser,
    row: &RunRow,
    p: &Procedure,
    s: &Scenario,
    form: &[(String, String)],
    locale: Locale,
) -> Result<String, FormErrors> {
    let run_url = format!("/practice/run/{}", row.id);
    if row.status != "active" {
        return Ok(if row.status == "submitted" {
            format!("{run_url}/review")
        } else {
            format!("/practice/{}", p.id)
        });
    }
    let mode = mode_of(row);
    let guided = mode == Mode::Guided;
    let mut inputs = inputs_of(row);
    let steps = p.steps();
    let step = shown_step(p, row, &inputs, Some(posted(form, "step")));
    let index = steps.iter().position(|x| *x == step).unwrap_or(0);
    let action = match posted(form, "action") {
        "back" => Action::Back,
        "submit" => Action::Submit,
        a => match a.strip_prefix("hint:") {
            Some(field) => Action::Hint(field.to_owned()),
            None => Action::Next,
        },
    };

    // Take in this step's inputs.
    let mut errors = FormErrors::default();
    match step.as_str() {
        STEP_LOGIN => inputs.login = posted(form, "login").to_owned(),
        STEP_FIND => {
            inputs.procedure = posted(form, "procedure").to_owned();
            inputs.authority = posted(form, "authority").to_owned();
        }
        STEP_DOCUMENTS => {
            inputs.documents = form
                .iter()
                .filter(|(k, v)| k == "documents" && p.document(v).is_some())
                .map(|(_, v)| v.clone())
                .collect();
        }
        STEP_DELIVERY => inputs.delivery = posted(form, "delivery").to_owned(),
        STEP_FEE => inputs.fee = posted(form, "fee").to_owned(),
        STEP_CONFIRM => {}
        section => {
            if let Some(section) = p.sections.iter().find(|x| x.id == section) {
                for f in &section.fields {
                    let value: String = posted(form, &f.field.id).chars().take(500).collect();
                    inputs.values.insert(f.field.id.clone(), value);
                }
            }
        }
    }

    let mut hints_used = row.hints_used;
    let mut go_to = index;
    let mut anchor = None;
    match action {
        Action::Back => go_to = index.saturating_sub(1),
        Action::Hint(ref field) => {
            let in_this_step = p
                .sections
                .iter()
                .find(|x| x.id == step)
                .is_some_and(|x| x.fields.iter().any(|f| &f.field.id == field));
            if guided && in_this_step {
                anchor = Some(field.clone());
                if inputs.hinted.insert(field.clone()) {
                    hints_used += 1;
                }
            }
        }
        Action::Next | Action::Submit => {
            check_step(p, s, &step, &inputs, guided, locale, &mut errors);
            if errors.is_empty() {
                go_to = (index + 1).min(steps.len() - 1);
            }
        }
    }
    let submitting = matches!(action, Action::Submit) && step == STEP_CONFIRM && errors.is_empty();
    inputs.reached = inputs.reached.max(go_to);
    let json = leptos::serde_json::to_string(&inputs).map_err(|e| {
        tracing::error!(error = %e, "run inputs did not serialise");
        FormErrors::internal()
    })?;
    if submitting {
        let at = now();
        let seconds = (at - row.started_at).max(0);
        let score = score_of(p, s, &inputs, mode, seconds, hints_used);
        let findings = leptos::serde_json::to_string(&score).map_err(|_| FormErrors::internal())?;
        // Only exam runs are evidence: guided runs help, so they prove less.
        let evidence = match mode {
            Mode::Exam => super::competency::run_evidence(p, score.percent, at),
            Mode::Guided => Vec::new(),
        };
        let recorded = state
            .db
            .submit_run(
                row.id,
                user.id,
                row.revision,
                &RunResult {
                    inputs: json,
                    submitted_at: at,
                    seconds,
                    points: i64::from(score.points),
                    max_points: i64::from(score.max),
                    percent: i64::from(score.percent),
                    passed: score.passed,
                    findings,
                },
                &evidence,
            )
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "recording a run failed");
                FormErrors::internal()
            })?;
        if !recorded {
            // Submitted or changed meanwhile, in another tab: the stored run stands.
            return Err(FormErrors::general("practice.run_changed"));
        }
        if mode == Mode::Exam {
            super::competency::evidence_added(state, user.id).await;
        }
        if score.passed && (mode == Mode::Exam || hints_used == 0) {
            super::deploy::practised_unaided(state, user, &p.id, at).await;
        }
        tracing::info!(
            run = row.id,
            account = user.id,
            percent = score.percent,
            "run submitted"
        );
        return Ok(format!("{run_url}/review"));
    }
    let next_step = steps[go_to];
    let saved = state
        .db
        .save_run(
            row.id,
            user.id,
            row.revision,
            next_step,
            &json,
            hints_used,
            now(),
        )
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "saving a run failed");
            FormErrors::internal()
        })?;
    if !saved {
        return Err(FormErrors::general("practice.run_changed"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(match anchor {
        Some(field) => format!("{run_url}?step={step}#{field}"),
        None => format!("{run_url}?step={next_step}"),
    })
}

/// Checks one step's inputs. Exam runs are refused only what the real portal refuses.
fn check_step(
    p: &Procedure,
    s: &Scenario,
    step: &str,
    inputs: &RunInputs,
    guided: bool,
    locale: Locale,
    errors: &mut FormErrors,
) {
    match step {
        STEP_LOGIN => {
            let account = s
                .values
                .get(&p.login_field)
                .map(String::as_str)
                .unwrap_or("");
            let login_field = crate::domain::procedure::Field {
                id: "login".into(),
                kind: FieldKind::CitizenId,
                required: true,
            };
            if let Some(problem) = check_field(&login_field, &inputs.login, &Values::new()) {
                errors.add("login", problem_key(problem));
            } else if guided && !same_value(&FieldKind::CitizenId, &inputs.login, account) {
                // Exam runs say nothing about the ID, which the form scores (and may trap).
                errors.add("login", "practice.login.wrong_account");
            }
        }
        STEP_FIND => {
            if inputs.procedure != p.id {
                errors.add("procedure", "practice.find.wrong_procedure");
            }
            if !p.authority_options.contains(&inputs.authority) {
                errors.add("authority", "practice.find.choose_authority");
            }
        }
        STEP_DELIVERY if !p.delivery_options.contains(&inputs.delivery) => {
            errors.add("delivery", "practice.delivery.choose");
        }
        STEP_FEE if parse_money(&inputs.fee).is_none() => {
            errors.add("fee", "practice.fee.not_a_number");
        }
        STEP_DELIVERY | STEP_FEE | STEP_DOCUMENTS | STEP_CONFIRM => {}
        section if guided => {
            let Some(section) = p.sections.iter().find(|x| x.id == section) else {
                return;
            };
            let ids: BTreeSet<&str> = section.fields.iter().map(|f| f.field.id.as_str()).collect();
            // The domain's rules over everything entered so far, kept to this screen's fields.
            let problems = crate::domain::procedure::validate(
                &p.fields()
                    .into_iter()
                    .filter(|f| ids.contains(f.id.as_str()))
                    .collect::<Vec<_>>(),
                &p.rules,
                &inputs.values,
                s.filing_date,
            );
            for f in &section.fields {
                let id = &f.field.id;
                let name = f.label.get(locale).to_owned();
                if let Some(problem) = problems.iter().find(|x| &x.field == id) {
                    errors.add_named(id.clone(), problem_key(problem.problem), name);
                    continue;
                }
                let given = inputs.values.get(id).map(String::as_str).unwrap_or("");
                if let Some(right) = s.values.get(id) {
                    if !same_value(&f.field.kind, given, right) {
                        errors.add_named(id.clone(), "practice.problem.not_as_in_brief", name);
                    }
                }
            }
        }
        _ => {}
    }
}

/// The authoritative score of a run's inputs.
pub fn score_of(
    p: &Procedure,
    s: &Scenario,
    inputs: &RunInputs,
    mode: Mode,
    seconds: i64,
    hints_used: i64,
) -> RunScore {
    let submission = submission_of(inputs, mode, seconds, hints_used);
    score_run(
        &p.fields(),
        &p.rules,
        &s.values,
        &s.expected,
        &submission,
        s.filing_date,
        p.marking(mode == Mode::Exam),
    )
}

/// What a run's inputs submit.
fn submission_of(inputs: &RunInputs, mode: Mode, seconds: i64, hints_used: i64) -> Submission {
    Submission {
        values: inputs.values.clone(),
        choices: Choices {
            authority: inputs.authority.clone(),
            delivery: inputs.delivery.clone(),
            // An amount that is not a number cannot reach here; count it as wrong if it does.
            fee: parse_money(&inputs.fee).unwrap_or(u32::MAX),
            documents: inputs.documents.clone(),
        },
        hints_used: if mode == Mode::Guided {
            hints_used.clamp(0, i64::from(u32::MAX)) as u32
        } else {
            0
        },
        seconds: seconds.clamp(0, i64::from(u32::MAX)) as u32,
    }
}

fn trap_description(p: &Procedure, trap: &Trap, locale: Locale) -> String {
    let label = |field: &str| {
        p.field(field)
            .map(|f| f.label.get(locale).to_owned())
            .unwrap_or_else(|| field.to_owned())
    };
    let text = |key: &str, field: &str| tr_in!(locale, key).replace("%{field}", &label(field));
    match trap {
        Trap::EthnicityVietNam { field } => text("practice.trap.ethnicity_viet_nam", field),
        Trap::RelationshipOther { field, .. } => text("practice.trap.relationship_other", field),
        Trap::DateInWordsLeftOut { field } => text("practice.trap.date_in_words_left_out", field),
        Trap::OldDistrict { field, .. } => text("practice.trap.old_district", field),
        Trap::TransposedId { field, .. } => text("practice.trap.transposed_id", field),
        Trap::HometownConfusion { field, .. } => text("practice.trap.hometown_confusion", field),
        Trap::WrongFee { .. } => tr_in!(locale, "practice.trap.wrong_fee"),
    }
}

/// The review of a submitted run: score, dossier status, each mistake explained with its rule,
/// the right answer and the lesson that teaches it, and the scenario's traps.
pub async fn review(
    state: &AppState,
    user: &CurrentUser,
    run_id: i64,
) -> Result<ReviewView, AppError> {
    let locale = use_locale();
    let (row, p, s) = owned_run(state, user, run_id).await?;
    if row.status != "submitted" {
        return Err(AppError::NotFound);
    }
    let score: RunScore = row
        .findings
        .as_deref()
        .and_then(|f| leptos::serde_json::from_str(f).ok())
        .ok_or_else(|| internal("a submitted run has no readable findings"))?;
    let mode = mode_of(&row);
    let submitted_inputs = submission_of(&inputs_of(&row), mode, 0, 0);
    let field_label = |id: &str| {
        p.field(id)
            .map(|f| f.label.get(locale).to_owned())
            .unwrap_or_else(|| id.to_owned())
    };
    let field_lesson = |id: &str| {
        let lesson = p.field(id).map(|f| &f.lesson).unwrap_or(&p.lesson);
        Some(lesson_link(state, lesson, locale))
    };
    let procedure_lesson = Some(lesson_link(state, &p.lesson, locale));
    let mut mistakes = Vec::new();
    let broken = |field: &str| {
        score.findings.iter().find_map(|f| match f {
            Finding::RuleBroken(problem) if problem.field == field => Some(problem.problem),
            _ => None,
        })
    };
    let mut explained: BTreeSet<String> = BTreeSet::new();
    for finding in &score.findings {
        match finding {
            Finding::FieldWrong {
                field,
                expected,
                given,
            } => {
                explained.insert(field.clone());
                let rule = match broken(field) {
                    Some(problem) => tr_in!(locale, problem_key(problem)),
                    None => tr_in!(locale, "practice.problem.not_as_in_brief"),
                };
                mistakes.push(MistakeView {
                    what: field_label(field),
                    rule,
                    given: display_value(p, field, given, locale),
                    right: display_value(p, field, expected, locale),
                    lesson: field_lesson(field),
                });
            }
            Finding::RuleBroken(problem) if !explained.contains(&problem.field) => {
                explained.insert(problem.field.clone());
                let given = row_value(&row, &problem.field);
                mistakes.push(MistakeView {
                    what: field_label(&problem.field),
                    rule: tr_in!(locale, problem_key(problem.problem)),
                    given: display_value(p, &problem.field, &given, locale),
                    right: s
                        .values
                        .get(&problem.field)
                        .map(|v| display_value(p, &problem.field, v, locale))
                        .unwrap_or_else(|| tr_in!(locale, "practice.empty")),
                    lesson: field_lesson(&problem.field),
                });
            }
            Finding::DocumentMissing(id) => mistakes.push(MistakeView {
                what: p
                    .document(id)
                    .map(|d| d.name.get(locale).to_owned())
                    .unwrap_or_else(|| id.clone()),
                rule: tr_in!(locale, "practice.review.document_missing"),
                given: tr_in!(locale, "practice.review.not_attached"),
                right: tr_in!(locale, "practice.review.attached"),
                lesson: procedure_lesson.clone(),
            }),
            Finding::DocumentNotNeeded(id) => mistakes.push(MistakeView {
                what: p
                    .document(id)
                    .map(|d| d.name.get(locale).to_owned())
                    .unwrap_or_else(|| id.clone()),
                rule: tr_in!(locale, "practice.review.document_not_needed"),
                given: tr_in!(locale, "practice.review.attached"),
                right: tr_in!(locale, "practice.review.not_attached"),
                lesson: procedure_lesson.clone(),
            }),
            Finding::WrongAuthority { expected, given } => mistakes.push(MistakeView {
                what: tr_in!(locale, "practice.find.authority"),
                rule: tr_in!(locale, "practice.review.wrong_authority"),
                given: if given.is_empty() {
                    tr_in!(locale, "practice.empty")
                } else {
                    agency_name(state, given, locale)
                },
                right: agency_name(state, expected, locale),
                lesson: procedure_lesson.clone(),
            }),
            Finding::WrongDelivery { expected, given } => mistakes.push(MistakeView {
                what: tr_in!(locale, "practice.step.delivery"),
                rule: tr_in!(locale, "practice.review.wrong_delivery"),
                given: if given.is_empty() {
                    tr_in!(locale, "practice.empty")
                } else {
                    delivery_name(state, given, locale)
                },
                right: delivery_name(state, expected, locale),
                lesson: procedure_lesson.clone(),
            }),
            Finding::WrongFee { expected, given } => mistakes.push(MistakeView {
                what: tr_in!(locale, "practice.step.fee"),
                rule: p
                    .fee
                    .note
                    .as_ref()
                    .map(|n| n.get(locale).to_owned())
                    .unwrap_or_else(|| tr_in!(locale, "practice.review.wrong_fee")),
                given: if *given == u32::MAX {
                    tr_in!(locale, "practice.empty")
                } else {
                    money(*given, locale)
                },
                right: money(*expected, locale),
                lesson: Some(lesson_link(
                    state,
                    &(
                        "thanh-toan-le-phi".to_owned(),
                        "le-phi-kiem-tra-so-tien".to_owned(),
                    ),
                    locale,
                ))
                .filter(|_| state.content.module("thanh-toan-le-phi").is_some())
                .or(procedure_lesson.clone()),
            }),
            _ => {}
        }
    }
    let fields_total = score
        .findings
        .iter()
        .filter(|f| matches!(f, Finding::FieldRight { .. } | Finding::FieldWrong { .. }))
        .count();
    let fields_right = score
        .findings
        .iter()
        .filter(|f| matches!(f, Finding::FieldRight { .. }))
        .count();
    let returned = score
        .findings
        .iter()
        .any(|f| matches!(f, Finding::RuleBroken(_)));
    let submitted = row.submitted_at.unwrap_or(row.started_at);
    let breakdown = breakdown(s, &score, fields_right, fields_total, locale);
    Ok(ReviewView {
        id: row.id,
        procedure_id: p.id.clone(),
        procedure_title: p.title.get(locale).to_owned(),
        scenario_id: s.id.clone(),
        scenario_title: s.title.get(locale).to_owned(),
        mode,
        dossier_code: format!(
            "MP-{:02}{:02}{:02}-{:06}",
            s.filing_date.year % 100,
            s.filing_date.month,
            s.filing_date.day,
            row.id
        ),
        points: score.points,
        max: score.max,
        percent: score.percent,
        pass_mark: p.pass_mark,
        passed: score.passed,
        returned,
        minutes: ((submitted - row.started_at).max(0) / 60) as u32,
        time_limit_minutes: (mode == Mode::Exam).then_some(p.exam_minutes),
        hints_used: row.hints_used.clamp(0, i64::from(u32::MAX)) as u32,
        fields_right,
        fields_total,
        breakdown,
        mistakes,
        traps: s
            .traps
            .iter()
            .map(|t| TrapView {
                description: trap_description(p, t, locale),
                fell: t.fell_for(&submitted_inputs, &s.values),
            })
            .collect(),
    })
}

/// The score, part by part, as the review explains it.
fn breakdown(
    s: &Scenario,
    score: &RunScore,
    fields_right: usize,
    fields_total: usize,
    locale: Locale,
) -> Vec<(String, String)> {
    let marking = crate::domain::procedure::Marking::default();
    let count = |test: &dyn Fn(&Finding) -> bool| score.findings.iter().filter(|f| test(f)).count();
    let right_or_wrong = |wrong: usize| {
        tr_in!(
            locale,
            if wrong > 0 {
                "practice.score.wrong"
            } else {
                "practice.score.right"
            }
        )
    };
    let line = |key: &str, pairs: &[(&str, usize)]| {
        let mut text = tr_in!(locale, key);
        for (name, value) in pairs {
            text = text.replace(&format!("%{{{name}}}"), &value.to_string());
        }
        text
    };
    let points = marking.field_points as usize;
    let missing = count(&|f| matches!(f, Finding::DocumentMissing(_)));
    let needed = s.expected.documents.len();
    let mut lines = vec![
        (
            tr_in!(locale, "practice.score.fields"),
            line(
                "practice.score.fields_value",
                &[
                    ("right", fields_right),
                    ("total", fields_total),
                    ("points", fields_right * points),
                    ("max", fields_total * points),
                ],
            ),
        ),
        (
            tr_in!(locale, "practice.find.authority"),
            right_or_wrong(count(&|f| matches!(f, Finding::WrongAuthority { .. }))),
        ),
        (
            tr_in!(locale, "practice.step.delivery"),
            right_or_wrong(count(&|f| matches!(f, Finding::WrongDelivery { .. }))),
        ),
        (
            tr_in!(locale, "practice.step.fee"),
            right_or_wrong(count(&|f| matches!(f, Finding::WrongFee { .. }))),
        ),
        (
            tr_in!(locale, "practice.step.documents"),
            line(
                "practice.score.documents_value",
                &[
                    ("attached", needed.saturating_sub(missing)),
                    ("needed", needed),
                    (
                        "extra",
                        count(&|f| matches!(f, Finding::DocumentNotNeeded(_))),
                    ),
                ],
            ),
        ),
    ];
    for finding in &score.findings {
        match finding {
            Finding::HintsUsed(n) => lines.push((
                tr_in!(locale, "practice.score.hints"),
                line(
                    "practice.score.minus",
                    &[("points", (n * marking.hint_penalty) as usize)],
                ),
            )),
            Finding::OverTime { seconds, limit } => {
                let minutes = seconds.saturating_sub(*limit).div_ceil(60) as usize;
                lines.push((
                    tr_in!(locale, "practice.score.over_time"),
                    line(
                        "practice.score.over_time_value",
                        &[("minutes", minutes), ("points", minutes)],
                    ),
                ));
            }
            _ => {}
        }
    }
    let broken = count(&|f| matches!(f, Finding::RuleBroken(_)));
    if broken > 0 {
        lines.push((
            tr_in!(locale, "practice.score.rules"),
            line("practice.score.rules_value", &[("count", broken)]),
        ));
    }
    lines
}

fn row_value(row: &RunRow, field: &str) -> String {
    inputs_of(row)
        .values
        .get(field)
        .cloned()
        .unwrap_or_default()
}
