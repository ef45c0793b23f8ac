//! Competency pages: a learner's passport and skills survey, a unit's staff matrix (unit
//! managers for their own unit, organizers and admins for any), the organizers' list of units
//! and the volunteers ready for deployment. Everything is server-rendered; the only forms
//! (the survey, a due date) are plain posts.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::guard;
use super::learner::{error_view, param};
use crate::api::competency::{get_passport, get_ready_volunteers, get_survey, get_unit, get_units};
use crate::components::form::{use_form_outcome, ErrorSummary};
use crate::domain::competency::EvidenceStanding;
use crate::domain::Role;
use crate::tr;
use crate::types::competency::{Cell, EvidenceLine, PassportLine, PassportView, UnitView};

fn level_text(level: u8) -> String {
    if level == 0 {
        tr!("passport.level_none")
    } else {
        tr!("passport.level", level = level)
    }
}

#[component]
pub fn Passport() -> impl IntoView {
    if let Err(page) = guard(|role| role == Role::Learner) {
        return page;
    }
    let saved = use_query_map().read_untracked().get("saved").is_some();
    let passport = Resource::new_blocking(|| (), |_| get_passport());
    view! {
        <Title text=tr!("passport.title") />
        <h1 id="passport">{tr!("passport.title")}</h1>
        {saved.then(|| view! { <p class="notice" role="status">{tr!("survey.saved")}</p> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match passport.await {
                    Ok(p) => view! { <PassportBody p /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn PassportBody(p: PassportView) -> impl IntoView {
    let summary = if p.meets {
        tr!("passport.meets", position = p.position.clone())
    } else {
        tr!(
            "passport.progress",
            met = p.met,
            required = p.required,
            position = p.position.clone()
        )
    };
    let rule = tr!(
        "passport.rule",
        count = p.rule.min_evidence,
        percent = p.rule.min_percent,
        months = (p.rule.window_days + 15) / 30
    );
    let survey_link = if p.surveyed {
        tr!("passport.survey_again")
    } else {
        tr!("passport.survey_first")
    };
    let status_class = if p.meets {
        "status status-met"
    } else {
        "status status-gap"
    };
    view! {
        <p class="lead">{tr!("passport.who", name = p.full_name, position = p.position)}</p>
        <p class=status_class id="passport-status" data-meets=p.meets.to_string()>
            {summary}
        </p>
        {p
            .ready_for_deployment
            .then(|| view! { <p class="notice" id="ready">{tr!("passport.ready")}</p> })}
        <p class="hint">{rule}</p>
        <p>
            <a href="/passport/survey">{survey_link}</a>
        </p>
        <div class="competences">
            {p.lines.into_iter().map(|line| view! { <CompetenceCard line /> }).collect_view()}
        </div>
    }
}

#[component]
fn CompetenceCard(line: PassportLine) -> impl IntoView {
    let (status, status_text) = if line.required == 0 {
        ("extra", tr!("passport.not_required"))
    } else if line.gap == 0 {
        ("met", tr!("passport.met"))
    } else {
        ("gap", tr!("passport.gap", gap = line.gap))
    };
    let id = format!("c-{}", line.competence.replace('.', "-"));
    let heading_id = format!("{id}-h");
    let labelled_by = heading_id.clone();
    let code = line.competence.clone();
    let self_text = line
        .self_assessed
        .map(level_text)
        .unwrap_or_else(|| tr!("passport.self_none"));
    let until = line
        .until
        .map(|d| view! { <p class="hint">{tr!("passport.until", date = d)}</p> });
    let evidence = (!line.evidence.is_empty()).then(|| {
        let count = line.evidence_count;
        view! {
            <details class="evidence">
                <summary>{tr!("passport.evidence", count = count)}</summary>
                <ul>{line.evidence.into_iter().map(evidence_item).collect_view()}</ul>
            </details>
        }
    });
    let next = (!line.next.is_empty()).then(|| {
        view! {
            <div class="next-steps">
                <h3>{tr!("passport.next")}</h3>
                <ul>
                    {line
                        .next
                        .into_iter()
                        .map(|n| {
                            let kind = if n.kind == "practice" {
                                tr!("passport.kind_practice")
                            } else {
                                tr!("passport.kind_quiz")
                            };
                            view! {
                                <li>
                                    <a href=n.href>{n.title}</a>
                                    " · "
                                    {kind}
                                    " · "
                                    {level_text(n.level)}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    });
    view! {
        <section
            class=format!("competence competence-{status}")
            id=id
            aria-labelledby=labelled_by
            data-competence=code
            data-status=status
        >
            <h2 id=heading_id>
                {line.name}
                " "
                <span class="code">{line.competence}</span>
            </h2>
            <dl class="levels">
                <div>
                    <dt>{tr!("passport.required")}</dt>
                    <dd>{level_text(line.required)}</dd>
                </div>
                <div>
                    <dt>{tr!("passport.self_assessed")}</dt>
                    <dd>{self_text}</dd>
                </div>
                <div>
                    <dt>{tr!("passport.verified")}</dt>
                    <dd class="verified">{level_text(line.verified)}</dd>
                </div>
            </dl>
            <p class=format!("status status-{status}")>{status_text}</p>
            {until}
            {evidence}
            {next}
        </section>
    }
}

fn evidence_item(e: EvidenceLine) -> impl IntoView {
    let kind = if e.kind == "practice" {
        tr!("passport.kind_exam")
    } else {
        tr!("passport.kind_quiz")
    };
    let standing = match (e.counted, e.standing) {
        (true, _) => tr!("passport.ev_counted"),
        (false, EvidenceStanding::Counts) => tr!("passport.ev_counts"),
        (false, EvidenceStanding::BelowMark) => tr!("passport.ev_below"),
        (false, EvidenceStanding::Expired) => tr!("passport.ev_expired"),
        (false, EvidenceStanding::Retired) => tr!("passport.ev_retired"),
    };
    view! {
        <li>
            <a href=e.href>{e.title}</a>
            {format!(
                " · {kind} · {} · {}% · {} · ",
                level_text(e.level),
                e.percent,
                e.date,
            )}
            <strong>{standing}</strong>
        </li>
    }
}

#[component]
pub fn Survey() -> impl IntoView {
    if let Err(page) = guard(|role| role == Role::Learner) {
        return page;
    }
    let survey = Resource::new_blocking(|| (), |_| get_survey());
    let outcome = use_form_outcome();
    view! {
        <Title text=tr!("survey.title") />
        <h1>{tr!("survey.title")}</h1>
        <p class="lead">{tr!("survey.lead")}</p>
        <ErrorSummary />
        <Suspense fallback=|| ()>
            {move || {
                let outcome = outcome.clone();
                Suspend::new(async move {
                    match survey.await {
                        Ok(s) => {
                            let levels = s.levels.clone();
                            view! {
                                <form method="post" action="/passport/survey" class="survey">
                                    {s
                                        .items
                                        .into_iter()
                                        .map(|item| {
                                            let name = format!("level-{}", item.competence);
                                            let posted = outcome.values.iter().any(|(k, _)| *k == name);
                                            let chosen = if posted {
                                                outcome.value(&name)
                                            } else {
                                                item.answer.map(|l| l.to_string()).unwrap_or_default()
                                            };
                                            let error = outcome.errors.for_field(&name);
                                            let hint_id = format!("{name}-hint");
                                            let error_id = format!("{name}-error");
                                            let described = if error.is_some() {
                                                format!("{hint_id} {error_id}")
                                            } else {
                                                hint_id.clone()
                                            };
                                            let invalid = error.is_some().then_some("true");
                                            let legend = if item.required {
                                                tr!("survey.required_item", name = item.name)
                                            } else {
                                                item.name.clone()
                                            };
                                            let options = std::iter::once((
                                                String::new(),
                                                tr!("survey.skip"),
                                            ))
                                                .chain(std::iter::once(("0".to_owned(), tr!("survey.level_zero"))))
                                                .chain(
                                                    levels
                                                        .iter()
                                                        .map(|(l, n, d)| (l.to_string(), format!("{l} · {n}: {d}"))),
                                                )
                                                .collect::<Vec<_>>();
                                            view! {
                                                <div class="field">
                                                    <label for=name.clone()>{legend}</label>
                                                    <p class="hint" id=hint_id>{item.description}</p>
                                                    {error.map(|key| view! { <p class="field-error" id=error_id>{tr!(key)}</p> })}
                                                    <select
                                                        id=name.clone()
                                                        name=name.clone()
                                                        aria-describedby=described
                                                        aria-invalid=invalid
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
                                        })
                                        .collect_view()}
                                    <p class="hint">{tr!("survey.never_raises")}</p>
                                    <button type="submit" class="button">{tr!("survey.save")}</button>
                                </form>
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

/// `/units/{code}`: one unit's competency view.
#[component]
pub fn UnitPage() -> impl IntoView {
    if let Err(page) = guard(Role::may_view_units) {
        return page;
    }
    let code = param("code");
    view! {
        <Title text=tr!("unit.page_title") />
        <UnitCompetency code standalone=true />
    }
    .into_any()
}

/// A unit's staff matrix, counts, due dates and overdue list.
#[component]
pub fn UnitCompetency(
    code: String,
    /// The page's main content (its heading is the page's h1), not a part of another page.
    #[prop(optional)]
    standalone: bool,
) -> impl IntoView {
    let unit = Resource::new_blocking(move || code.clone(), get_unit);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match unit.await {
                    Ok(u) => view! { <UnitBody u standalone /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}

fn cell_view(cell: Cell) -> impl IntoView {
    let (class, label) = if cell.required == 0 {
        (
            "cell cell-na",
            tr!("unit.cell_extra", verified = cell.verified),
        )
    } else if cell.verified >= cell.required {
        (
            "cell cell-met",
            tr!(
                "unit.cell_met",
                verified = cell.verified,
                required = cell.required
            ),
        )
    } else {
        (
            "cell cell-gap",
            tr!(
                "unit.cell_gap",
                verified = cell.verified,
                required = cell.required
            ),
        )
    };
    let text = if cell.required == 0 {
        cell.verified.to_string()
    } else {
        format!("{}/{}", cell.verified, cell.required)
    };
    view! {
        <td class=class>
            <span aria-hidden="true">{text}</span>
            <span class="visually-hidden">{label}</span>
        </td>
    }
}

#[component]
fn UnitBody(u: UnitView, standalone: bool) -> impl IntoView {
    let outcome = use_form_outcome();
    let share = (u.meeting * 100).checked_div(u.total).unwrap_or(0);
    let ready: Vec<String> = u
        .staff
        .iter()
        .filter(|s| s.leader_ready)
        .map(|s| s.full_name.clone())
        .collect();
    let action = format!("/units/{}/assignments", u.code);
    let columns = u.competences.clone();
    let matrix = if u.staff.is_empty() {
        view! { <p>{tr!("unit.no_staff")}</p> }.into_any()
    } else {
        view! {
            <p class="hint" id="matrix-caption">{tr!("unit.matrix_caption")}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="matrix-caption">
                <table class="table matrix" id="matrix">
                    <caption class="visually-hidden">{tr!("unit.matrix_caption")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr!("people.name")}</th>
                            {columns
                                .iter()
                                .map(|(id, name)| {
                                    view! {
                                        <th scope="col">
                                            <abbr title=name.clone()>{id.clone()}</abbr>
                                            <span class="visually-hidden">{format!(" {name}")}</span>
                                        </th>
                                    }
                                })
                                .collect_view()}
                            <th scope="col">{tr!("unit.meets_col")}</th>
                            <th scope="col">{tr!("unit.leader_col")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {u
                            .staff
                            .into_iter()
                            .map(|s| {
                                let meets = if s.meets { tr!("unit.yes") } else { tr!("unit.no") };
                                let leader = if s.leader_ready { tr!("unit.yes") } else { tr!("unit.no") };
                                view! {
                                    <tr data-staff=s.id.to_string()>
                                        <th scope="row">
                                            {s.full_name}
                                            <span class="hint block">{s.position}</span>
                                        </th>
                                        {s.cells.into_iter().map(cell_view).collect_view()}
                                        <td class=if s.meets { "cell cell-met" } else { "cell cell-gap" }>
                                            {meets}
                                        </td>
                                        <td>{leader}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let legend = columns
        .into_iter()
        .map(|(id, name)| view! { <li><strong>{id}</strong>": "{name}</li> })
        .collect_view();
    let assignments = if u.assignments.is_empty() {
        view! { <p>{tr!("unit.no_assignments")}</p> }.into_any()
    } else {
        view! {
            <ul class="assignments">
                {u
                    .assignments
                    .into_iter()
                    .map(|a| {
                        view! {
                            <li>
                                {tr!(
                                    "unit.assignment", module = a.module, due = a.due, done = a.done, staff = a.staff
                                )}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let overdue = if u.overdue.is_empty() {
        view! { <p>{tr!("unit.no_overdue")}</p> }.into_any()
    } else {
        view! {
            <ul class="overdue">
                {u
                    .overdue
                    .into_iter()
                    .map(|o| {
                        view! { <li>{tr!("unit.overdue_line", name = o.full_name, module = o.module, due = o.due)}</li> }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let module_error = outcome.errors.for_field("module");
    let due_error = outcome.errors.for_field("due");
    let chosen = outcome.value("module");
    let due_value = outcome.value("due");
    let form = u.can_assign.then(|| {
        view! {
            <form method="post" action=action class="assign-form">
                <ErrorSummary />
                <div class="field">
                    <label for="module">{tr!("unit.module_label")}</label>
                    {module_error.map(|k| view! { <p class="field-error" id="module-error">{tr!(k)}</p> })}
                    <select
                        id="module"
                        name="module"
                        aria-describedby=module_error.map(|_| "module-error")
                        aria-invalid=module_error.map(|_| "true")
                    >
                        {u
                            .assignable
                            .into_iter()
                            .map(|(id, title)| {
                                let selected = id == chosen;
                                view! { <option value=id selected=selected>{title}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="due">{tr!("unit.due_label")}</label>
                    <p class="hint" id="due-hint">{tr!("unit.due_hint")}</p>
                    {due_error.map(|k| view! { <p class="field-error" id="due-error">{tr!(k)}</p> })}
                    <input
                        id="due"
                        name="due"
                        type="text"
                        value=due_value
                        autocomplete="off"
                        aria-describedby=if due_error.is_some() { "due-hint due-error" } else { "due-hint" }
                        aria-invalid=due_error.map(|_| "true")
                    />
                </div>
                <button type="submit" class="button">{tr!("unit.assign")}</button>
            </form>
        }
    });
    let issued_name = outcome.value("issued_name");
    let issued_code = outcome.value("issued_code");
    let issued = (!issued_code.is_empty()).then(|| {
        view! {
            <p class="notice" role="status" id="issued-code">
                {tr!("unit.code_issued", name = issued_name, days = 14)}
                " "
                <strong class="code-box">{issued_code}</strong>
            </p>
        }
    });
    let pending_action = format!("/units/{}/activation", u.code);
    let pending = (!u.pending.is_empty()).then(|| {
        let count = u.pending.len();
        view! {
            <h2 id="pending">{tr!("unit.pending_heading", count = count)}</h2>
            <p class="hint">{tr!("unit.pending_hint")}</p>
            <ul class="pending-list">
                {u
                    .pending
                    .into_iter()
                    .map(|p| {
                        let action = pending_action.clone();
                        let label = if p.code_issued { tr!("unit.code_again") } else { tr!("unit.code_issue") };
                        let who = match p.code {
                            Some(code) => format!("{} ({code})", p.full_name),
                            None => p.full_name,
                        };
                        view! {
                            <li data-account=p.id.to_string()>
                                {who}
                                <form method="post" action=action class="inline-form">
                                    <input type="hidden" name="account" value=p.id.to_string() />
                                    <button type="submit" class="link-button">{label}</button>
                                </form>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    });
    view! {
        {issued}
        {if standalone {
            view! { <h1 id="competency">{tr!("unit.competency_heading", unit = u.name)}</h1> }.into_any()
        } else {
            view! { <h2 id="competency">{tr!("unit.competency_heading", unit = u.name)}</h2> }.into_any()
        }}
        <p class="lead" id="unit-share" data-meeting=u.meeting.to_string() data-total=u.total.to_string()>
            {tr!("unit.share", meeting = u.meeting, total = u.total, share = share)}
        </p>
        {matrix}
        <details class="legend">
            <summary>{tr!("unit.legend")}</summary>
            <ul>{legend}</ul>
        </details>
        <h2>{tr!("unit.leader_heading")}</h2>
        {if ready.is_empty() {
            view! { <p>{tr!("unit.no_leader_ready")}</p> }.into_any()
        } else {
            view! { <ul>{ready.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul> }.into_any()
        }}
        <h2 id="assignments">{tr!("unit.assignments_heading")}</h2>
        {assignments}
        <h3>{tr!("unit.overdue_heading")}</h3>
        {overdue}
        {form}
        {pending}
    }
}

/// `/units`: organizers' overview of every unit.
#[component]
pub fn Units() -> impl IntoView {
    if let Err(page) = guard(Role::may_list_accounts) {
        return page;
    }
    let units = Resource::new_blocking(|| (), |_| get_units());
    view! {
        <Title text=tr!("units.title") />
        <h1>{tr!("units.title")}</h1>
        <p class="lead">{tr!("units.lead")}</p>
        <p>
            <a href="/volunteers">{tr!("ready.title")}</a>
        </p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match units.await {
                    Ok(lines) => {
                        view! {
                            <div class="table-scroll">
                                <table class="table">
                                    <caption class="visually-hidden">{tr!("units.caption")}</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">{tr!("people.unit")}</th>
                                            <th scope="col">{tr!("units.staff")}</th>
                                            <th scope="col">{tr!("units.meeting")}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {lines
                                            .into_iter()
                                            .map(|l| {
                                                let href = format!("/units/{}", l.code);
                                                view! {
                                                    <tr>
                                                        <th scope="row"><a href=href>{l.name}</a></th>
                                                        <td>{l.staff}</td>
                                                        <td>{l.meeting}</td>
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
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// `/volunteers`: volunteers who meet the volunteer standard.
#[component]
pub fn ReadyVolunteers() -> impl IntoView {
    if let Err(page) = guard(Role::may_list_accounts) {
        return page;
    }
    let list = Resource::new_blocking(|| (), |_| get_ready_volunteers());
    view! {
        <Title text=tr!("ready.title") />
        <h1>{tr!("ready.title")}</h1>
        <p class="lead">{tr!("ready.lead")}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(lines) if lines.is_empty() => view! { <p>{tr!("ready.empty")}</p> }.into_any(),
                    Ok(lines) => {
                        view! {
                            <ul class="ready-list" id="ready-list">
                                {lines
                                    .into_iter()
                                    .map(|v| {
                                        let since = v.since.unwrap_or_default();
                                        view! { <li>{tr!("ready.line", name = v.full_name, unit = v.unit, since = since)}</li> }
                                    })
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
