//! Roster import pages: upload a CSV (`/roster`), look at what it would do
//! (`/roster/{id}`: every problem by row number, or the counts and the first rows), then
//! import it all at once. Plain forms: a file upload works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::guard;
use super::learner::{error_view, param};
use crate::api::roster::get_roster_preview;
use crate::components::form::ErrorSummary;
use crate::domain::roster::{Action, Column};
use crate::domain::{Cohort, Role};
use crate::tr;
use crate::types::roster::RosterPreview;

/// `/roster`: the upload form.
#[component]
pub fn RosterImport() -> impl IntoView {
    if let Err(page) = guard(Role::may_list_accounts) {
        return page;
    }
    let columns = Column::ALL
        .into_iter()
        .map(|c| {
            let key = match c {
                Column::Code => "roster.help.code",
                Column::FullName => "roster.help.full_name",
                Column::Cohort => "roster.help.cohort",
                Column::Unit => "roster.help.unit",
                Column::Position => "roster.help.position",
                Column::University => "roster.help.university",
                Column::Contact => "roster.help.contact",
            };
            view! {
                <li>
                    <code>{c.header()}</code>
                    ": "
                    {tr!(key)}
                </li>
            }
        })
        .collect_view();
    view! {
        <Title text=tr!("roster.title") />
        <h1>{tr!("roster.title")}</h1>
        <p class="lead">{tr!("roster.lead")}</p>
        <ErrorSummary />
        <form
            method="post"
            action="/roster"
            enctype="multipart/form-data"
            class="upload-form"
            id="roster-form"
        >
            <div class="field">
                <label for="file">{tr!("roster.file_label")}</label>
                <p class="hint" id="file-hint">{tr!("roster.file_hint")}</p>
                <input id="file" name="file" type="file" accept=".csv,text/csv" aria-describedby="file-hint" />
            </div>
            <button type="submit" class="button">{tr!("roster.check")}</button>
        </form>
        <h2>{tr!("roster.columns_heading")}</h2>
        <ul class="columns">{columns}</ul>
        <p>
            <a href="/roster/template.csv" download="">{tr!("roster.template")}</a>
        </p>
        <p class="hint">{tr!("roster.cli_hint")}</p>
    }
    .into_any()
}

/// `/roster/{id}`: the preview of an upload, or what its import did.
#[component]
pub fn RosterPreviewPage() -> impl IntoView {
    if let Err(page) = guard(Role::may_list_accounts) {
        return page;
    }
    let id = param("id").parse::<i64>().unwrap_or(0);
    let done = use_query_map().read_untracked().get("done").is_some();
    let data = Resource::new_blocking(move || id, get_roster_preview);
    view! {
        <Title text=tr!("roster.preview_title") />
        <ErrorSummary />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <PreviewBody p done /> }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
    .into_any()
}

fn action_name(action: Action) -> String {
    match action {
        Action::Create => tr!("roster.action_create"),
        Action::Update => tr!("roster.action_update"),
        Action::Same => tr!("roster.action_same"),
    }
}

#[component]
fn PreviewBody(p: RosterPreview, done: bool) -> impl IntoView {
    if p.applied {
        return view! {
            <h1>{tr!("roster.done_title")}</h1>
            {done.then(|| view! { <p class="notice" role="status" id="imported">{tr!("roster.imported")}</p> })}
            <p class="lead" id="roster-summary">
                {tr!("roster.applied", created = p.create, updated = p.update, same = p.same)}
            </p>
            <p>
                <a href="/campaign">{tr!("roster.to_dashboard")}</a>
                " · "
                <a href="/roster">{tr!("roster.another")}</a>
            </p>
        }
        .into_any();
    }
    let ok = p.file_errors.is_empty() && p.errors.is_empty();
    let confirm = format!("/roster/{}/confirm", p.id);
    let problems = (!ok).then(|| {
        view! {
            <div class="error-summary" role="alert" id="roster-errors">
                <h2>{tr!("roster.problems_heading", count = p.errors.len() + p.file_errors.len())}</h2>
                <p>{tr!("roster.nothing_imported")}</p>
                <ul>
                    {p.file_errors.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}
                    {p
                        .errors
                        .iter()
                        .map(|e| {
                            view! {
                                <li data-row=e.row.to_string()>
                                    {tr!("roster.row_error", row = e.row, column = e.column.clone(), message = e.message.clone())}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    });
    let sample = (!p.sample.is_empty()).then(|| {
        view! {
            <h2>{tr!("roster.sample_heading")}</h2>
            <div class="table-scroll">
                <table class="table" id="roster-sample">
                    <caption class="visually-hidden">{tr!("roster.sample_heading")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr!("roster.row")}</th>
                            <th scope="col">{tr!("roster.column.code")}</th>
                            <th scope="col">{tr!("roster.column.full_name")}</th>
                            <th scope="col">{tr!("roster.column.cohort")}</th>
                            <th scope="col">{tr!("roster.column.unit")}</th>
                            <th scope="col">{tr!("roster.action")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {p
                            .sample
                            .iter()
                            .map(|r| {
                                let cohort = match r.cohort {
                                    Some(Cohort::Official) => tr!("cohort.official"),
                                    Some(Cohort::Volunteer) => tr!("cohort.volunteer"),
                                    Some(Cohort::Resident) => tr!("cohort.resident"),
                                    None => String::new(),
                                };
                                view! {
                                    <tr>
                                        <td>{r.row}</td>
                                        <td>{r.code.clone()}</td>
                                        <td>{r.full_name.clone()}</td>
                                        <td>{cohort}</td>
                                        <td>{r.unit.clone()}</td>
                                        <td>{action_name(r.action)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
    });
    view! {
        <h1>{tr!("roster.preview_title")}</h1>
        <p class="lead" id="roster-counts">
            {tr!("roster.counts", file = p.file_name.clone(), rows = p.rows, create = p.create, update = p.update, same = p.same)}
        </p>
        {problems}
        {sample}
        {if ok {
            view! {
                <form method="post" action=confirm class="confirm-form">
                    <p>{tr!("roster.confirm_hint")}</p>
                    <button type="submit" class="button" id="roster-confirm">{tr!("roster.confirm")}</button>
                </form>
            }
                .into_any()
        } else {
            view! {
                <p>
                    <a class="button" href="/roster">{tr!("roster.fix_and_retry")}</a>
                </p>
            }
                .into_any()
        }}
    }
    .into_any()
}
