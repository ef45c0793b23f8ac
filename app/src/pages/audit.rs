//! `/audit`: the audit log for admins. Filters are a plain `GET` form (the query string is the
//! filter, so a filtered view can be bookmarked or sent); the same filter downloads as CSV.
//! Nothing on the page changes an entry.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::guard;
use super::learner::error_view;
use crate::api::audit::get_audit;
use crate::domain::Role;
use crate::tr;
use crate::types::audit::{AuditLine, AuditQuery, AuditView};

fn query() -> AuditQuery {
    let map = use_query_map().read_untracked();
    let get = |name: &str| map.get(name).unwrap_or_default();
    AuditQuery {
        action: get("action"),
        unit: get("unit"),
        actor: get("actor"),
        from: get("from"),
        until: get("until"),
        before: get("before"),
    }
}

#[component]
pub fn AuditLog() -> impl IntoView {
    if let Err(page) = guard(Role::may_read_audit) {
        return page;
    }
    let q = query();
    let asked = q.clone();
    let data = Resource::new_blocking(
        move || asked.clone(),
        |q| {
            let some = |s: String| (!s.is_empty()).then_some(s);
            get_audit(
                some(q.action),
                some(q.unit),
                some(q.actor),
                some(q.from),
                some(q.until),
                some(q.before),
            )
        },
    );
    view! {
        <Title text=tr!("audit.title") />
        <h1>{tr!("audit.title")}</h1>
        <p class="lead">{tr!("audit.lead")}</p>
        <Suspense fallback=|| ()>
            {move || {
                let q = q.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <AuditBody view q /> }.into_any(),
                        Err(e) => error_view(e),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

#[component]
fn AuditBody(view: AuditView, q: AuditQuery) -> impl IntoView {
    let AuditView {
        lines,
        older,
        export,
        actions,
        problems,
    } = view;
    let chosen = q.action.clone();
    let options = actions
        .into_iter()
        .map(|(code, key)| {
            let selected = code == chosen;
            view! { <option value=code selected=selected>{tr!(&key)}</option> }
        })
        .collect_view();
    let problems = (!problems.is_empty()).then(|| {
        view! {
            <div class="error-summary" role="alert" id="audit-problems">
                <h2>{tr!("audit.problems_heading")}</h2>
                <ul>
                    {problems
                        .into_iter()
                        .map(|(field, key)| {
                            view! {
                                <li>
                                    <a href=format!("#{field}")>{tr!(&key)}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    });
    let field = |name: &'static str, label: String, value: String, kind: &'static str| {
        view! {
            <div class="field">
                <label for=name>{label}</label>
                <input id=name name=name type=kind value=value />
            </div>
        }
    };
    view! {
        {problems}
        <form method="get" action="/audit" class="filters" id="audit-filters">
            <div class="field">
                <label for="action">{tr!("audit.action")}</label>
                <select id="action" name="action">
                    <option value="">{tr!("audit.any_action")}</option>
                    {options}
                </select>
            </div>
            {field("unit", tr!("audit.unit"), q.unit.clone(), "text")}
            {field("actor", tr!("audit.actor_id"), q.actor.clone(), "text")}
            {field("from", tr!("audit.from"), q.from.clone(), "date")}
            {field("until", tr!("audit.until"), q.until.clone(), "date")}
            <button type="submit" class="button">{tr!("audit.filter")}</button>
        </form>
        <p>
            <a href=export download="" id="audit-export">{tr!("audit.export")}</a>
        </p>
        <AuditTable lines />
        {older.map(|next| view! {
            <p>
                <a href=format!("/audit?{next}") id="audit-older">{tr!("audit.older")}</a>
            </p>
        })}
    }
}

#[component]
fn AuditTable(lines: Vec<AuditLine>) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p id="audit-empty">{tr!("audit.empty")}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="table" id="audit-table">
                <caption class="visually-hidden">{tr!("audit.caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr!("audit.at")}</th>
                        <th scope="col">{tr!("audit.who")}</th>
                        <th scope="col">{tr!("audit.action")}</th>
                        <th scope="col">{tr!("audit.object")}</th>
                        <th scope="col">{tr!("audit.change")}</th>
                    </tr>
                </thead>
                <tbody>
                    {lines
                        .into_iter()
                        .map(|l| {
                            let action = match &l.action_key {
                                Some(key) => tr!(key),
                                None => l.action.clone(),
                            };
                            let who = match (l.actor_id, &l.address) {
                                (Some(id), Some(address)) => {
                                    format!("{} (#{id}, {address})", l.actor_name)
                                }
                                (Some(id), None) => format!("{} (#{id})", l.actor_name),
                                (None, _) => l.actor_name.clone(),
                            };
                            let object = match &l.unit_code {
                                Some(unit) => format!("{} · {unit}", l.object),
                                None => l.object.clone(),
                            };
                            view! {
                                <tr>
                                    <td>{l.at}</td>
                                    <td>{who}</td>
                                    <td>{action}</td>
                                    <td>{object}</td>
                                    <td>
                                        {l.before.map(|b| view! { <div><span class="hint">{tr!("audit.before")}</span> " " <code>{b}</code></div> })}
                                        {l.after.map(|a| view! { <div><span class="hint">{tr!("audit.after")}</span> " " <code>{a}</code></div> })}
                                    </td>
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
