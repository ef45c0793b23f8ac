//! Deployment pages: organizers send ready volunteers to units and shifts (`/deploy`);
//! volunteers see their shifts and log the residents they guided (`/shifts`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::guard;
use super::learner::error_view;
use crate::api::deploy::{get_deploy_view, get_shifts};
use crate::components::form::{use_form_outcome, ErrorSummary};
use crate::domain::campaign::{Outcome, Shift};
use crate::domain::{Cohort, Role};
use crate::tr;
use crate::types::campaign::ShiftLine;

pub fn shift_name(s: Shift) -> String {
    match s {
        Shift::Morning => tr!("shift.morning"),
        Shift::Afternoon => tr!("shift.afternoon"),
        Shift::Evening => tr!("shift.evening"),
    }
}

pub fn outcome_name(o: Outcome) -> String {
    match o {
        Outcome::Online => tr!("outcome.online"),
        Outcome::Helped => tr!("outcome.helped"),
        Outcome::Impossible => tr!("outcome.impossible"),
    }
}

/// A labelled select that keeps what was chosen and shows its error.
fn select_field(
    name: &'static str,
    label: String,
    options: Vec<(String, String)>,
    chosen: String,
) -> impl IntoView {
    let outcome = use_form_outcome();
    let error = outcome.errors.for_field(name);
    let error_id = format!("{name}-error");
    view! {
        <div class="field" class:field-error=error.is_some()>
            <label for=name>{label}</label>
            {error.map(|k| view! { <p class="error-message" id=error_id.clone()>{tr!(k)}</p> })}
            <select
                id=name
                name=name
                aria-invalid=error.map(|_| "true")
                aria-describedby=error.map(|_| error_id.clone())
            >
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let selected = value == chosen;
                        view! { <option value=value selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

fn text_field(
    name: &'static str,
    label: String,
    hint: Option<String>,
    value: String,
    inputmode: &'static str,
) -> impl IntoView {
    let outcome = use_form_outcome();
    let error = outcome.errors.for_field(name);
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let described = [
        hint.as_ref().map(|_| hint_id.clone()),
        error.map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    view! {
        <div class="field" class:field-error=error.is_some()>
            <label for=name>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {error.map(|k| view! { <p class="error-message" id=error_id.clone()>{tr!(k)}</p> })}
            <input
                id=name
                name=name
                type="text"
                inputmode=inputmode
                value=value
                autocomplete="off"
                aria-invalid=error.map(|_| "true")
                aria-describedby=(!described.is_empty()).then_some(described)
            />
        </div>
    }
}

/// `/deploy`: ready volunteers, the form that sends one to a unit and shift, and the shifts
/// planned from today on.
#[component]
pub fn Deploy() -> impl IntoView {
    if let Err(page) = guard(Role::may_list_accounts) {
        return page;
    }
    let done = use_query_map().read_untracked().get("done").is_some();
    let data = Resource::new_blocking(|| (), |_| get_deploy_view());
    let outcome = use_form_outcome();
    view! {
        <Title text=tr!("deploy.title") />
        <h1>{tr!("deploy.title")}</h1>
        <p class="lead">{tr!("deploy.lead")}</p>
        {done.then(|| view! { <p class="notice" role="status">{tr!("deploy.done")}</p> })}
        <ErrorSummary />
        <Suspense fallback=|| ()>
            {move || {
                let outcome = outcome.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(v) => {
                            let volunteers: Vec<(String, String)> = std::iter::once((String::new(), tr!("deploy.choose_volunteer")))
                                .chain(v.ready.iter().map(|r| {
                                    let text = match &r.university {
                                        Some(school) => tr!("deploy.volunteer_option", name = r.full_name.clone(), unit = r.unit.clone(), school = school.clone(), shifts = r.shifts),
                                        None => tr!("deploy.volunteer_option_no_school", name = r.full_name.clone(), unit = r.unit.clone(), shifts = r.shifts),
                                    };
                                    (r.id.to_string(), text)
                                }))
                                .collect();
                            let units: Vec<(String, String)> = std::iter::once((String::new(), tr!("deploy.choose_unit")))
                                .chain(v.units.iter().cloned())
                                .collect();
                            let shifts: Vec<(String, String)> = Shift::ALL
                                .into_iter()
                                .map(|s| (s.as_str().to_owned(), shift_name(s)))
                                .collect();
                            let day = if outcome.values.is_empty() { v.today.clone() } else { outcome.value("day") };
                            let form = if v.ready.is_empty() {
                                view! { <p id="no-ready">{tr!("deploy.none_ready")}</p> }.into_any()
                            } else {
                                view! {
                                    <form method="post" action="/deploy" class="deploy-form" id="deploy-form">
                                        {select_field("volunteer", tr!("deploy.volunteer"), volunteers, outcome.value("volunteer"))}
                                        {select_field("unit", tr!("deploy.unit"), units, outcome.value("unit"))}
                                        {text_field("day", tr!("deploy.day"), Some(tr!("deploy.day_hint")), day, "text")}
                                        {select_field("shift", tr!("deploy.shift"), shifts, outcome.value("shift"))}
                                        <button type="submit" class="button">{tr!("deploy.assign")}</button>
                                    </form>
                                }
                                    .into_any()
                            };
                            view! {
                                <h2>{tr!("deploy.ready_heading", count = v.ready.len())}</h2>
                                {form}
                                <h2 id="planned">{tr!("deploy.planned_heading")}</h2>
                                <ShiftTable shifts=v.shifts cancel=true />
                            }
                                .into_any()
                        }
                        Err(e) => error_view(e),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

#[component]
fn ShiftTable(shifts: Vec<ShiftLine>, cancel: bool) -> impl IntoView {
    if shifts.is_empty() {
        return view! { <p>{tr!("deploy.no_shifts")}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="table" id="shift-table">
                <caption class="visually-hidden">{tr!("deploy.planned_heading")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr!("deploy.day")}</th>
                        <th scope="col">{tr!("deploy.shift")}</th>
                        <th scope="col">{tr!("deploy.unit")}</th>
                        <th scope="col">{tr!("deploy.volunteer")}</th>
                        {cancel.then(|| view! { <th scope="col">{tr!("deploy.actions")}</th> })}
                    </tr>
                </thead>
                <tbody>
                    {shifts
                        .into_iter()
                        .map(|s| {
                            let action = format!("/deploy/{}/cancel", s.id);
                            let can_cancel = cancel && s.assists == 0;
                            view! {
                                <tr data-shift=s.id.to_string()>
                                    <td>{s.date}</td>
                                    <td>{shift_name(s.shift)}</td>
                                    <td>{s.unit}</td>
                                    <td>{s.volunteer}</td>
                                    {cancel.then(|| view! {
                                        <td>
                                            {if can_cancel {
                                                view! {
                                                    <form method="post" action=action class="inline-form">
                                                        <button type="submit" class="link-button">{tr!("deploy.cancel")}</button>
                                                    </form>
                                                }.into_any()
                                            } else {
                                                view! { <span>{tr!("deploy.sessions", count = s.assists)}</span> }.into_any()
                                            }}
                                        </td>
                                    })}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// `/shifts`: a volunteer's shifts and the form to log a session on an open one.
#[component]
pub fn Shifts() -> impl IntoView {
    let user = match guard(|r| r == Role::Learner) {
        Ok(user) => user,
        Err(page) => return page,
    };
    if user.cohort != Some(Cohort::Volunteer) {
        super::set_status(403);
        return view! {
            <Title text=tr!("shifts.title") />
            <h1>{tr!("shifts.title")}</h1>
            <p>{tr!("shifts.volunteers_only")}</p>
        }
        .into_any();
    }
    let logged = use_query_map().read_untracked().get("logged").is_some();
    let data = Resource::new_blocking(|| (), |_| get_shifts());
    let outcome = use_form_outcome();
    view! {
        <Title text=tr!("shifts.title") />
        <h1>{tr!("shifts.title")}</h1>
        {logged.then(|| view! { <p class="notice" role="status" id="logged">{tr!("shifts.logged")}</p> })}
        <ErrorSummary />
        <Suspense fallback=|| ()>
            {move || {
                let outcome = outcome.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(v) => {
                            let open: Vec<(String, String)> = v
                                .shifts
                                .iter()
                                .filter(|s| s.open)
                                .map(|s| (s.id.to_string(), format!("{} · {} · {}", s.date, shift_name(s.shift), s.unit)))
                                .collect();
                            let intro = if v.ready {
                                tr!("shifts.lead_ready")
                            } else {
                                tr!("shifts.lead_not_ready")
                            };
                            let procedures: Vec<(String, String)> = std::iter::once((String::new(), tr!("shifts.choose_procedure")))
                                .chain(v.procedures.iter().cloned())
                                .collect();
                            let outcomes: Vec<(String, String)> = Outcome::ALL
                                .into_iter()
                                .map(|o| (o.as_str().to_owned(), outcome_name(o)))
                                .collect();
                            let form = if open.is_empty() {
                                view! { <p id="no-open-shift">{tr!("shifts.no_open")}</p> }.into_any()
                            } else {
                                let chosen_shift = if outcome.values.is_empty() {
                                    open.first().map(|(id, _)| id.clone()).unwrap_or_default()
                                } else {
                                    outcome.value("shift")
                                };
                                let minutes = if outcome.values.is_empty() { "20".to_owned() } else { outcome.value("minutes") };
                                let chosen_outcome = if outcome.values.is_empty() { "online".to_owned() } else { outcome.value("outcome") };
                                view! {
                                    <form method="post" action="/shifts/assists" class="assist-form" id="assist-form">
                                        <h2>{tr!("shifts.log_heading")}</h2>
                                        {select_field("shift", tr!("shifts.shift"), open, chosen_shift)}
                                        {text_field("household", tr!("shifts.household"), Some(tr!("shifts.household_hint")), outcome.value("household"), "text")}
                                        {text_field("phone", tr!("shifts.phone"), Some(tr!("shifts.phone_hint")), outcome.value("phone"), "tel")}
                                        {select_field("procedure", tr!("shifts.procedure"), procedures, outcome.value("procedure"))}
                                        {select_field("outcome", tr!("shifts.outcome"), outcomes, chosen_outcome)}
                                        {text_field("minutes", tr!("shifts.minutes"), None, minutes, "numeric")}
                                        <button type="submit" class="button">{tr!("shifts.log")}</button>
                                    </form>
                                }
                                    .into_any()
                            };
                            view! {
                                <p class="lead">{intro}</p>
                                <h2>{tr!("shifts.mine")}</h2>
                                <ShiftTable shifts=v.shifts cancel=false />
                                {form}
                                <h2>{tr!("shifts.logged_heading")}</h2>
                                {if v.assists.is_empty() {
                                    view! { <p>{tr!("shifts.none_logged")}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="assist-list" id="assist-list">
                                            {v.assists.into_iter().map(|a| {
                                                let independent = a.independent.then(|| tr!("shifts.independent"));
                                                view! {
                                                    <li>
                                                        {format!("{} · {} · {} · {} · {}'", a.date, a.household, a.procedure, outcome_name(a.outcome), a.minutes)}
                                                        {independent.map(|t| view! { " · " <strong>{t}</strong> })}
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            }
                                .into_any()
                        }
                        Err(e) => error_view(e),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}
