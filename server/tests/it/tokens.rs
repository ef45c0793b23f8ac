//! Forged and stale session tokens are treated as no session at all.

use axum::http::StatusCode;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::json;

use app::auth::SESSION_COOKIE;
use app::domain::Contact;
use app::store::Db;

use crate::accounts::register_resident;
use crate::harness::{Client, TEST_SECRET};
use crate::on_both_databases;

fn now() -> i64 {
    jsonwebtoken::get_current_timestamp() as i64
}

fn b64(bytes: &[u8]) -> String {
    // base64url without padding, written out to avoid a dependency just for tests.
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Returns a page load and a `me` call made with `token` as the session cookie.
async fn try_token(client: &Client, token: &str) -> (StatusCode, String) {
    let mut browser = client.another();
    browser.set_cookie(SESSION_COOKIE, token);
    let page = browser.get("/learn").await;
    let me = browser.server_fn("me", &[]).await;
    (page.status, me.body)
}

async fn only_genuine_current_tokens_open_a_session(db: Db) {
    let mut client = Client::new(db);
    register_resident(&mut client, "0912345678").await;
    let account = client
        .state
        .db
        .account_by_contact(&Contact::Phone("0912345678".into()))
        .await
        .unwrap()
        .unwrap();
    let sub = account.id.to_string();
    let claims = json!({"sub": sub, "ver": 0, "iat": now(), "exp": now() + 3600, "aud": "hocso"});
    let right_key = EncodingKey::from_secret(TEST_SECRET);

    // Control: a token made exactly as the server makes them works.
    let genuine = encode(&Header::new(Algorithm::HS256), &claims, &right_key).unwrap();
    let (status, me) = try_token(&client, &genuine).await;
    assert_eq!(status, StatusCode::OK);
    assert!(me.contains("Nguyễn Thị Hoa"), "{me}");

    let none = format!(
        "{}.{}.",
        b64(br#"{"alg":"none","typ":"JWT"}"#),
        b64(claims.to_string().as_bytes())
    );
    let wrong_key = encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(b"another-secret-another-secret-another"),
    )
    .unwrap();
    let other_algorithm = encode(&Header::new(Algorithm::HS512), &claims, &right_key).unwrap();
    let expired = encode(
        &Header::new(Algorithm::HS256),
        &json!({"sub": sub, "ver": 0, "iat": now() - 7200, "exp": now() - 3600, "aud": "hocso"}),
        &right_key,
    )
    .unwrap();
    let string_exp = encode(
        &Header::new(Algorithm::HS256),
        &json!({"sub": sub, "ver": 0, "iat": now(), "exp": "9999999999", "aud": "hocso"}),
        &right_key,
    )
    .unwrap();
    let wrong_audience = encode(
        &Header::new(Algorithm::HS256),
        &json!({"sub": sub, "ver": 0, "iat": now(), "exp": now() + 3600, "aud": "elsewhere"}),
        &right_key,
    )
    .unwrap();
    let no_expiry = encode(
        &Header::new(Algorithm::HS256),
        &json!({"sub": sub, "ver": 0, "iat": now(), "aud": "hocso"}),
        &right_key,
    )
    .unwrap();
    let old_version = encode(
        &Header::new(Algorithm::HS256),
        &json!({"sub": sub, "ver": -1, "iat": now(), "exp": now() + 3600, "aud": "hocso"}),
        &right_key,
    )
    .unwrap();
    let cases = [
        ("alg none", none),
        ("wrong key", wrong_key),
        ("HS512", other_algorithm),
        ("expired", expired),
        ("string exp", string_exp),
        ("wrong aud", wrong_audience),
        ("no exp", no_expiry),
        ("revoked version", old_version),
        ("garbage", "not.a.token".to_owned()),
    ];
    for (what, token) in cases {
        let (status, me) = try_token(&client, &token).await;
        assert_eq!(status, StatusCode::FOUND, "{what} must not open /learn");
        assert_eq!(me.trim(), "null", "{what} must not be a session");
    }
}
on_both_databases!(only_genuine_current_tokens_open_a_session);

async fn a_dead_session_cookie_is_cleared(db: Db) {
    let client = Client::new(db);
    let mut browser = client.another();
    browser.set_cookie(SESSION_COOKIE, "forged");
    let reply = browser.get("/").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply
        .set_cookies()
        .iter()
        .any(|c| c.starts_with("hocso_session=") && c.contains("Max-Age=0")));
    assert!(browser.cookie(SESSION_COOKIE).is_none());
}
on_both_databases!(a_dead_session_cookie_is_cleared);

async fn a_database_outage_does_not_sign_people_out(db: Db) {
    let mut client = Client::new(db.clone());
    register_resident(&mut client, "0912345678").await;
    db.close().await;
    let reply = client.get("/").await;
    assert!(
        !reply
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("hocso_session=") && c.contains("Max-Age=0")),
        "the session cookie is kept while the database is down"
    );
    assert!(client.cookie(SESSION_COOKIE).is_some());
}
on_both_databases!(a_database_outage_does_not_sign_people_out);

/// A token issued before the person moved to another unit or position is refused: it names a
/// post they no longer hold. One issued after the move works.
async fn a_session_from_before_a_move_is_refused(db: Db) {
    let client = Client::new(db.clone());
    let fixture = |name: &str| {
        std::fs::read(format!(
            "{}/tests/fixtures/roster/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    app::services::roster::import(
        &client.state,
        &fixture("good.csv"),
        |_| {},
        &crate::harness::operator(),
        "test",
    )
    .await
    .unwrap();
    let an = db
        .account_by_contact(&Contact::Phone("0912000101".into()))
        .await
        .unwrap()
        .unwrap();
    let password = "một mật khẩu đủ dài cho An";
    db.activate(an.id, &app::auth::hash_password(password).unwrap())
        .await
        .unwrap();
    let mut browser = client.another();
    let login = browser
        .post_form(
            "/login",
            &[("contact", "0912000101"), ("password", password)],
        )
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    let before = browser.cookie(SESSION_COOKIE).unwrap();
    assert_eq!(try_token(&client, &before).await.0, StatusCode::OK);

    // Re-importing the same file changes nothing, and the session stands.
    app::services::roster::import(
        &client.state,
        &fixture("good.csv"),
        |_| {},
        &crate::harness::operator(),
        "test",
    )
    .await
    .unwrap();
    assert_eq!(try_token(&client, &before).await.0, StatusCode::OK);

    // An moves from Phường Ba Đình to another ward.
    app::services::roster::import(
        &client.state,
        &fixture("moved.csv"),
        |_| {},
        &crate::harness::operator(),
        "test",
    )
    .await
    .unwrap();
    let (status, me) = try_token(&client, &before).await;
    assert_eq!(
        status,
        StatusCode::FOUND,
        "the old session must not open /learn"
    );
    assert_eq!(me.trim(), "null");

    let mut again = client.another();
    let login = again
        .post_form(
            "/login",
            &[("contact", "0912000101"), ("password", password)],
        )
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    let me = again.server_fn("me", &[]).await;
    assert!(me.body.contains("\"unit_code\":\"00070\""), "{}", me.body);
}
on_both_databases!(a_session_from_before_a_move_is_refused);

/// Logging out on one device ends the sessions of every other device.
async fn logging_out_on_another_device_ends_this_session(db: Db) {
    let mut phone = Client::new(db);
    register_resident(&mut phone, "0912345678").await;
    let mut computer = phone.another();
    let login = computer
        .post_form(
            "/login",
            &[
                ("contact", "0912345678"),
                ("password", crate::accounts::PASSWORD),
            ],
        )
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    assert_eq!(computer.get("/learn").await.status, StatusCode::OK);
    assert_eq!(phone.get("/learn").await.status, StatusCode::OK);

    assert_eq!(
        phone.post_form("/logout", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let page = computer.get("/learn").await;
    assert_eq!(page.status, StatusCode::FOUND);
    assert_eq!(page.location(), Some("/login"));
    assert!(
        computer.cookie(SESSION_COOKIE).is_none(),
        "its cookie is cleared"
    );
}
on_both_databases!(logging_out_on_another_device_ends_this_session);
