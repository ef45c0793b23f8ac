//! How fast the campaign dashboard answers over a synthetic city, on SQLite and PostgreSQL,
//! next to the naive aggregate it replaces. A benchmark, not a test: run it with
//!
//! ```sh
//! cargo bench -p hocso --bench dashboard
//! ```
//!
//! Environment:
//! - `HOCSO_BENCH_LEARNERS` (default 1000000): the city's size. A database that holds fewer
//!   seeded learners is seeded first (`hocso seed`'s generator; minutes at a million).
//! - `HOCSO_BENCH_SQLITE` (default `target/bench/city-<N>.db`), `HOCSO_BENCH_POSTGRES`
//!   (default `postgres://postgres@127.0.0.1:5432/hocso_bench_<N>`, created if missing); set
//!   either to `skip` to leave that database out.
//! - `HOCSO_BENCH_RUNS` (default 200): dashboard reads measured per database (after 10 warm-up
//!   reads); the naive aggregate is measured `HOCSO_BENCH_NAIVE_RUNS` times (default 5).
//!
//! It prints p50, p95, p99 and the slowest read for: the city dashboard (every query and the
//! view model the page renders), one unit's report, and the naive aggregate.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::{Connection, Executor};

use app::auth::TokenKeys;
use app::domain::Role;
use app::services::{campaign, now, AppState};
use app::store::Db;
use app::types::CurrentUser;

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

struct Row {
    database: &'static str,
    what: &'static str,
    runs: usize,
    times: Vec<Duration>,
}

async fn measure<F, Fut>(runs: usize, warmup: usize, mut f: F) -> Vec<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..warmup {
        f().await;
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f().await;
        times.push(t.elapsed());
    }
    times.sort();
    times
}

async fn state_for(url: &str) -> AppState {
    let content_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let (catalog, _) = app::services::load_content(&content_dir).expect("the curriculum loads");
    let db = Db::connect(url).await.expect("connect");
    db.migrate().await.expect("migrate");
    AppState {
        leptos_options: leptos::config::LeptosOptions::builder()
            .output_name("hocso")
            .build(),
        db,
        keys: TokenKeys::new(b"benchmark-secret-0123456789abcdef012345", 3600).unwrap(),
        site: app::services::Site::default(),
        limits: app::services::Limits::default(),
        content: Arc::new(catalog),
    }
}

async fn seeded_learners(db: &Db) -> i64 {
    db.count_seeded().await.unwrap_or(0)
}

async fn bench(database: &'static str, url: &str, learners: u64, rows: &mut Vec<Row>) {
    let state = state_for(url).await;
    let have = seeded_learners(&state.db).await;
    if have < learners as i64 {
        assert_eq!(
            have, 0,
            "{database}: a partly seeded database; remove it and run again"
        );
        eprintln!("{database}: seeding {learners} learners (this takes a while)…");
        let t = Instant::now();
        let options = hocso::seed::Options {
            learners,
            evidence_per_learner: 20,
            random_seed: 2025,
            database_url: url.to_owned(),
        };
        hocso::seed::city(&state, &options, true).await.unwrap();
        eprintln!("{database}: seeded in {:.0} s", t.elapsed().as_secs_f64());
    }
    let organizer = CurrentUser {
        id: 0,
        full_name: "Benchmark".into(),
        role: Role::Organizer,
        cohort: None,
        unit_code: None,
        unit_name: None,
        position_code: None,
    };
    let runs: usize = env_or("HOCSO_BENCH_RUNS", "200").parse().unwrap();
    let naive_runs: usize = env_or("HOCSO_BENCH_NAIVE_RUNS", "5").parse().unwrap();
    let dashboard = measure(runs, 10, || async {
        let d = campaign::dashboard(&state, &organizer).await.unwrap();
        assert_eq!(d.units.len(), 126);
    })
    .await;
    rows.push(Row {
        database,
        what: "city dashboard (rollups)",
        runs,
        times: dashboard,
    });
    let unit = measure(runs, 10, || async {
        campaign::unit_report(&state, &organizer, "00008")
            .await
            .unwrap();
    })
    .await;
    rows.push(Row {
        database,
        what: "unit report (rollups)",
        runs,
        times: unit,
    });
    // The whole page as a browser gets it: the session, every query, the rendered HTML.
    let staff = state.db.any_staff_id().await.unwrap();
    let token = state.keys.issue(staff, 0, now()).unwrap();
    let router = hocso::router(state.clone());
    let page = measure(runs, 10, || {
        let router = router.clone();
        let token = token.clone();
        async move {
            use tower::ServiceExt;
            let request = axum::http::Request::get("/campaign")
                .header(axum::http::header::HOST, "localhost")
                .header(
                    axum::http::header::COOKIE,
                    format!("{}={token}", app::auth::SESSION_COOKIE),
                )
                .body(axum::body::Body::empty())
                .unwrap();
            let response = router.oneshot(request).await.unwrap();
            assert_eq!(response.status(), axum::http::StatusCode::OK);
            let body = http_body_util::BodyExt::collect(response.into_body())
                .await
                .unwrap();
            assert!(body.to_bytes().len() > 10_000);
        }
    })
    .await;
    rows.push(Row {
        database,
        what: "city dashboard page (HTTP, rendered)",
        runs,
        times: page,
    });
    let min_percent = i64::from(state.content.framework.rule.min_percent);
    let naive = measure(naive_runs, 1, || async {
        let counted = state
            .db
            .naive_rollups(min_percent, app::domain::vn::vn_day(now()))
            .await
            .unwrap();
        assert!(!counted.is_empty());
    })
    .await;
    rows.push(Row {
        database,
        what: "naive aggregate (records)",
        runs: naive_runs,
        times: naive,
    });
    state.db.close().await;
}

async fn postgres_url(learners: u64) -> Option<String> {
    let configured = env_or("HOCSO_BENCH_POSTGRES", "");
    if configured == "skip" {
        return None;
    }
    if !configured.is_empty() {
        return Some(configured);
    }
    let admin = "postgres://postgres@127.0.0.1:5432/postgres";
    let name = format!("hocso_bench_{learners}");
    let mut conn = sqlx::PgConnection::connect(admin).await.ok()?;
    let exists: Option<(i32,)> = sqlx::query_as("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut conn)
        .await
        .ok()?;
    if exists.is_none() {
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .ok()?;
    }
    Some(format!("postgres://postgres@127.0.0.1:5432/{name}"))
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let learners: u64 = env_or("HOCSO_BENCH_LEARNERS", "1000000").parse().unwrap();
        let mut rows = Vec::new();
        let sqlite = env_or("HOCSO_BENCH_SQLITE", "");
        if sqlite != "skip" {
            let path = if sqlite.is_empty() {
                let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
                std::fs::create_dir_all(&dir).unwrap();
                dir.join(format!("city-{learners}.db"))
                    .display()
                    .to_string()
            } else {
                sqlite
            };
            bench(
                "SQLite",
                &format!("sqlite://{path}?mode=rwc"),
                learners,
                &mut rows,
            )
            .await;
        }
        match postgres_url(learners).await {
            Some(url) => bench("PostgreSQL", &url, learners, &mut rows).await,
            None => eprintln!("PostgreSQL skipped (HOCSO_BENCH_POSTGRES=skip or no server)"),
        }
        println!(
            "\n{learners} learners, {}\n",
            app::domain::vn::Date::from_unix_vn(now())
        );
        println!("| database | read | runs | p50 ms | p95 ms | p99 ms | max ms |");
        println!("|---|---|---:|---:|---:|---:|---:|");
        for r in &rows {
            println!(
                "| {} | {} | {} | {} | {} | {} | {} |",
                r.database,
                r.what,
                r.runs,
                ms(percentile(&r.times, 0.5)),
                ms(percentile(&r.times, 0.95)),
                ms(percentile(&r.times, 0.99)),
                ms(*r.times.last().unwrap()),
            );
        }
    });
}
