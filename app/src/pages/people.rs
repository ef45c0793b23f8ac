//! The people directory (admins, organizers) and a unit manager's view of their unit.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::guard;
use crate::api::list_accounts;
use crate::components::form::ErrorSummary;
use crate::domain::{Cohort, Role};
use crate::request::current_user;
use crate::tr;
use crate::types::AccountLine;

#[component]
pub fn People() -> impl IntoView {
    if let Err(page) = guard(Role::may_list_accounts) {
        return page;
    }
    let admin = current_user().is_some_and(|u| u.role.may_read_audit());
    let anonymised = use_query_map().with_untracked(|q| q.get("anonymised").is_some());
    let accounts = Resource::new_blocking(|| (), |_| list_accounts(None));
    view! {
        <Title text=tr!("people.title") />
        <h1>{tr!("people.title")}</h1>
        {anonymised.then(|| view! { <p class="notice" role="status" id="anonymised">{tr!("people.anonymised")}</p> })}
        <ErrorSummary />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match accounts.await {
                    Ok(lines) => view! { <AccountTable lines admin /> }.into_any(),
                    Err(e) => view! { <p class="error-message">{tr!(e.message_key())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
pub fn UnitHome() -> impl IntoView {
    let user = match guard(|role| role == Role::UnitManager) {
        Ok(user) => user,
        Err(page) => return page,
    };
    let accounts = Resource::new_blocking(|| (), |_| list_accounts(None));
    let unit = user.unit_name.unwrap_or_default();
    let code = user.unit_code.unwrap_or_default();
    view! {
        <Title text=tr!("unit.title") />
        <h1>{tr!("unit.heading", unit = unit)}</h1>
        <super::competency::UnitCompetency code />
        <h2>{tr!("unit.people_heading")}</h2>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match accounts.await {
                    Ok(lines) => view! { <AccountTable lines admin=false /> }.into_any(),
                    Err(e) => view! { <p class="error-message">{tr!(e.message_key())}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// An admin's form to anonymise one account (not an admin's): a box to tick, then the button.
fn anonymise_form(id: i64, role: Role) -> impl IntoView {
    let form = (role != Role::Admin).then(|| {
        let check = format!("confirm-{id}");
        view! {
            <form method="post" action=format!("/people/{id}/anonymise") class="inline-form">
                <input type="checkbox" id=check.clone() name="confirm" value="yes" />
                " "
                <label for=check>{tr!("people.anonymise_confirm")}</label>
                " "
                <button type="submit" class="button button-secondary">{tr!("people.anonymise")}</button>
            </form>
        }
    });
    view! { <td>{form}</td> }
}

fn role_label(role: Role) -> String {
    match role {
        Role::Admin => tr!("role.admin"),
        Role::Organizer => tr!("role.organizer"),
        Role::UnitManager => tr!("role.unit_manager"),
        Role::Learner => tr!("role.learner"),
    }
}

fn cohort_label(cohort: Option<Cohort>) -> String {
    match cohort {
        Some(Cohort::Official) => tr!("cohort.official"),
        Some(Cohort::Volunteer) => tr!("cohort.volunteer"),
        Some(Cohort::Resident) => tr!("cohort.resident"),
        None => String::new(),
    }
}

#[component]
fn AccountTable(lines: Vec<AccountLine>, admin: bool) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p>{tr!("people.empty")}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="table">
                <caption class="visually-hidden">{tr!("people.caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr!("people.name")}</th>
                        <th scope="col">{tr!("people.role")}</th>
                        <th scope="col">{tr!("people.cohort")}</th>
                        <th scope="col">{tr!("people.unit")}</th>
                        {admin.then(|| view! { <th scope="col">{tr!("people.personal_data")}</th> })}
                    </tr>
                </thead>
                <tbody>
                    {lines
                        .into_iter()
                        .map(|l| {
                            view! {
                                <tr>
                                    <td>{l.full_name}</td>
                                    <td>{role_label(l.role)}</td>
                                    <td>{cohort_label(l.cohort)}</td>
                                    <td>{l.unit_name.unwrap_or_default()}</td>
                                    {admin.then(|| anonymise_form(l.id, l.role))}
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
