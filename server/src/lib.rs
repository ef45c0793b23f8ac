//! The hocso server: configuration, the axum router around the Leptos app and its form
//! handlers (`app::web`), and the CLI's building blocks.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod backup;
pub mod config;
pub mod demo;
pub mod import;
pub mod seed;

use std::sync::Arc;

use anyhow::Context;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, Request, Response, StatusCode, Uri};
use axum::response::IntoResponse;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use app::auth::TokenKeys;
use app::services::AppState;
use app::store::Db;
use app::{shell, App};
use config::Config;

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

/// A curriculum directory that is not there is one sentence, before anything else is tried.
pub fn require_content_dir(dir: &std::path::Path) -> anyhow::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    anyhow::bail!(
        "the content directory {} does not exist; name it with --content-dir DIR or \
         HOCSO_CONTENT_DIR (it holds framework.toml, positions.toml and modules/)",
        dir.display()
    )
}

fn load_checked_content(config: &Config) -> anyhow::Result<app::content::Catalog> {
    require_content_dir(&config.content_dir)?;
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
    let db = Db::connect(&config.database_url).await.with_context(|| {
        format!(
            "cannot open the database {} (set DATABASE_URL)",
            config::redact_url(&config.database_url)
        )
    })?;
    db.migrate().await.context("cannot apply the migrations")?;
    let keys = TokenKeys::new(&config.jwt_secret, TokenKeys::DEFAULT_TTL_SECONDS)?;
    let site = config.site(leptos_options.site_addr);
    Ok(AppState {
        leptos_options,
        db,
        keys,
        site,
        limits: config.limits,
        content: Arc::new(content),
    })
}

/// What answers at an address of the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Door {
    /// A page of the app (Leptos), read with `GET`.
    Page,
    /// A form handler or a download (`app::web`).
    Form,
    /// A server function (`POST /api/…`).
    ServerFn,
    /// The health check.
    Health,
}

/// Every method and address the site answers, read from the same lists [`router`] is built
/// from: the form and download routes as registered, the app's page routes, the registered
/// server functions and the health check. Paths use axum's syntax (`{param}`).
pub fn route_table(state: &AppState) -> Vec<(Door, Method, String)> {
    let mut table: Vec<(Door, Method, String)> = plain_routes(state)
        .table()
        .iter()
        .map(|(method, path)| {
            let door = if *path == HEALTH {
                Door::Health
            } else {
                Door::Form
            };
            (door, method.clone(), (*path).to_owned())
        })
        .collect();
    for page in generate_route_list(App) {
        table.push((Door::Page, Method::GET, page.path().to_owned()));
    }
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        table.push((Door::ServerFn, method, path.to_owned()));
    }
    table.sort();
    table.dedup();
    table
}

const HEALTH: &str = "/healthz";

/// The routes that are not pages or server functions: the health check and `app::web`'s.
fn plain_routes(state: &AppState) -> app::web::Routes {
    app::web::Routes::new()
        .get(HEALTH, healthz)
        .merge(app::web::routes(state))
}

/// The whole HTTP surface of hocso: the pages (Leptos), every form and download (`app::web`,
/// one router per area), the health check, and the layers every response passes.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let files = leptos_axum::file_and_error_handler::<AppState, _>(shell);
    let hsts = state
        .site
        .hsts_max_age
        .and_then(|seconds| HeaderValue::from_str(&format!("max-age={seconds}")).ok());
    let site = plain_routes(&state)
        .into_router()
        .leptos_routes_with_context(&state, routes, || {}, move || shell(options.clone()))
        // A method the address does not take: the 404 page (not axum's empty 405).
        .method_not_allowed_fallback(app::web::not_found)
        // Files and the pages' own 404 for reads; the 404 page for anything else.
        .fallback(
            move |uri: Uri, state: State<AppState>, req: Request<Body>| async move {
                match *req.method() {
                    Method::GET | Method::HEAD => files(uri, state, req).await.into_response(),
                    _ => app::web::not_found().await,
                }
            },
        );
    app::web::layers(site, &state)
        .layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            move |_: &Response<Body>| hsts.clone(),
        ))
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
