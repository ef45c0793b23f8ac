//! The web door: the handlers of every plain HTML form (and the downloads), one file per area
//! next to that area's server functions in `api/`, and what they all share.
//!
//! Forms work without JavaScript: success redirects (303); a form that is not taken comes back
//! as its own page, with the errors and what was typed (422), or as the error's page with its
//! status. A handler states who may post it with one extractor ([`Caller`]: signed in, of an
//! [`Audience`], posted from this site), reads its body with another ([`FormInput`]), calls
//! its service and turns the outcome into a response: a [`Rejection`] through [`FormPage`], an
//! [`AppError`] through its one `IntoResponse`. Pages are rendered again by one layer
//! ([`render_pages`]), so a handler never renders anything itself.

pub mod accounts;
pub mod audit;
pub mod campaign;
pub mod competency;
pub mod deploy;
pub mod learning;
pub mod limiter;
pub mod practice;
pub mod roster;
pub mod session;

use std::marker::PhantomData;
use std::net::{IpAddr, SocketAddr};

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request, State};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{self, MethodRouter};
use axum::Router;
use leptos::prelude::provide_context;

use crate::domain::audit::Actor;
use crate::domain::Audience;
use crate::request::Session;
use crate::services::{AppState, Site};
use crate::shell;
use crate::types::form::{FormErrors, FormInput, FormOutcome, Rejection};
use crate::types::{AppError, CurrentUser};

/// Largest URL-encoded form body accepted.
const MAX_FORM_BYTES: usize = 16 * 1024;

/// Every form and download route, with the table of their addresses.
pub fn routes(state: &AppState) -> Routes {
    Routes::new()
        .merge(accounts::routes(state.limits))
        .merge(learning::routes())
        .merge(practice::routes())
        .merge(competency::routes())
        .merge(campaign::routes())
        .merge(roster::routes())
        .merge(deploy::routes())
        .merge(audit::routes())
}

/// A router that remembers the address of every route it is given, so the table of everything
/// the site answers (`hocso::route_table`, which the authorization matrix test walks) is read
/// from the very registration the router is built from: a route cannot be added without
/// appearing there.
pub struct Routes {
    router: Router<AppState>,
    table: Vec<(Method, &'static str)>,
}

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}

impl Routes {
    pub fn new() -> Routes {
        Routes {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    /// `GET path` (axum's router answers `HEAD` with it too).
    pub fn get<H, T>(self, path: &'static str, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.route(Method::GET, path, routing::get(handler))
    }

    /// `POST path`.
    pub fn post<H, T>(self, path: &'static str, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.route(Method::POST, path, routing::post(handler))
    }

    /// `method path`, answered by a method router made for that one method (one with its own
    /// layers, say).
    pub fn route(
        mut self,
        method: Method,
        path: &'static str,
        handler: MethodRouter<AppState>,
    ) -> Routes {
        self.router = self.router.route(path, handler);
        self.table.push((method, path));
        self
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self
    }

    /// Makes `value` an extension of every request these routes take.
    pub fn extension<T: Clone + Send + Sync + 'static>(mut self, value: T) -> Routes {
        self.router = self.router.layer(axum::Extension(value));
        self
    }

    /// The method and path (axum's syntax, `{param}`) of every route, in registration order.
    pub fn table(&self) -> &[(Method, &'static str)] {
        &self.table
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}

/// The layers every request of the site passes, outermost first: the session (who is signed
/// in, in which language), the rendering of the pages handlers ask for ([`render_pages`]),
/// and the refusal of posts from other sites ([`refuse_cross_site`]).
pub fn layers(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    router
        .layer(middleware::from_fn_with_state(
            state.clone(),
            refuse_cross_site,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), render_pages))
        .layer(middleware::from_fn(bad_arguments_are_400))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::session_middleware,
        ))
}

/// Refuses (403, a page saying why) any request but `GET`/`HEAD` that a page of another site
/// sent: forms and server functions alike ([`from_this_site`]).
pub async fn refuse_cross_site(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if is_safe(req.method()) || from_this_site(&state.site, req.headers()) {
        return next.run(req).await;
    }
    tracing::warn!(
        path = req.uri().path(),
        origin = ?req.headers().get(header::ORIGIN),
        "cross-site post refused"
    );
    AppError::CrossSite.into_response()
}

/// The answer to a request no route takes: the 404 page, in the person's language.
pub async fn not_found() -> Response {
    AppError::NotFound.into_response()
}

/// Who may post to a handler: one of the [`Audience`]s, as a type.
pub trait Admits: Send + Sync + 'static {
    const AUDIENCE: Audience;
}

/// Anyone signed in.
pub struct SignedIn;
/// Learners only.
pub struct Learners;
/// Unit managers, organizers and admins.
pub struct Staff;
/// Organizers and admins.
pub struct Organizers;
/// Admins only.
pub struct Admins;

impl Admits for SignedIn {
    const AUDIENCE: Audience = Audience::SignedIn;
}
impl Admits for Learners {
    const AUDIENCE: Audience = Audience::Learners;
}
impl Admits for Staff {
    const AUDIENCE: Audience = Audience::Staff;
}
impl Admits for Organizers {
    const AUDIENCE: Audience = Audience::Organizers;
}
impl Admits for Admins {
    const AUDIENCE: Audience = Audience::Admins;
}

/// The person a handler acts for: signed in and of audience `A` (a post from another site
/// never gets this far: [`refuse_cross_site`]). Anyone else never reaches the handler: a
/// visitor who is not signed in is sent to log in, another role gets the 403 page.
pub struct Caller<A> {
    pub user: CurrentUser,
    /// The address the request came from, for the audit log.
    address: Option<IpAddr>,
    audience: PhantomData<A>,
}

impl<A> Caller<A> {
    /// The caller as the audit log records them: who, and from where.
    pub fn actor(&self) -> Actor {
        Actor::person(self.user.id, &self.user.full_name, self.address)
    }
}

impl<A: Admits> FromRequestParts<AppState> for Caller<A> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Response> {
        let Some(user) = session_user(parts) else {
            return Err(see_other(crate::types::paths::LOGIN));
        };
        if !A::AUDIENCE.admits(user.role) {
            return Err(AppError::Forbidden.into_response());
        }
        Ok(Caller {
            user,
            address: client_address(parts),
            audience: PhantomData,
        })
    }
}

/// A URL-encoded form body (at most 16 KB: a longer one is the 413 page). A body that does not
/// decode is read as an empty form, so the person sees the usual "please fill in" messages
/// rather than a bare error.
impl<S: Send + Sync> FromRequest<S> for FormInput {
    type Rejection = Response;

    async fn from_request(req: Request, _: &S) -> Result<Self, Response> {
        let bytes = axum::body::to_bytes(req.into_body(), MAX_FORM_BYTES)
            .await
            .map_err(|_| AppError::TooLarge.into_response())?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        Ok(FormInput::new(pairs))
    }
}

/// The one answer to the application's error: the page of the request's address with the
/// error's message, at the error's status (rendered by [`render_pages`]).
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Show {
            path: None,
            outcome: FormOutcome {
                errors: FormErrors::general(self.message_key()),
                values: Vec::new(),
            },
        }
        .with_status(status)
    }
}

/// The page a form lives on, to show again when the form is not taken.
pub struct FormPage {
    /// `None`: the page at the address the form was posted to.
    path: Option<String>,
    /// What was typed, to fill the fields again (never passwords).
    values: Vec<(String, String)>,
}

impl FormPage {
    /// The form's page is the address it was posted to.
    pub fn here(values: Vec<(String, String)>) -> FormPage {
        FormPage { path: None, values }
    }

    /// The form's page is `path` (a form on a page with another address).
    pub fn at(path: impl Into<String>, values: Vec<(String, String)>) -> FormPage {
        FormPage {
            path: Some(path.into()),
            values,
        }
    }

    /// The answer to a form that was not taken: its page again with each problem (422), the
    /// same with a general message when the server failed (500), or the error's page.
    pub fn reject(self, rejection: Rejection) -> Response {
        match rejection {
            Rejection::Invalid(errors) => self.show(errors, StatusCode::UNPROCESSABLE_ENTITY),
            Rejection::Refused(AppError::Internal) => self.show(
                FormErrors::general(AppError::Internal.message_key()),
                StatusCode::INTERNAL_SERVER_ERROR,
            ),
            Rejection::Refused(err) => err.into_response(),
        }
    }

    /// The form's page with these errors (none: a page showing `values`, such as a code
    /// issued once) and this status.
    pub fn show(self, errors: FormErrors, status: StatusCode) -> Response {
        Show {
            path: self.path,
            outcome: FormOutcome {
                errors,
                values: self.values,
            },
        }
        .with_status(status)
    }
}

/// A page to render for the request in place of the handler's empty response.
#[derive(Clone)]
struct Show {
    path: Option<String>,
    outcome: FormOutcome,
}

impl Show {
    fn with_status(self, status: StatusCode) -> Response {
        let mut response = status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// A server function called with arguments that do not decode answers 400, not the 500 the
/// server-function machinery gives every error raised before the function's own gate
/// ([`crate::api`] maps such errors to [`AppError::BadRequest`]).
pub async fn bad_arguments_are_400(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let response = next.run(req).await;
    if !is_api || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return AppError::Internal.into_response();
    };
    let bad_request = leptos::serde_json::to_vec(&AppError::BadRequest).unwrap_or_default();
    if bytes.as_ref() == bad_request.as_slice() {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Renders the page a handler asked for ([`Show`]) with the request's session and language,
/// keeping the handler's status and headers (`Retry-After`, `Cache-Control`).
pub async fn render_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let kept = parts.clone();
    let response = next.run(Request::from_parts(parts, body)).await;
    let Some(show) = response.extensions().get::<Show>().cloned() else {
        return response;
    };
    let mut parts = kept;
    if let Some(uri) = show.path.as_deref().and_then(|p| p.parse::<Uri>().ok()) {
        parts.uri = uri;
    }
    let mut page = render_page(&state, parts, show.outcome).await;
    *page.status_mut() = response.status();
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            page.headers_mut().insert(name.clone(), value.clone());
        }
    }
    page
}

async fn render_page(state: &AppState, mut parts: Parts, outcome: FormOutcome) -> Response {
    parts.method = Method::GET;
    let request = Request::from_parts(parts, Body::empty());
    let context_state = state.clone();
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(context_state.clone());
            provide_context(outcome.clone());
        },
        move || shell(options.clone()),
    );
    handler(request).await
}

/// A 303 to `to`: where a form goes once it is taken.
pub fn see_other(to: &str) -> Response {
    axum::response::Redirect::to(to).into_response()
}

/// A file to download: never cached (it holds what the viewer may see now).
pub fn download(content_type: &'static str, file_name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// Adds a `Set-Cookie` header.
pub fn set_cookie(response: &mut Response, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// The signed-in person of a request, as the session middleware found them.
pub fn session_user(parts: &Parts) -> Option<CurrentUser> {
    parts.extensions.get::<Session>().and_then(|s| s.0.clone())
}

/// The client's address as the socket saw it. Behind a load balancer every client shares the
/// balancer's address; see ARCHITECTURE.md.
pub fn client_address(parts: &Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD)
}

/// Whether a request comes from a page of this site. A browser says where a form was posted
/// from: `Sec-Fetch-Site` (anything but `same-origin` or `none`, typed or bookmarked, is
/// refused) and `Origin`, which must be the site's public origin (development without one:
/// the `Host` the request was sent to). A request that says neither (an old browser, a
/// script) is taken: the session cookie is `SameSite=Lax`, so another site's post carries no
/// session.
pub fn from_this_site(site: &Site, headers: &HeaderMap) -> bool {
    let fetch_site = headers
        .get("sec-fetch-site")
        .map(|v| v.to_str().unwrap_or_default());
    if fetch_site.is_some_and(|v| v != "same-origin" && v != "none") {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    origin
        .to_str()
        .ok()
        .and_then(|origin| after_own_origin(site, headers, origin))
        .is_some_and(str::is_empty)
}

/// The path of the referring page, if it is on this site.
pub fn same_site_referer(site: &Site, parts: &Parts) -> Option<String> {
    let referer = parts.headers.get(header::REFERER)?.to_str().ok()?;
    let rest = after_own_origin(site, &parts.headers, referer)?;
    (rest.starts_with('/') && !rest.starts_with("//")).then(|| rest.to_owned())
}

/// What follows this site's origin in `url` (`None`: another site's). The origin is the
/// public one; in development without one, any scheme with the request's `Host`.
fn after_own_origin<'a>(site: &Site, headers: &HeaderMap, url: &'a str) -> Option<&'a str> {
    let (own, rest) = match &site.public_origin {
        Some(public) => (public.as_str(), url),
        None => {
            let host = headers.get(header::HOST)?.to_str().ok()?;
            (host, url.split_once("://")?.1)
        }
    };
    let head = rest.get(..own.len())?;
    head.eq_ignore_ascii_case(own).then(|| &rest[own.len()..])
}

/// An id from the address; one that is not a number names nothing.
pub fn id_in_path(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound)
}
