//! The hocso server: configuration, the axum router around the Leptos app, the plain-form
//! handlers, the session middleware, and the CLI's building blocks.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod config;
pub mod demo;
pub mod forms;
pub mod limiter;
pub mod session;

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{middleware, Extension, Router};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use app::auth::TokenKeys;
use app::services::AppState;
use app::store::Db;
use app::{shell, App};
use config::{Config, Mode};

/// Opens the database, applies migrations, and assembles the state every request shares.
pub async fn build_state(
    config: &Config,
    leptos_options: LeptosOptions,
) -> anyhow::Result<AppState> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let keys = TokenKeys::new(&config.jwt_secret, TokenKeys::DEFAULT_TTL_SECONDS)?;
    Ok(AppState {
        leptos_options,
        db,
        keys,
        secure_cookies: config.mode == Mode::Production,
    })
}

/// The whole HTTP surface of hocso.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let limiter = Arc::new(limiter::LoginLimiter::new());
    Router::new()
        .route("/healthz", get(healthz))
        .route("/lang/{code}", get(forms::set_language))
        .route("/login", post(forms::login))
        .route("/register", post(forms::register))
        .route("/logout", post(forms::logout))
        .route("/account/password", post(forms::change_password))
        .leptos_routes_with_context(&state, routes, || {}, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::session_middleware,
        ))
        .layer(Extension(limiter))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'; base-uri 'none'"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
