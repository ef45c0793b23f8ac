//! The practice sandbox's pages: the procedures, one procedure with its scenarios, a run one
//! simulated portal screen at a time, and the review of a submitted run. Every step is a plain
//! form post, so a whole run works without JavaScript; in guided mode an island checks text
//! fields as the learner leaves them.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::guard;
use super::learner::{error_view, param};
use crate::api::practice::{get_procedure, get_procedures, get_review, get_run};
use crate::components::form::{use_form_outcome, ErrorSummary};
use crate::components::islands::CheckedInput;
use crate::domain::practice::{Mode, RunStatus};
use crate::domain::procedure::FieldKind;
use crate::domain::vn::ETHNIC_GROUPS;
use crate::domain::Role;
use crate::tr;
use crate::types::practice::{FieldView, ProcedureEntry, RunView, StepView};

fn difficulty(level: u8) -> String {
    match level {
        1 => tr!("practice.difficulty.easy"),
        2 => tr!("practice.difficulty.medium"),
        _ => tr!("practice.difficulty.hard"),
    }
}

fn mode_name(mode: Mode) -> String {
    match mode {
        Mode::Guided => tr!("practice.mode.guided"),
        Mode::Exam => tr!("practice.mode.exam"),
    }
}

#[component]
pub fn PracticeHome() -> impl IntoView {
    if let Err(page) = guard(|role| role == Role::Learner) {
        return page;
    }
    let list = Resource::new_blocking(|| (), |_| get_procedures());
    view! {
        <Title text=tr!("practice.title") />
        <h1 id="practice-home">{tr!("practice.title")}</h1>
        <p class="lead">{tr!("practice.lead")}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(entries) if entries.is_empty() => {
                        view! { <p>{tr!("practice.empty_list")}</p> }.into_any()
                    }
                    Ok(entries) => {
                        view! {
                            <ul class="cards">
                                {entries
                                    .into_iter()
                                    .map(|e| view! { <ProcedureCard entry=e /> })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn ProcedureCard(entry: ProcedureEntry) -> impl IntoView {
    let href = format!("/practice/{}", entry.id);
    let status = match (entry.passed_exam, entry.best_exam) {
        (true, Some(p)) => tr!("practice.status_passed", percent = p),
        (false, Some(p)) => tr!("practice.status_not_passed", percent = p),
        _ => tr!("practice.status_not_taken"),
    };
    view! {
        <li class="card" class:card-done=entry.passed_exam>
            <h3>
                <a href=href>{entry.title}</a>
            </h3>
            <p>{entry.summary}</p>
            <p class="meta">
                {tr!("practice.scenario_count", count = entry.scenarios)} " · " {status}
                {(entry.active_runs > 0)
                    .then(|| {
                        view! { " · " {tr!("practice.unfinished", count = entry.active_runs)} }
                    })}
            </p>
        </li>
    }
}

#[component]
pub fn ProcedurePage() -> impl IntoView {
    if let Err(page) = guard(|role| role == Role::Learner) {
        return page;
    }
    let id = param("procedure");
    let view = Resource::new_blocking(move || id.clone(), get_procedure);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(p) => {
                        let start = format!("/practice/{}/start", p.id);
                        view! {
                            <Title text=p.title.clone() />
                            <p class="breadcrumb">
                                <a href="/practice">{tr!("practice.title")}</a>
                            </p>
                            <h1>{p.title.clone()}</h1>
                            <p class="lead">{p.summary.clone()}</p>
                            <dl class="summary-list">
                                {p
                                    .code
                                    .clone()
                                    .map(|c| {
                                        view! {
                                            <div>
                                                <dt>{tr!("practice.code")}</dt>
                                                <dd>{c}</dd>
                                            </div>
                                        }
                                    })}
                                {p
                                    .authority
                                    .clone()
                                    .map(|a| {
                                        view! {
                                            <div>
                                                <dt>{tr!("practice.authority")}</dt>
                                                <dd>{a}</dd>
                                            </div>
                                        }
                                    })}
                                <div>
                                    <dt>{tr!("practice.time_limit")}</dt>
                                    <dd>{p.time_limit.clone()}</dd>
                                </div>
                                {p
                                    .fee_note
                                    .clone()
                                    .map(|n| {
                                        view! {
                                            <div>
                                                <dt>{tr!("practice.fee")}</dt>
                                                <dd>{n}</dd>
                                            </div>
                                        }
                                    })}
                                <div>
                                    <dt>{tr!("practice.legal_basis")}</dt>
                                    <dd>{p.legal_basis.join("; ")}</dd>
                                </div>
                            </dl>
                            {p.in_exam.then(|| view! { <p class="callout">{tr!("practice.hidden_in_exam")}</p> })}
                            <p>
                                {tr!("practice.learn_first")} " "
                                <a href=p.lesson.0.clone()>{p.lesson.1.clone()}</a>
                            </p>
                            <h2>{tr!("practice.modes_heading")}</h2>
                            <ul>
                                <li>{tr!("practice.mode.guided_explained")}</li>
                                <li>
                                    {tr!(
                                        "practice.mode.exam_explained", minutes = p.exam_minutes, pass_mark = p.pass_mark
                                    )}
                                </li>
                            </ul>
                            <h2>{tr!("practice.scenarios_heading")}</h2>
                            <ul class="cards">
                                {p
                                    .scenarios
                                    .into_iter()
                                    .map(|s| {
                                        let start = start.clone();
                                        let best = s
                                            .best_exam
                                            .map(|b| tr!("practice.best_exam", percent = b));
                                        view! {
                                            <li class="card scenario" id=format!("scenario-{}", s.id.clone())>
                                                <h3>{s.title}</h3>
                                                <p class="meta">
                                                    {difficulty(s.difficulty)}
                                                    {best.map(|b| view! { " · " {b} })}
                                                </p>
                                                {s.seen.then(|| view! { <p class="hint seen-case">{tr!("practice.case_seen")}</p> })}
                                                {match s.active {
                                                    Some((run, mode)) => {
                                                        let href = format!("/practice/run/{run}");
                                                        view! {
                                                            <p>
                                                                <a class="button" href=href>
                                                                    {tr!("practice.resume", mode = mode_name(mode))}
                                                                </a>
                                                            </p>
                                                        }
                                                            .into_any()
                                                    }
                                                    None => {
                                                        view! {
                                                            <form method="post" action=start class="actions">
                                                                <input type="hidden" name="scenario" value=s.id.clone() />
                                                                <button type="submit" name="mode" value="guided" class="button">
                                                                    {tr!("practice.start_guided")}
                                                                </button>
                                                                <button type="submit" name="mode" value="exam" class="button button-secondary">
                                                                    {tr!("practice.start_exam")}
                                                                </button>
                                                            </form>
                                                        }
                                                            .into_any()
                                                    }
                                                }}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            {(!p.history.is_empty())
                                .then(|| {
                                    view! {
                                        <h2>{tr!("practice.history_heading")}</h2>
                                        <ul class="history">
                                            {p
                                                .history
                                                .into_iter()
                                                .map(|r| {
                                                    let (href, status) = match r.status {
                                                        RunStatus::Submitted => (
                                                            format!("/practice/run/{}/review", r.id),
                                                            if r.passed {
                                                                tr!("practice.run_passed", percent = r.percent.unwrap_or(0))
                                                            } else {
                                                                tr!("practice.run_not_passed", percent = r.percent.unwrap_or(0))
                                                            },
                                                        ),
                                                        RunStatus::Active => (
                                                            format!("/practice/run/{}", r.id),
                                                            tr!("practice.run_active"),
                                                        ),
                                                        RunStatus::Abandoned => (String::new(), tr!("practice.run_abandoned")),
                                                    };
                                                    let text = format!(
                                                        "{} ({}): {}",
                                                        r.scenario_title,
                                                        mode_name(r.mode),
                                                        status,
                                                    );
                                                    if href.is_empty() {
                                                        view! { <li>{text}</li> }.into_any()
                                                    } else {
                                                        view! {
                                                            <li>
                                                                <a href=href>{text}</a>
                                                            </li>
                                                        }
                                                            .into_any()
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                })}
                        }
                            .into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
pub fn RunPage() -> impl IntoView {
    if let Err(page) = guard(|role| role == Role::Learner) {
        return page;
    }
    let run = param("run").parse::<i64>().unwrap_or(-1);
    let step = use_query_map().read_untracked().get("step");
    let view = Resource::new_blocking(move || (run, step.clone()), |(r, s)| get_run(r, s));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(r) => run_view(r),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
    .into_any()
}

fn run_view(r: RunView) -> AnyView {
    let procedure_href = format!("/practice/{}", r.procedure_id);
    let run_href = format!("/practice/run/{}", r.id);
    if r.finished || r.outdated {
        let message = if r.outdated {
            tr!("practice.outdated")
        } else {
            tr!("practice.run_finished")
        };
        return view! {
            <Title text=r.scenario_title.clone() />
            <h1>{r.scenario_title}</h1>
            <p>{message}</p>
            <div class="actions">
                {r
                    .submitted
                    .then(|| {
                        view! {
                            <a class="button" href=format!("{run_href}/review")>
                                {tr!("practice.see_review")}
                            </a>
                        }
                    })}
                <form method="post" action=format!("{run_href}/reset")>
                    <button type="submit" class="button button-secondary">
                        {tr!("practice.try_again")}
                    </button>
                </form>
                <a href=procedure_href>{r.procedure_title}</a>
            </div>
        }
        .into_any();
    }
    let outcome = use_form_outcome();
    let rerendered = !outcome.values.is_empty() || !outcome.errors.is_empty();
    let guided = r.mode == Mode::Guided;
    let first = r.steps.first().map(|s| s.id == r.step_id).unwrap_or(true);
    let confirm = matches!(r.step, StepView::Confirm { .. });
    let step_number = r.steps.iter().position(|s| s.current).unwrap_or(0) + 1;
    let step_count = r.steps.len();
    let step_title = r
        .steps
        .iter()
        .find(|s| s.current)
        .map(|s| s.title.clone())
        .unwrap_or_default();
    let timer = r.minutes_left.map(|m| {
        if m >= 0 {
            tr!("practice.minutes_left", minutes = m)
        } else {
            tr!("practice.over_time", minutes = -m)
        }
    });
    let value_of = move |name: &str, saved: &str| {
        if rerendered {
            outcome.value(name)
        } else {
            saved.to_owned()
        }
    };
    let outcome = use_form_outcome();
    let error_of = move |name: &str| outcome.errors.for_field(name).map(|k| tr!(k));
    let body = match r.step.clone() {
        StepView::Login { value } => {
            let error = error_of("login");
            let invalid = error.is_some();
            view! {
                <p>{tr!("practice.login.explain")}</p>
                <div class="field" class:field-error=invalid>
                    <label for="login">{tr!("practice.login.label")}</label>
                    <p class="hint" id="login-hint">{tr!("practice.login.hint")}</p>
                    {error.map(|e| view! { <p class="error-message" id="login-error">{e}</p> })}
                    <input id="login" name="login" type="text" inputmode="numeric" autocomplete="off" value=value_of("login", &value) required=true aria-invalid=invalid.then_some("true") aria-describedby=if invalid { "login-hint login-error" } else { "login-hint" } />
                </div>
            }
            .into_any()
        }
        StepView::Find {
            procedures,
            chosen,
            authorities,
            authority,
        } => {
            let chosen = value_of("procedure", &chosen);
            let authority = value_of("authority", &authority);
            view! {
                <RadioGroup name="procedure" legend=tr!("practice.find.procedure") options=procedures chosen=chosen error=error_of("procedure") />
                <RadioGroup name="authority" legend=tr!("practice.find.authority") options=authorities chosen=authority error=error_of("authority") />
            }
            .into_any()
        }
        StepView::Section { title: _, fields } => view! {
            <datalist id="ethnic-groups">
                {ETHNIC_GROUPS.iter().map(|g| view! { <option value=*g></option> }).collect_view()}
            </datalist>
            {fields
                .into_iter()
                .map(|mut f| {
                    f.value = value_of(&f.id, &f.value);
                    let error = error_of(&f.id);
                    let hint_button = (guided && f.hint.is_none())
                        .then(|| tr!("practice.hint_button", field = f.label.clone()));
                    if !f.required {
                        f.label = format!("{} {}", f.label, tr!("practice.optional"));
                    }
                    practice_field(f, error, hint_button)
                })
                .collect_view()}
        }
        .into_any(),
        StepView::Documents { documents } => {
            let ticked: Vec<String> = if rerendered {
                use_form_outcome()
                    .values
                    .into_iter()
                    .filter(|(k, _)| k == "documents")
                    .map(|(_, v)| v)
                    .collect()
            } else {
                documents
                    .iter()
                    .filter(|d| d.3)
                    .map(|d| d.0.clone())
                    .collect()
            };
            view! {
                <fieldset class="field">
                    <legend>{tr!("practice.documents.legend")}</legend>
                    <p class="hint">{tr!("practice.documents.hint")}</p>
                    {documents
                        .into_iter()
                        .map(|(id, name, when, _)| {
                            let input_id = format!("doc-{id}");
                            let checked = ticked.contains(&id);
                            view! {
                                <div class="choice">
                                    <input type="checkbox" id=input_id.clone() name="documents" value=id checked=checked />
                                    <label for=input_id>
                                        {name}
                                        {when.map(|w| view! { <span class="hint">" — " {w}</span> })}
                                    </label>
                                </div>
                            }
                        })
                        .collect_view()}
                </fieldset>
            }
            .into_any()
        }
        StepView::Delivery { options, chosen } => {
            let chosen = value_of("delivery", &chosen);
            view! {
                <RadioGroup name="delivery" legend=tr!("practice.delivery.legend") options=options chosen=chosen error=error_of("delivery") />
            }
            .into_any()
        }
        StepView::Fee { note, value } => {
            let error = error_of("fee");
            let invalid = error.is_some();
            view! {
                {note.map(|n| view! { <p class="callout">{n}</p> })}
                <div class="field" class:field-error=invalid>
                    <label for="fee">{tr!("practice.fee.label")}</label>
                    <p class="hint" id="fee-hint">{tr!("practice.fee.hint")}</p>
                    {error.map(|e| view! { <p class="error-message" id="fee-error">{e}</p> })}
                    <input id="fee" name="fee" type="text" inputmode="numeric" autocomplete="off" value=value_of("fee", &value) required=true aria-invalid=invalid.then_some("true") aria-describedby=if invalid { "fee-hint fee-error" } else { "fee-hint" } />
                </div>
            }
            .into_any()
        }
        StepView::Confirm { summary } => view! {
            <p>{tr!("practice.confirm.explain")}</p>
            <dl class="summary-list confirm-list">
                {summary
                    .into_iter()
                    .map(|(what, value)| view! { <div><dt>{what}</dt><dd>{value}</dd></div> })
                    .collect_view()}
            </dl>
        }
        .into_any(),
    };
    let primary = if confirm {
        view! { <button type="submit" name="action" value="submit" class="button">{tr!("practice.submit")}</button> }.into_any()
    } else {
        view! { <button type="submit" name="action" value="next" class="button">{tr!("practice.next")}</button> }.into_any()
    };
    view! {
        <Title text=format!("{} · {}", step_title, r.scenario_title) />
        <p class="breadcrumb">
            <a href=procedure_href>{r.procedure_title.clone()}</a>
        </p>
        <h1>{r.scenario_title.clone()}</h1>
        <p class="meta">
            <span class="badge" class:badge-exam=!guided>{mode_name(r.mode)}</span>
            {timer.map(|t| view! { " · " <span id="timer">{t}</span> })}
            {(guided && r.hints_used > 0).then(|| view! { " · " {tr!("practice.hints_used", count = r.hints_used)} })}
        </p>
        <details class="brief" open=true>
            <summary>{tr!("practice.brief")}</summary>
            <div class="lesson-body" inner_html=r.brief_html.clone()></div>
        </details>
        <nav aria-label=tr!("practice.steps")>
            <ol class="steps">
                {r.steps
                    .iter()
                    .map(|s| {
                        let href = format!("{run_href}?step={}", s.id);
                        if s.current {
                            view! { <li class="step-current" aria-current="step">{s.title.clone()}</li> }.into_any()
                        } else if s.reached {
                            view! { <li><a href=href>{s.title.clone()}</a></li> }.into_any()
                        } else {
                            view! { <li class="step-later">{s.title.clone()}</li> }.into_any()
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
        <h2 id="step-title">{tr!("practice.step_of", number = step_number, count = step_count)} " " {step_title}</h2>
        <ErrorSummary />
        <form method="post" action=run_href.clone() class="practice-form" novalidate=true>
            <input type="hidden" name="step" value=r.step_id.clone() />
            // Enter in a box submits the form's first button: make it "continue", never a hint.
            <button type="submit" name="action" value=if confirm { "submit" } else { "next" } class="default-action" tabindex="-1" aria-hidden="true">
                {if confirm { tr!("practice.submit") } else { tr!("practice.next") }}
            </button>
            {body}
            <div class="actions">
                {primary}
                {(!first).then(|| view! { <button type="submit" name="action" value="back" class="button button-secondary">{tr!("practice.back")}</button> })}
            </div>
        </form>
        <div class="run-controls">
            <form method="post" action=format!("{run_href}/reset")>
                <button type="submit" class="button-link">{tr!("practice.reset")}</button>
            </form>
            <form method="post" action=format!("{run_href}/abandon")>
                <button type="submit" class="button-link">{tr!("practice.abandon")}</button>
            </form>
        </div>
    }
    .into_any()
}

/// One form field: radios for choices, otherwise a checked input.
fn practice_field(f: FieldView, error: Option<String>, hint_button: Option<String>) -> AnyView {
    let hint_text = f
        .hint
        .clone()
        .map(|h| tr!("practice.hint_shown", value = h));
    match &f.kind {
        FieldKind::Choice { .. } | FieldKind::Sex => {
            let options = f.options.clone();
            view! {
                <RadioGroup name=f.id.clone() legend=f.label.clone() options=options chosen=f.value.clone() error=error help=f.help.clone() hint=hint_text hint_button=hint_button />
            }
            .into_any()
        }
        kind => {
            let inputmode = match kind {
                FieldKind::CitizenId | FieldKind::Number { .. } => "numeric",
                FieldKind::Phone => "tel",
                _ => "text",
            };
            let list = matches!(kind, FieldKind::Ethnicity).then(|| "ethnic-groups".to_owned());
            view! {
                <CheckedInput field=f error=error hint_text=hint_text hint_button=hint_button inputmode=inputmode.to_owned() list=list />
            }
            .into_any()
        }
    }
}

#[component]
fn RadioGroup(
    #[prop(into)] name: String,
    legend: String,
    options: Vec<(String, String)>,
    chosen: String,
    error: Option<String>,
    #[prop(default = None)] help: Option<String>,
    #[prop(default = None)] hint: Option<String>,
    #[prop(default = None)] hint_button: Option<String>,
) -> impl IntoView {
    let invalid = error.is_some();
    let hint_value = format!("hint:{name}");
    let help_id = format!("{name}-help");
    let error_id = format!("{name}-error");
    let described_by = [
        help.as_ref().map(|_| help_id.clone()),
        hint.as_ref().map(|_| format!("{name}-hinted")),
        error.as_ref().map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    view! {
        <fieldset
            class="field"
            class:field-error=invalid
            id=name.clone()
            aria-describedby=(!described_by.is_empty()).then_some(described_by)
        >
            <legend>{legend}</legend>
            {help.map(|h| view! { <p class="hint" id=help_id>{h}</p> })}
            {hint.map(|h| view! { <p class="hint hint-revealed" id=format!("{name}-hinted")>{h}</p> })}
            {error.map(|e| view! { <p class="error-message" id=error_id>{e}</p> })}
            {options
                .into_iter()
                .map(|(value, label)| {
                    let input_id = format!("{name}-{value}");
                    let checked = value == chosen;
                    view! {
                        <div class="choice">
                            <input type="radio" id=input_id.clone() name=name.clone() value=value checked=checked />
                            <label for=input_id>{label}</label>
                        </div>
                    }
                })
                .collect_view()}
            {hint_button
                .map(|label| {
                    view! {
                        <button type="submit" name="action" value=hint_value class="button-link">
                            {label}
                        </button>
                    }
                })}
        </fieldset>
    }
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    if let Err(page) = guard(|role| role == Role::Learner) {
        return page;
    }
    let run = param("run").parse::<i64>().unwrap_or(-1);
    let view = Resource::new_blocking(move || run, get_review);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(r) => {
                        let procedure_href = format!("/practice/{}", r.procedure_id);
                        let reset = format!("/practice/run/{}/reset", r.id);
                        let status = if r.returned {
                            tr!("practice.review.returned")
                        } else {
                            tr!("practice.review.accepted")
                        };
                        let verdict = if r.passed {
                            tr!("practice.review.passed", pass_mark = r.pass_mark)
                        } else {
                            tr!("practice.review.not_passed", pass_mark = r.pass_mark)
                        };
                        let time = match r.time_limit_minutes {
                            Some(limit) => tr!("practice.review.time_exam", minutes = r.minutes, limit = limit),
                            None => tr!("practice.review.time", minutes = r.minutes),
                        };
                        view! {
                            <Title text=tr!("practice.review.title", scenario = r.scenario_title.clone()) />
                            <p class="breadcrumb">
                                <a href=procedure_href.clone()>{r.procedure_title.clone()}</a>
                            </p>
                            <h1>{tr!("practice.review.title", scenario = r.scenario_title.clone())}</h1>
                            <div class="result-panel" class:result-passed=r.passed role="status" id="run-result">
                                <p>{tr!("practice.review.dossier", code = r.dossier_code.clone())} " · " {status}</p>
                                <p class="result-score">
                                    {tr!("practice.review.score", points = r.points, max = r.max, percent = r.percent)}
                                </p>
                                <p>{verdict}</p>
                                <p class="meta">
                                    {mode_name(r.mode)} " · " {time}
                                    {(r.hints_used > 0).then(|| view! { " · " {tr!("practice.hints_used", count = r.hints_used)} })}
                                    " · " {tr!("practice.review.fields", right = r.fields_right, total = r.fields_total)}
                                </p>
                            </div>
                            <h2>{tr!("practice.review.breakdown_heading")}</h2>
                            <dl class="summary-list" id="breakdown">
                                {r.breakdown
                                    .into_iter()
                                    .map(|(what, outcome)| view! { <div><dt>{what}</dt><dd>{outcome}</dd></div> })
                                    .collect_view()}
                            </dl>
                            <h2>{tr!("practice.review.traps_heading")}</h2>
                            <ul class="traps" id="traps">
                                {r.traps
                                    .into_iter()
                                    .map(|t| {
                                        let verdict = if t.fell {
                                            tr!("practice.review.trap_fell")
                                        } else {
                                            tr!("practice.review.trap_avoided")
                                        };
                                        view! {
                                            <li class="trap" class:trap-fell=t.fell>
                                                <strong>{verdict}</strong> " " {t.description}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            <h2>{tr!("practice.review.mistakes_heading")}</h2>
                            {if r.mistakes.is_empty() {
                                view! { <p>{tr!("practice.review.no_mistakes")}</p> }.into_any()
                            } else {
                                view! {
                                    <ol class="answers" id="mistakes">
                                        {r.mistakes
                                            .into_iter()
                                            .map(|m| {
                                                view! {
                                                    <li class="answer">
                                                        <p class="answer-prompt">{m.what}</p>
                                                        <p class="feedback">{m.rule}</p>
                                                        <p>{tr!("practice.review.given")} " " {m.given}</p>
                                                        <p>{tr!("practice.review.right")} " " <strong>{m.right}</strong></p>
                                                        {m.lesson
                                                            .map(|(href, title)| {
                                                                view! {
                                                                    <p class="hint">
                                                                        {tr!("result.learn_more")} " " <a href=href>{title}</a>
                                                                    </p>
                                                                }
                                                            })}
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ol>
                                }
                                    .into_any()
                            }}
                            <form method="post" action=reset class="actions">
                                <button type="submit" class="button">{tr!("practice.try_again")}</button>
                                <a class="button button-secondary" href=procedure_href>{tr!("practice.other_scenarios")}</a>
                            </form>
                        }
                            .into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
    .into_any()
}
