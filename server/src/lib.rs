//! The hocso server: configuration, the axum router around the Leptos app, the plain-form
//! handlers, the session middleware, and the CLI's building blocks.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod campaign;
pub mod config;
pub mod demo;
pub mod forms;
pub mod import;
pub mod limiter;
pub mod seed;
pub mod session;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
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

/// Loads and checks the curriculum, opens the database, applies migrations, and assembles the
/// state every request shares. Invalid content stops the start with every problem listed.
pub async fn build_state(
    config: &Config,
    leptos_options: LeptosOptions,
) -> anyhow::Result<AppState> {
    let content = load_checked_content(config)?;
    let state = open_state(config, leptos_options, content).await?;
    app::services::campaign::ensure_rollups(&state).await?;
    let recomputed = app::services::competency::sync_with_content(&state).await?;
    if recomputed > 0 {
        tracing::info!(learners = recomputed, "verified levels brought up to date");
    }
    Ok(state)
}

/// The state for CLI commands that only need the database (`migrate`, `admin create`): the
/// curriculum is not read, so a content problem never blocks them.
pub async fn build_database_state(
    config: &Config,
    leptos_options: LeptosOptions,
) -> anyhow::Result<AppState> {
    open_state(config, leptos_options, app::content::Catalog::default()).await
}

fn load_checked_content(config: &Config) -> anyhow::Result<app::content::Catalog> {
    match app::services::load_content(&config.content_dir) {
        Ok((catalog, warnings)) => {
            for w in &warnings {
                tracing::debug!(%w, "content warning");
            }
            Ok(catalog)
        }
        Err(problems) => {
            let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
            anyhow::bail!(
                "the content in {} is invalid; fix it (hocso content check lists the same):\n{}",
                config.content_dir.display(),
                list.join("\n")
            );
        }
    }
}

async fn open_state(
    config: &Config,
    leptos_options: LeptosOptions,
    content: app::content::Catalog,
) -> anyhow::Result<AppState> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let keys = TokenKeys::new(&config.jwt_secret, TokenKeys::DEFAULT_TTL_SECONDS)?;
    Ok(AppState {
        leptos_options,
        db,
        keys,
        secure_cookies: config.mode == Mode::Production,
        content: Arc::new(content),
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
        .route("/text/{size}", get(forms::set_text_size))
        .route("/learn/{module}/{lesson}", post(forms::complete_lesson))
        .route("/quiz/{module}", post(forms::submit_quiz))
        .route("/practice/{procedure}/start", post(forms::start_run))
        .route("/practice/run/{run}", post(forms::post_run_step))
        .route("/practice/run/{run}/abandon", post(forms::abandon_run))
        .route("/practice/run/{run}/reset", post(forms::reset_run))
        .route("/passport/survey", post(forms::save_survey))
        .route("/units/{code}/assignments", post(forms::assign_module))
        .route("/campaign/settings", post(campaign::save_settings))
        .route("/campaign/export.csv", get(campaign::export_city))
        .route(
            "/campaign/units/{code}/figures",
            post(campaign::save_figures),
        )
        .route(
            "/campaign/units/{code}/targets",
            post(campaign::save_unit_targets),
        )
        .route(
            "/campaign/units/{code}/export.csv",
            get(campaign::export_unit),
        )
        .route("/roster/template.csv", get(roster_template))
        .route(
            "/roster",
            post(campaign::upload_roster).layer(DefaultBodyLimit::max(
                app::services::roster::MAX_BYTES + 64 * 1024,
            )),
        )
        .route("/roster/{id}/confirm", post(campaign::confirm_roster))
        .route("/deploy", post(campaign::assign_shift))
        .route("/deploy/{id}/cancel", post(campaign::cancel_shift))
        .route("/shifts/assists", post(campaign::log_assist))
        .route("/content/{module}/assets/{name}", get(content_asset))
        .route("/login", post(forms::login))
        .route("/register", post(forms::register))
        .route("/activate", post(forms::activate))
        .route("/units/{code}/activation", post(forms::issue_activation))
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

/// The roster template (anyone may download it: it holds two invented people).
async fn roster_template() -> axum::response::Response {
    campaign::roster_template().await
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

/// Images of the lessons. Only files the catalog lists are served, so no other file under
/// `content/` (quizzes hold their answers) can be reached.
async fn content_asset(
    State(state): State<AppState>,
    axum::extract::Path((module, name)): axum::extract::Path<(String, String)>,
) -> axum::response::Response {
    let Some(path) = state.content.asset_path(&module, &name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mime = match name
        .rsplit('.')
        .next()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        _ => "application/octet-stream",
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, mime),
                (header::CACHE_CONTROL, "public, max-age=3600"),
                // SVGs are shown as images only, never as documents that could run script.
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; style-src 'unsafe-inline'; sandbox",
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, path = %path.display(), "content asset unreadable");
            StatusCode::NOT_FOUND.into_response()
        }
    }
}
