//! The HTML document and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::components::layout::{Footer, Header};
use crate::i18n::use_locale;
use crate::pages;
use crate::request::large_text;

/// The whole document, rendered on the server for every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = use_locale().code();
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b5394" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" id="leptos" href="/pkg/hocso.css" />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body class:text-large=large_text()>
                <App />
            </body>
        </html>
    }
}

/// Every page of hocso. Pages that read data render completely before sending
/// (`SsrMode::Async`): they must work without JavaScript, which streamed fragments need.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Header />
            <main id="main" class="main" tabindex="-1">
                <Routes fallback=pages::NotFound>
                    <Route path=path!("/") view=pages::Home />
                    <Route path=path!("/login") view=pages::auth::Login />
                    <Route path=path!("/activate") view=pages::auth::Activate />
                    <Route
                        path=path!("/register")
                        view=pages::auth::Register
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/account/password") view=pages::auth::ChangePassword />
                    <Route
                        path=path!("/learn")
                        view=pages::learner::LearnerHome
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/learn/:module")
                        view=pages::learner::ModulePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/learn/:module/:lesson")
                        view=pages::learner::LessonPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/quiz/:module")
                        view=pages::learner::QuizPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/quiz/:module/result/:attempt")
                        view=pages::learner::ResultPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/practice")
                        view=pages::practice::PracticeHome
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/practice/:procedure")
                        view=pages::practice::ProcedurePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/practice/run/:run")
                        view=pages::practice::RunPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/practice/run/:run/review")
                        view=pages::practice::ReviewPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/people")
                        view=pages::people::People
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/unit") view=pages::people::UnitHome ssr=SsrMode::Async />
                    <Route
                        path=path!("/passport")
                        view=pages::competency::Passport
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/passport/survey")
                        view=pages::competency::Survey
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/units") view=pages::competency::Units ssr=SsrMode::Async />
                    <Route
                        path=path!("/units/:code")
                        view=pages::competency::UnitPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/volunteers")
                        view=pages::competency::ReadyVolunteers
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/campaign")
                        view=pages::campaign::CampaignDashboard
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/campaign/settings")
                        view=pages::campaign::CampaignSettingsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/campaign/units/:code")
                        view=pages::campaign::UnitReport
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/roster") view=pages::roster::RosterImport ssr=SsrMode::Async />
                    <Route
                        path=path!("/roster/:id")
                        view=pages::roster::RosterPreviewPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/deploy") view=pages::deploy::Deploy ssr=SsrMode::Async />
                    <Route path=path!("/audit") view=pages::audit::AuditLog ssr=SsrMode::Async />
                    <Route path=path!("/shifts") view=pages::deploy::Shifts ssr=SsrMode::Async />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}

/// Pages allow only their own scripts and styles: inline scripts (the island loader) must carry
/// this response's nonce, and WebAssembly may be compiled.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use leptos::nonce::use_nonce;
    let (Some(nonce), Some(response)) =
        (use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; connect-src 'self'; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}
