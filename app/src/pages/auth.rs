//! Register, log in, change password. Each form posts to its own address (handled by the
//! server's form handlers), so it works the same with and without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{guard, redirect};
use crate::api::list_units;
use crate::components::form::{use_form_outcome, ErrorSummary, PasswordField, TextField};
use crate::request::current_user;
use crate::tr;
use crate::types::paths;
use crate::types::UnitOption;

#[component]
pub fn Login() -> impl IntoView {
    if let Some(user) = current_user() {
        redirect(paths::home(user.role));
    }
    view! {
        <Title text=tr!("login.title") />
        <h1>{tr!("login.title")}</h1>
        <ErrorSummary />
        <form method="post" action="/login" class="form" novalidate>
            <TextField
                name="contact"
                label=tr!("login.contact")
                hint=tr!("login.contact_hint")
                autocomplete="username"
            />
            <PasswordField name="password" label=tr!("login.password") />
            <button type="submit" class="button">
                {tr!("login.submit")}
            </button>
        </form>
        <p>{tr!("login.no_account")} " " <a href="/register">{tr!("login.register_link")}</a></p>
        <p>{tr!("login.imported")} " " <a href="/activate">{tr!("login.activate_link")}</a></p>
    }
}

/// `/activate`: someone on an imported roster sets their first password with the code their
/// unit gave them.
#[component]
pub fn Activate() -> impl IntoView {
    if let Some(user) = current_user() {
        redirect(paths::home(user.role));
    }
    view! {
        <Title text=tr!("activate.title") />
        <h1>{tr!("activate.title")}</h1>
        <p class="lead">{tr!("activate.lead")}</p>
        <ErrorSummary />
        <form method="post" action="/activate" class="form" novalidate>
            <TextField
                name="contact"
                label=tr!("activate.contact")
                hint=tr!("activate.contact_hint")
                autocomplete="username"
            />
            <TextField
                name="code"
                label=tr!("activate.code")
                hint=tr!("activate.code_hint")
            />
            <PasswordField
                name="password"
                label=tr!("register.password")
                hint=tr!("register.password_hint")
                autocomplete="new-password"
            />
            <PasswordField
                name="password_confirm"
                label=tr!("register.password_confirm")
                autocomplete="new-password"
            />
            <button type="submit" class="button">
                {tr!("activate.submit")}
            </button>
        </form>
    }
}

#[component]
pub fn Register() -> impl IntoView {
    if let Some(user) = current_user() {
        redirect(paths::home(user.role));
    }
    let units = Resource::new_blocking(|| (), |_| list_units());
    view! {
        <Title text=tr!("register.title") />
        <h1>{tr!("register.title")}</h1>
        <p class="lead">{tr!("register.lead")}</p>
        <ErrorSummary />
        <form method="post" action="/register" class="form" novalidate>
            <TextField
                name="full_name"
                label=tr!("register.full_name")
                hint=tr!("register.full_name_hint")
                autocomplete="name"
            />
            <TextField
                name="contact"
                label=tr!("register.contact")
                hint=tr!("register.contact_hint")
                autocomplete="username"
            />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match units.await {
                        Ok(units) => view! { <UnitSelect units /> }.into_any(),
                        Err(e) => {
                            super::set_status(500);
                            view! { <p class="error-message" role="alert">{tr!(e.message_key())}</p> }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
            <PasswordField
                name="password"
                label=tr!("register.password")
                hint=tr!("register.password_hint")
                autocomplete="new-password"
            />
            <PasswordField
                name="password_confirm"
                label=tr!("register.password_confirm")
                autocomplete="new-password"
            />
            <button type="submit" class="button">
                {tr!("register.submit")}
            </button>
        </form>
        <p>{tr!("register.have_account")} " " <a href="/login">{tr!("register.login_link")}</a></p>
    }
}

/// The ward or commune a resident lives in: Hà Nội's 126 units.
#[component]
fn UnitSelect(units: Vec<UnitOption>) -> impl IntoView {
    let outcome = use_form_outcome();
    let chosen = outcome.value("unit_code");
    let error = outcome.errors.for_field("unit_code").map(|key| tr!(key));
    let invalid = error.is_some();
    view! {
        <div class="field" class:field-error=invalid>
            <label for="unit_code">{tr!("register.unit")}</label>
            <p class="hint" id="unit_code-hint">
                {tr!("register.unit_hint")}
            </p>
            {error.map(|e| view! { <p class="error-message" id="unit_code-error">{e}</p> })}
            <select
                id="unit_code"
                name="unit_code"
                aria-describedby="unit_code-hint"
                aria-invalid=invalid.then_some("true")
            >
                <option value="">{tr!("register.unit_choose")}</option>
                {units
                    .into_iter()
                    .map(|u| {
                        let selected = u.code == chosen;
                        view! {
                            <option value=u.code selected=selected>
                                {u.name}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[component]
pub fn ChangePassword() -> impl IntoView {
    let user = match guard(|_| true) {
        Ok(user) => user,
        Err(page) => return page,
    };
    let changed = use_query_map().with_untracked(|q| q.get("done").is_some());
    view! {
        <Title text=tr!("password.title") />
        <h1>{tr!("password.title")}</h1>
        <p>{tr!("password.account_of", name = user.full_name)}</p>
        {changed.then(|| view! { <p class="notice" role="status">{tr!("password.changed")}</p> })}
        <ErrorSummary />
        <form method="post" action="/account/password" class="form" novalidate>
            <PasswordField name="current_password" label=tr!("password.current") />
            <PasswordField
                name="new_password"
                label=tr!("password.new")
                hint=tr!("register.password_hint")
                autocomplete="new-password"
            />
            <PasswordField
                name="new_password_confirm"
                label=tr!("password.new_confirm")
                autocomplete="new-password"
            />
            <button type="submit" class="button">
                {tr!("password.submit")}
            </button>
        </form>
        <p class="hint">{tr!("password.note_revokes")}</p>
        <h2>{tr!("account.data_heading")}</h2>
        <p>{tr!("account.data_lead")}</p>
        <p>
            <a href="/account/data.json" download="" id="my-data">{tr!("account.data_download")}</a>
        </p>
    }
    .into_any()
}
