//! Test databases (SQLite and PostgreSQL, a fresh one per test) and a client for the real
//! router.

use std::sync::atomic::{AtomicU32, Ordering};

use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use sqlx::{Connection, Executor};
use tower::ServiceExt;

use app::auth::TokenKeys;
use app::services::AppState;
use app::store::Db;

/// The secret every test server signs with.
pub const TEST_SECRET: &[u8] = b"integration-test-secret-0123456789abcdef";

/// PostgreSQL server the tests create their databases on.
fn postgres_admin_url() -> String {
    std::env::var("HOCSO_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// A database that exists for one test.
pub struct TestDb {
    pub db: Db,
    /// Where it is, for code that opens its own connections (bulk loads).
    pub url: String,
    postgres_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
        let db = Db::connect(&url).await.expect("sqlite connect");
        db.migrate().await.expect("sqlite migrate");
        TestDb {
            db,
            url,
            postgres_name: None,
            _dir: Some(dir),
        }
    }

    /// A fresh PostgreSQL database, or `None` (with a loud notice) when no server answers
    /// outside CI. In CI (`CI=true`) an unreachable server fails the test.
    pub async fn postgres() -> Option<TestDb> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let admin_url = postgres_admin_url();
        let mut admin = match sqlx::PgConnection::connect(&admin_url).await {
            Ok(conn) => conn,
            Err(e) if !in_ci() => {
                eprintln!(
                    "\n!!!!!!!! PostgreSQL unreachable at {admin_url} ({e}): \
                     SKIPPING the PostgreSQL half of this test. Start PostgreSQL to run it. !!!!!!!!\n"
                );
                return None;
            }
            Err(e) => panic!("CI=true and PostgreSQL is unreachable at {admin_url}: {e}"),
        };
        let name = format!(
            "hocso_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            rand_suffix()
        );
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create test database");
        let url = match admin_url.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{name}"),
            None => panic!("bad HOCSO_TEST_POSTGRES url"),
        };
        let db = Db::connect(&url).await.expect("postgres connect");
        db.migrate().await.expect("postgres migrate");
        Some(TestDb {
            db,
            url,
            postgres_name: Some(name),
            _dir: None,
        })
    }

    pub async fn teardown(self) {
        // Closing waits for every connection to come back. A connection still held when the
        // test ends must not hang the whole run: give up after a while (PostgreSQL's FORCE
        // drop below ends such sessions) and say so.
        if tokio::time::timeout(std::time::Duration::from_secs(10), self.db.close())
            .await
            .is_err()
        {
            eprintln!("warning: a database connection was still in use when the test ended");
        }
        if let Some(name) = self.postgres_name {
            if let Ok(mut admin) = sqlx::PgConnection::connect(&postgres_admin_url()).await {
                let _ = admin
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await;
            }
        }
    }
}

fn rand_suffix() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    (h.finish() % 1_000_000) as u32
}

/// Runs a test body, failing it (rather than hanging the whole run) if it takes over two
/// minutes; every test here takes seconds.
pub async fn within_limit(body: impl std::future::Future<Output = ()>) {
    if tokio::time::timeout(std::time::Duration::from_secs(120), body)
        .await
        .is_err()
    {
        panic!("the test did not finish within two minutes");
    }
}

/// Runs `$body(db)` once on SQLite and once on PostgreSQL: two tests, `sqlite` and `postgres`.
/// With `with_url`, `$body(db, url)` (for code that opens its own connections).
#[macro_export]
macro_rules! on_both_databases {
    ($name:ident, with_url) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let test_db = $crate::harness::TestDb::sqlite().await;
                $crate::harness::within_limit(super::$name(
                    test_db.db.clone(),
                    test_db.url.clone(),
                ))
                .await;
                test_db.teardown().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(test_db) = $crate::harness::TestDb::postgres().await else {
                    return;
                };
                $crate::harness::within_limit(super::$name(
                    test_db.db.clone(),
                    test_db.url.clone(),
                ))
                .await;
                test_db.teardown().await;
            }
        }
    };
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let test_db = $crate::harness::TestDb::sqlite().await;
                $crate::harness::within_limit(super::$name(test_db.db.clone())).await;
                test_db.teardown().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(test_db) = $crate::harness::TestDb::postgres().await else {
                    return;
                };
                $crate::harness::within_limit(super::$name(test_db.db.clone())).await;
                test_db.teardown().await;
            }
        }
    };
}

pub fn app_state(db: Db) -> AppState {
    let leptos_options = leptos::config::LeptosOptions::builder()
        .output_name("hocso")
        .site_root("target/test-site")
        .build();
    AppState {
        leptos_options,
        db,
        keys: TokenKeys::new(TEST_SECRET, TokenKeys::DEFAULT_TTL_SECONDS).expect("keys"),
        site: app::services::Site::default(),
        limits: app::services::Limits::default(),
        content: std::sync::Arc::new(crate::content::fixture_catalog()),
    }
}

/// A client of the real router, holding cookies like a browser.
pub struct Client {
    router: Router,
    pub state: AppState,
    pub cookies: Vec<(String, String)>,
    /// The peer address the server sees (as `into_make_service_with_connect_info` gives it).
    pub connect_info: Option<axum::extract::ConnectInfo<std::net::SocketAddr>>,
}

/// A response with its body read.
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    }
}

impl Client {
    pub fn new(db: Db) -> Client {
        let state = app_state(db);
        Client {
            router: hocso::router(state.clone()),
            state,
            cookies: Vec::new(),
            connect_info: None,
        }
    }

    /// The same browser on a server whose state differs (content changed, say).
    pub fn on_state(&self, state: AppState) -> Client {
        Client {
            router: hocso::router(state.clone()),
            state,
            cookies: self.cookies.clone(),
            connect_info: self.connect_info,
        }
    }

    /// Another client holding the same cookies (the same browser, another tab).
    pub fn another_with_cookies(&self) -> Client {
        Client {
            router: self.router.clone(),
            state: self.state.clone(),
            cookies: self.cookies.clone(),
            connect_info: self.connect_info,
        }
    }

    /// A second browser on the same server.
    pub fn another(&self) -> Client {
        Client {
            router: self.router.clone(),
            state: self.state.clone(),
            cookies: Vec::new(),
            connect_info: None,
        }
    }

    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.cookies.retain(|(n, _)| n != name);
        self.cookies.push((name.to_owned(), value.to_owned()));
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let request = Request::get(path).header(header::ACCEPT, "text/html");
        self.send(request, Body::empty()).await
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        self.post_form_with(path, fields, &[]).await
    }

    /// A form post with these headers too (`Origin`, `Host`, `Sec-Fetch-Site`…).
    pub async fn post_form_with(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Reply {
        let body = serde_urlencoded::to_string(fields).expect("encode form");
        let mut all = vec![
            ("content-type", "application/x-www-form-urlencoded"),
            ("accept", "text/html"),
        ];
        all.extend_from_slice(headers);
        self.request("POST", path, &all, body.into_bytes()).await
    }

    /// A request of any method, with a raw body and these headers.
    pub async fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request, Body::from(body)).await
    }

    /// Posts a file the way a browser's `multipart/form-data` form does.
    pub async fn post_file(
        &mut self,
        path: &str,
        field: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Reply {
        let boundary = "hocso-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::ACCEPT, "text/html");
        self.send(request, Body::from(body)).await
    }

    /// Calls a server function the way the browser's client does (JSON back).
    pub async fn server_fn(&mut self, name: &str, fields: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(fields).expect("encode args");
        let request = Request::post(format!("/api/{name}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        self.send(request, Body::from(body)).await
    }

    async fn send(&mut self, mut request: axum::http::request::Builder, body: Body) -> Reply {
        if !request
            .headers_ref()
            .is_some_and(|h| h.contains_key(header::HOST))
        {
            request = request.header(header::HOST, "localhost");
        }
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(info) = self.connect_info {
            request = request.extension(info);
        }
        let response: Response<Body> = self
            .router
            .clone()
            .oneshot(request.body(body).expect("request"))
            .await
            .expect("router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let reply = Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        };
        for set in reply.set_cookies() {
            let pair = set.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() || set.contains("Max-Age=0") {
                    self.cookies.retain(|(n, _)| n != name);
                } else {
                    self.set_cookie(name, value);
                }
            }
        }
        reply
    }
}

/// The operator tests act as where the code asks who did a privileged act.
pub fn operator() -> app::domain::audit::Actor {
    app::domain::audit::Actor::command_line("test")
}

/// The password of every account [`make_accounts`] makes.
pub const PASSWORD: &str = "mật khẩu thử nghiệm dài";

/// An account to make: name, contact, role, cohort, unit code.
pub type Person<'a> = (
    &'a str,
    &'a str,
    app::domain::Role,
    Option<app::domain::Cohort>,
    Option<&'a str>,
);

/// Makes these accounts (with [`PASSWORD`], by the test operator); returns their ids in order.
pub async fn make_accounts(client: &Client, people: &[Person<'_>]) -> Vec<i64> {
    let mut ids = Vec::new();
    for (name, contact, role, cohort, unit) in people {
        let spec = app::services::accounts::AccountSpec {
            full_name: (*name).into(),
            contact: (*contact).into(),
            password: PASSWORD.into(),
            role: *role,
            cohort: *cohort,
            unit_code: unit.map(Into::into),
            position_code: None,
        };
        let id = app::services::accounts::create_account(&client.state, &spec, &operator())
            .await
            .unwrap_or_else(|e| panic!("{contact}: {e}"));
        ids.push(id);
    }
    ids
}

/// A new browser signed in as `contact` (with [`PASSWORD`]).
pub async fn sign_in(client: &Client, contact: &str) -> Client {
    let mut browser = client.another();
    let reply = browser
        .post_form("/login", &[("contact", contact), ("password", PASSWORD)])
        .await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "{contact}: {}",
        reply.body
    );
    browser
}
