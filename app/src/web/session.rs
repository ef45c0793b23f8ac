//! Reads the session and language cookies of every page request into request extensions,
//! where pages and server functions find them.

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

use crate::auth::SESSION_COOKIE;
use crate::i18n::Locale;
use crate::request::{Session, TextSize};
use crate::services::accounts::resolve_session;
use crate::services::AppState;

/// Adds [`Session`] and [`Locale`] to the request. A session cookie that no longer stands for
/// a valid session (expired, revoked, forged) is cleared on the response; one that could not be
/// checked because the database failed is kept. Every response to a signed-in request is
/// `Cache-Control: no-store` unless its handler said otherwise.
pub async fn session_middleware(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let is_asset = path.starts_with("/pkg/")
        || path.starts_with("/content/")
        || path == "/healthz"
        || path == "/favicon.svg";
    let cookie_header = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ");
    let locale = Locale::from_cookie_header(&cookie_header);
    let token = cookie_value(&cookie_header, SESSION_COOKIE).map(str::to_owned);
    let mut stale_cookie = false;
    let session = match (&token, is_asset) {
        (Some(token), false) => match resolve_session(&state, token).await {
            Ok(user) => {
                stale_cookie = user.is_none();
                Session(user)
            }
            Err(e) => {
                // The database did not answer: serve this request anonymously but keep the
                // cookie, which is probably still good.
                tracing::error!(error = %e, "session lookup failed");
                Session(None)
            }
        },
        _ => Session(None),
    };
    let signed_in = session.0.is_some();
    req.extensions_mut().insert(locale);
    req.extensions_mut()
        .insert(TextSize::from_cookie_header(&cookie_header));
    req.extensions_mut().insert(session);
    let mut response = next.run(req).await;
    // What a signed-in person sees is theirs: no browser or proxy may keep it for the next
    // person at a shared computer.
    if signed_in && !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
    }
    if stale_cookie && !response.headers().contains_key(header::SET_COOKIE) {
        if let Ok(value) = super::accounts::clear_session_cookie(&state).parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}
