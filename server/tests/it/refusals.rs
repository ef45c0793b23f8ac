//! What the site refuses, and how: posts from other sites, bodies too large, addresses that
//! name nothing, each a page in the person's language; and the headers that keep a session
//! on its device (`Secure`, HSTS, `no-store`).

use axum::http::{header, StatusCode};

use app::auth::SESSION_COOKIE;
use app::services::Site;
use app::store::Db;

use crate::accounts::{register_resident, PASSWORD};
use crate::harness::Client;
use crate::on_both_databases;

const PUBLIC: &str = "https://hocso.hanoi.gov.vn";

fn behind_a_proxy(db: Db) -> Client {
    let client = Client::new(db);
    let mut state = client.state.clone();
    state.site = Site {
        public_origin: Some(PUBLIC.to_owned()),
        secure_cookies: true,
        hsts_max_age: Some(31_536_000),
    };
    client.on_state(state)
}

fn login_form() -> [(&'static str, &'static str); 2] {
    [("contact", "0912345678"), ("password", PASSWORD)]
}

async fn posts_from_other_sites_are_refused_with_a_page(db: Db) {
    let client = behind_a_proxy(db);
    register_resident(&mut client.another(), "0912345678").await;

    // The proxy rewrites Host; the browser's Origin is the public address: taken.
    let mut browser = client.another();
    let taken = browser
        .post_form_with(
            "/login",
            &login_form(),
            &[("origin", PUBLIC), ("host", "10.0.0.7:3000")],
        )
        .await;
    assert_eq!(taken.status, StatusCode::SEE_OTHER, "{}", taken.body);
    let session = browser.cookie(SESSION_COOKIE).unwrap();

    let forged: [&[(&str, &str)]; 4] = [
        &[("origin", "https://evil.example")],
        &[("origin", "http://hocso.hanoi.gov.vn")],
        &[("origin", "null")],
        &[("sec-fetch-site", "cross-site"), ("origin", PUBLIC)],
    ];
    for headers in forged {
        // A form, signed in: refused before it is read, with the Vietnamese page.
        let mut victim = client.another();
        victim.set_cookie(SESSION_COOKIE, &session);
        let refused = victim.post_form_with("/logout", &[], headers).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert!(
            refused.body.contains("được gửi từ một trang khác"),
            "{headers:?}: {}",
            refused.body
        );
        assert!(refused.body.contains("<html"), "a whole page");
        assert_eq!(
            victim.get("/learn").await.status,
            StatusCode::OK,
            "the forged logout did nothing"
        );
        // A server function too.
        let mut call = Vec::from(headers);
        call.push(("content-type", "application/x-www-form-urlencoded"));
        call.push(("accept", "application/json"));
        let refused = victim.request("POST", "/api/me", &call, Vec::new()).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{headers:?}");
        // And the login form, which has no session yet.
        let refused = client
            .another()
            .post_form_with("/login", &login_form(), headers)
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert!(
            refused.set_cookies().is_empty(),
            "no session for a forged login"
        );
    }

    // English readers get the English page.
    let mut english = client.another();
    english.set_cookie("hocso_lang", "en");
    let refused = english
        .post_form_with(
            "/login",
            &login_form(),
            &[("origin", "https://evil.example")],
        )
        .await;
    assert!(
        refused.body.contains("sent from another site"),
        "{}",
        refused.body
    );
}
on_both_databases!(posts_from_other_sites_are_refused_with_a_page);

async fn too_large_and_unknown_posts_get_pages(db: Db) {
    let mut client = Client::new(db);
    let long = "a".repeat(20 * 1024);
    let refused = client
        .post_form("/login", &[("contact", long.as_str()), ("password", "x")])
        .await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        refused.body.contains("Nội dung gửi lên quá lớn"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("<html"));

    let nowhere = client.post_form("/khong-co-trang-nay", &[]).await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    assert!(
        nowhere.body.contains("Không tìm thấy trang"),
        "{}",
        nowhere.body
    );
    let nowhere = client
        .request("DELETE", "/learn", &[("accept", "text/html")], Vec::new())
        .await;
    assert!(
        matches!(
            nowhere.status,
            StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
        ),
        "{}",
        nowhere.status
    );
    assert!(nowhere.body.contains("<html"), "{}", nowhere.body);
}
on_both_databases!(too_large_and_unknown_posts_get_pages);

async fn a_session_stays_on_its_device(db: Db) {
    // On a laptop (the tests' default site): no Secure flag, no HSTS.
    let mut laptop = Client::new(db.clone());
    register_resident(&mut laptop, "0912345678").await;
    let page = laptop.get("/learn").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    assert!(page
        .headers
        .get(header::STRICT_TRANSPORT_SECURITY)
        .is_none());
    let me = laptop.server_fn("me", &[]).await;
    assert_eq!(me.headers[header::CACHE_CONTROL], "no-store");
    let anonymous = laptop.another().get("/").await;
    assert_ne!(
        anonymous
            .headers
            .get(header::CACHE_CONTROL)
            .map(|v| v.to_str().unwrap()),
        Some("no-store"),
        "public pages may be cached"
    );

    // Behind the city's proxy: the cookie is Secure, HSTS is sent, pages are not stored.
    let client = behind_a_proxy(db);
    let mut browser = client.another();
    let login = browser
        .post_form_with("/login", &login_form(), &[("origin", PUBLIC)])
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    let cookie = login
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("hocso_session="))
        .unwrap();
    for flag in ["HttpOnly", "Secure", "SameSite=Lax"] {
        assert!(cookie.contains(flag), "{flag}: {cookie}");
    }
    assert_eq!(
        login.headers[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000"
    );
    for path in ["/learn", "/passport", "/practice"] {
        let page = browser.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(page.headers[header::CACHE_CONTROL], "no-store", "{path}");
        assert_eq!(
            page.headers[header::STRICT_TRANSPORT_SECURITY],
            "max-age=31536000"
        );
    }
}
on_both_databases!(a_session_stays_on_its_device);
