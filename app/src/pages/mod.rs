//! One module per area of the site. Pages run only on the server.

pub mod audit;
pub mod auth;
pub mod campaign;
pub mod competency;
pub mod deploy;
pub mod learner;
pub mod people;
pub mod practice;
pub mod roster;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::domain::Role;
use crate::request::current_user;
use crate::tr;
use crate::types::paths;
use crate::types::CurrentUser;

/// Sets the HTTP status of the page being rendered.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// Sends the browser elsewhere (a 302 for a page load).
pub fn redirect(to: &str) {
    #[cfg(feature = "ssr")]
    leptos_axum::redirect(to);
    #[cfg(not(feature = "ssr"))]
    let _ = to;
}

/// What a page that needs a signed-in person with a given role should show instead, if anything:
/// a redirect to the login page, or a "not allowed" page (403).
pub fn guard(allowed: impl Fn(Role) -> bool) -> Result<CurrentUser, AnyView> {
    match current_user() {
        None => {
            redirect("/login");
            Err(view! { <p>{tr!("errors.unauthenticated")}</p> }.into_any())
        }
        Some(user) if allowed(user.role) => Ok(user),
        Some(user) => {
            set_status(403);
            let home = paths::home(user.role);
            Err(view! {
                <Title text=tr!("errors.forbidden_title") />
                <h1>{tr!("errors.forbidden_title")}</h1>
                <p>{tr!("errors.forbidden")}</p>
                <p>
                    <a href=home>{tr!("errors.go_home")}</a>
                </p>
            }
            .into_any())
        }
    }
}

/// The landing page: what hocso is, and the way in.
#[component]
pub fn Home() -> impl IntoView {
    if let Some(user) = current_user() {
        redirect(paths::home(user.role));
    }
    view! {
        <Title text=tr!("home.title") />
        <h1>{tr!("home.heading")}</h1>
        <p class="lead">{tr!("home.lead")}</p>
        <ul class="audiences">
            <li>{tr!("home.for_residents")}</li>
            <li>{tr!("home.for_volunteers")}</li>
            <li>{tr!("home.for_officials")}</li>
        </ul>
        <p class="actions">
            <a class="button" href="/register">
                {tr!("home.start")}
            </a>
            <a class="button button-secondary" href="/login">
                {tr!("home.have_account")}
            </a>
        </p>
    }
}

/// Shown for any address hocso does not know (status 404); and for a request refused at an
/// address that has no page of its own (a form's handler, a server function), with why it was
/// refused, at the refusal's status.
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    let refusal = crate::components::form::use_form_outcome()
        .errors
        .errors
        .into_iter()
        .map(|e| e.key)
        .find(|key| *key != "errors.not_found");
    match refusal {
        Some(key) => view! {
            <Title text=tr!("errors.refused_title") />
            <h1>{tr!("errors.refused_title")}</h1>
            <p role="alert">{tr!(key)}</p>
            <p>
                <a href="/">{tr!("errors.go_home")}</a>
            </p>
        }
        .into_any(),
        None => view! {
            <Title text=tr!("not_found.title") />
            <h1>{tr!("not_found.title")}</h1>
            <p>{tr!("not_found.body")}</p>
            <p>
                <a href="/">{tr!("errors.go_home")}</a>
            </p>
        }
        .into_any(),
    }
}
