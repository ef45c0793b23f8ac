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

use super::{internal, now, AppState};
use crate::content::procedures::{
    Procedure, Scenario, STEP_CONFIRM, STEP_DELIVERY, STEP_DOCUMENTS, STEP_FEE, STEP_FIND,
    STEP_LOGIN,
};
use crate::domain::practice::{Mode, RunStatus};
use crate::domain::procedure::{
    check_field, parse_money, same_value, score_run, Choices, FieldKind, Problem, RunScore,
    Submission, Values,
};
use crate::domain::Cohort;
use crate::i18n::{use_locale, Locale};
use crate::store::{NewRun, RunResult, RunRow};
use crate::tr_in;
use crate::types::form::{FormErrors, FormInput, Posted};
use crate::types::practice::{
    FieldView, ProcedureEntry, ProcedureView, RunSummary, RunView, ScenarioEntry, StepLink,
    StepOutcome, StepView,
};
use crate::types::{paths, AppError, CurrentUser};

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
pub(super) async fn owned_run<'a>(
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

pub(super) fn inputs_of(row: &RunRow) -> RunInputs {
    leptos::serde_json::from_str(&row.inputs).unwrap_or_default()
}

pub(super) fn percent_of(row: &RunRow) -> Option<u32> {
    row.percent.map(|p| p.clamp(0, 100) as u32)
}

/// Best exam percentage and whether an exam run passed, over `runs` of one scenario or procedure.
fn best_exam<'a>(runs: impl Iterator<Item = &'a RunRow>) -> (Option<u32>, bool) {
    runs.filter(|r| r.mode() == Mode::Exam && r.status() == RunStatus::Submitted)
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
                active_runs: mine().filter(|r| r.status().is_active()).count(),
            }
        })
        .collect())
}

pub(super) fn lesson_link(
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
    (paths::lesson(module, lesson), title)
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
        .any(|r| r.status().is_active() && r.mode() == Mode::Exam);
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
                        .find(|r| r.status().is_active())
                        .map(|r| (r.id, r.mode())),
                    best_exam: best_exam(of_scenario()).0,
                    seen: of_scenario()
                        .any(|r| r.mode() == Mode::Guided || r.submitted_at.is_some()),
                }
            })
            .collect(),
        history: runs
            .iter()
            .map(|r| RunSummary {
                id: r.id,
                scenario_title: scenario_title(&r.scenario_id),
                mode: r.mode(),
                status: r.status(),
                percent: percent_of(r),
                passed: r.passed == Some(1),
            })
            .collect(),
    })
}

pub(super) fn agency_name(state: &AppState, id: &str, locale: Locale) -> String {
    state
        .content
        .sandbox
        .authority(id)
        .map(|a| a.name.get(locale).to_owned())
        .unwrap_or_else(|| id.to_owned())
}

pub(super) fn delivery_name(state: &AppState, id: &str, locale: Locale) -> String {
    state
        .content
        .sandbox
        .delivery(id)
        .map(|a| a.name.get(locale).to_owned())
        .unwrap_or_else(|| id.to_owned())
}

/// Starts (or resumes) the learner's run of a scenario. Returns the run's id.
pub async fn start(
    state: &AppState,
    user: &CurrentUser,
    procedure_id: &str,
    scenario_id: &str,
    mode: Option<Mode>,
) -> Result<i64, AppError> {
    let p = visible_procedure(state, user, procedure_id)?;
    let s = p.scenario(scenario_id).ok_or(AppError::NotFound)?;
    let mode = mode.ok_or(AppError::BadRequest)?;
    let inputs = leptos::serde_json::to_string(&RunInputs::default()).map_err(internal)?;
    let id = state
        .db
        .start_run(&NewRun {
            account_id: user.id,
            procedure_id: p.id.clone(),
            procedure_version: i64::from(p.version),
            scenario_id: s.id.clone(),
            mode,
            step: STEP_LOGIN.to_owned(),
            inputs,
            started_at: now(),
        })
        .await
        .map_err(internal)?;
    Ok(id)
}

/// Abandons the learner's unfinished run. Returns its procedure's id.
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
    Ok(p.id.clone())
}

/// Abandons the run if unfinished and starts the same scenario again, clean, in the same mode.
/// Returns the new run's id.
pub async fn reset(state: &AppState, user: &CurrentUser, run_id: i64) -> Result<i64, AppError> {
    let (row, p, s) = owned_run(state, user, run_id).await?;
    state
        .db
        .abandon_run(row.id, user.id, now())
        .await
        .map_err(internal)?;
    start(state, user, &p.id, &s.id, Some(row.mode())).await
}

pub(super) fn step_title(p: &Procedure, step: &str, locale: Locale) -> String {
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
pub(super) fn display_value(p: &Procedure, field: &str, value: &str, locale: Locale) -> String {
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

pub(super) fn money(amount: u32, locale: Locale) -> String {
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
    let mode = row.mode();
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
        finished: !row.status().is_active(),
        submitted: row.status() == RunStatus::Submitted,
        outdated: row.status().is_active() && row.procedure_version != i64::from(p.version),
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
fn posted<'a>(form: &'a FormInput, name: &str) -> &'a str {
    form.get(name).trim()
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
/// that is not the learner's is not found.
pub async fn post_step(
    state: &AppState,
    user: &CurrentUser,
    run_id: i64,
    form: &FormInput,
    locale: Locale,
) -> Posted<StepOutcome> {
    let (row, p, s) = owned_run(state, user, run_id).await?;
    if row.status().is_active() && row.procedure_version != i64::from(p.version) {
        // The procedure's rules changed since the run began: it cannot be scored fairly.
        return Err(FormErrors::general("practice.outdated").into());
    }
    step_run(state, user, &row, p, s, form, locale).await
}

async fn step_run(
    state: &AppState,
    user: &CurrentUser,
    row: &RunRow,
    p: &Procedure,
    s: &Scenario,
    form: &FormInput,
    locale: Locale,
) -> Posted<StepOutcome> {
    if !row.status().is_active() {
        return Ok(if row.status() == RunStatus::Submitted {
            StepOutcome::Submitted { run: row.id }
        } else {
            StepOutcome::Ended {
                procedure: p.id.clone(),
            }
        });
    }
    let mode = row.mode();
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
                .all("documents")
                .filter(|v| p.document(v).is_some())
                .map(str::to_owned)
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
    let json = leptos::serde_json::to_string(&inputs).map_err(internal)?;
    if submitting {
        let at = now();
        let seconds = (at - row.started_at).max(0);
        let score = score_of(p, s, &inputs, mode, seconds, hints_used);
        let findings = leptos::serde_json::to_string(&score).map_err(internal)?;
        // Only exam runs are evidence (guided runs help, so they prove less), and only on a
        // case the learner had not seen: a case practised with hints or reviewed is a copy.
        let fresh =
            mode.is_evidence() && !state.db.case_seen_before(row.id).await.map_err(internal)?;
        let evidence = if fresh {
            super::competency::run_evidence(p, score.percent, at)
        } else {
            Vec::new()
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
            .map_err(internal)?;
        if !recorded {
            // Submitted or changed meanwhile, in another tab: the stored run stands.
            return Err(FormErrors::general("practice.run_changed").into());
        }
        if mode.is_evidence() {
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
        return Ok(StepOutcome::Submitted { run: row.id });
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
        .map_err(internal)?;
    if !saved {
        return Err(FormErrors::general("practice.run_changed").into());
    }
    errors.into_result()?;
    Ok(match anchor {
        Some(field) => StepOutcome::At {
            run: row.id,
            step,
            anchor: Some(field),
        },
        None => StepOutcome::At {
            run: row.id,
            step: next_step.to_owned(),
            anchor: None,
        },
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
pub(super) fn submission_of(
    inputs: &RunInputs,
    mode: Mode,
    seconds: i64,
    hints_used: i64,
) -> Submission {
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
