//! The shell: languages, the 404 page, health, security headers, cross-site posts.

use axum::http::{header, StatusCode};

use app::store::Db;

use crate::harness::Client;
use crate::on_both_databases;

async fn the_site_speaks_vietnamese_first_and_english_on_request(db: Db) {
    let mut client = Client::new(db);
    let home = client.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.body.contains("<html lang=\"vi\""),
        "{}",
        &home.body[..200.min(home.body.len())]
    );
    assert!(home
        .body
        .contains("Học cách làm thủ tục hành chính trên mạng"));

    // The switch is a plain link: it sets a cookie for a year and goes back.
    let mut request_from_login = client.another();
    let switch = request_from_login.get("/lang/en").await;
    assert_eq!(switch.status, StatusCode::SEE_OTHER);
    let cookie = switch
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("hocso_lang=en"))
        .expect("language cookie");
    assert!(
        cookie.contains("Max-Age=31536000") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let english = request_from_login.get("/").await;
    assert!(english.body.contains("<html lang=\"en\""));
    assert!(english
        .body
        .contains("Learn to do public-service procedures online"));
    let register = request_from_login.get("/register").await;
    assert!(register.body.contains("Create an account"));
    assert!(
        register.body.contains("Phường Ba Đình"),
        "unit list is rendered"
    );
}
on_both_databases!(the_site_speaks_vietnamese_first_and_english_on_request);

async fn unknown_addresses_get_a_404_page_in_both_languages(db: Db) {
    let mut client = Client::new(db);
    let missing = client.get("/khong-co-trang-nay").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Không tìm thấy trang"));
    client.set_cookie("hocso_lang", "en");
    let missing = client.get("/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Page not found"));
}
on_both_databases!(unknown_addresses_get_a_404_page_in_both_languages);

async fn health_reports_the_database(db: Db) {
    let mut client = Client::new(db.clone());
    let ok = client.get("/healthz").await;
    assert_eq!(ok.status, StatusCode::OK);
    db.close().await;
    let down = client.get("/healthz").await;
    assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        !down.body.contains("pool"),
        "no database error text: {}",
        down.body
    );
}
on_both_databases!(health_reports_the_database);

async fn pages_carry_security_headers(db: Db) {
    let mut client = Client::new(db);
    let page = client.get("/login").await;
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("script-src 'nonce-"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    // The inline island loader carries the same nonce as the policy.
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap();
    assert!(page.body.contains(&format!("nonce=\"{nonce}\"")));
    assert_eq!(page.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(page.headers[header::X_FRAME_OPTIONS], "DENY");
    let api = client.server_fn("units", &[]).await;
    assert!(api.headers.contains_key(header::CONTENT_SECURITY_POLICY));
}
on_both_databases!(pages_carry_security_headers);

async fn forms_posted_from_other_sites_are_refused(db: Db) {
    let client = Client::new(db);
    let router = hocso::router(client.state.clone());
    use tower::ServiceExt;
    let request = axum::http::Request::post("/login")
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::from("contact=a&password=b"))
        .unwrap();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
on_both_databases!(forms_posted_from_other_sites_are_refused);

/// Pages that wait for data must render completely before sending: out-of-order streaming
/// delivers their content in fragments that only JavaScript puts in place. Only pages without
/// any data stream.
#[test]
fn data_pages_render_completely_for_browsers_without_javascript() {
    let streaming_allowed = ["/", "/login", "/activate", "/account/password"];
    let routes = leptos_axum::generate_route_list(app::App);
    assert!(routes.len() >= 10, "{} routes", routes.len());
    for route in routes {
        if streaming_allowed.contains(&route.path()) {
            continue;
        }
        assert!(
            matches!(route.mode(), leptos_router::SsrMode::Async),
            "{} must use SsrMode::Async",
            route.path()
        );
    }
}

async fn lesson_images_are_served_and_nothing_else_under_content(db: Db) {
    let mut client = Client::new(db);
    let image = client.get("/content/thu-nghiem/assets/nut.svg").await;
    assert_eq!(image.status, StatusCode::OK);
    assert_eq!(image.headers[header::CONTENT_TYPE], "image/svg+xml");
    let csp = image.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.contains("sandbox"), "{csp}");
    for path in [
        "/content/thu-nghiem/quiz.toml",
        "/content/thu-nghiem/assets/..%2Fquiz.toml",
        "/content/thu-nghiem/assets/khong-co.svg",
        "/content/khac/assets/nut.svg",
    ] {
        let reply = client.get(path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!reply.body.contains("correct"), "{path} leaks the quiz");
    }
}
on_both_databases!(lesson_images_are_served_and_nothing_else_under_content);
