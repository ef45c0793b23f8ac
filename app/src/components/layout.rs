//! The frame of every page: skip link, header with navigation per role, language switch,
//! footer.

use leptos::prelude::*;

use crate::domain::{Cohort, Role};
use crate::i18n::{use_locale, Locale};
use crate::request::current_user;
use crate::tr;
use crate::types::paths;

#[component]
pub fn Header() -> impl IntoView {
    let user = current_user();
    let other = match use_locale() {
        Locale::Vi => Locale::En,
        Locale::En => Locale::Vi,
    };
    let switch_href = format!("/lang/{}", other.code());
    let links: Vec<(String, String)> = match user.as_ref().map(|u| u.role) {
        None => vec![
            ("/".into(), tr!("nav.home")),
            ("/login".into(), tr!("nav.login")),
            ("/register".into(), tr!("nav.register")),
        ],
        Some(Role::Learner) => {
            let mut links = vec![
                ("/learn".into(), tr!("nav.learn")),
                ("/practice".into(), tr!("nav.practice")),
                ("/passport".into(), tr!("nav.passport")),
            ];
            if user.as_ref().and_then(|u| u.cohort) == Some(Cohort::Volunteer) {
                links.push(("/shifts".into(), tr!("nav.shifts")));
            }
            links
        }
        Some(Role::UnitManager) => {
            let report = user
                .as_ref()
                .and_then(|u| u.unit_code.as_deref())
                .map(|code| format!("/campaign/units/{code}"))
                .unwrap_or_else(|| "/unit".into());
            vec![
                ("/unit".into(), tr!("nav.unit")),
                (report, tr!("nav.campaign")),
            ]
        }
        Some(role @ (Role::Organizer | Role::Admin)) => {
            let mut links = vec![
                ("/campaign".into(), tr!("nav.campaign")),
                ("/units".into(), tr!("nav.units")),
                ("/deploy".into(), tr!("nav.deploy")),
                ("/people".into(), tr!("nav.people")),
            ];
            if role.may_read_audit() {
                links.push(("/audit".into(), tr!("nav.audit")));
            }
            links
        }
    };
    let signed_in = user.is_some();
    view! {
        <a class="skip-link" href="#main">
            {tr!("nav.skip")}
        </a>
        <header class="site-header">
            <div class="header-row">
                <a
                    class="brand"
                    href=user.as_ref().map(|u| paths::home(u.role)).unwrap_or("/")
                >
                    "Học Số"
                </a>
                <span class="header-tools">
                    {if crate::request::large_text() {
                        view! {
                            <a class="text-switch" href="/text/normal" rel="nofollow">
                                {tr!("nav.text_normal")}
                            </a>
                        }
                    } else {
                        view! {
                            <a class="text-switch" href="/text/large" rel="nofollow">
                                {tr!("nav.text_large")}
                            </a>
                        }
                    }}
                    <a class="lang-switch" href=switch_href hreflang=other.code() rel="nofollow">
                        {tr!("nav.switch_language")}
                    </a>
                </span>
            </div>
            <nav aria-label=tr!("nav.label")>
                <ul class="nav-list">
                    {links
                        .into_iter()
                        .map(|(href, text)| {
                            view! {
                                <li>
                                    <a href=href>{text}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                    {signed_in
                        .then(|| {
                            view! {
                                <li>
                                    <a href="/account/password">{tr!("nav.account")}</a>
                                </li>
                                <li>
                                    <form method="post" action="/logout" class="inline-form">
                                        <button type="submit" class="link-button">
                                            {tr!("nav.logout")}
                                        </button>
                                    </form>
                                </li>
                            }
                        })}
                </ul>
            </nav>
            {user
                .map(|u| {
                    view! {
                        <p class="signed-in-as">
                            {tr!("nav.signed_in_as", name = u.full_name)}
                        </p>
                    }
                })}
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>{tr!("footer.about")}</p>
            <p>{tr!("footer.help")}</p>
        </footer>
    }
}
