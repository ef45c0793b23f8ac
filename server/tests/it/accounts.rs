//! Registration, login, logout and password change through the real router, with plain form
//! posts (what a browser without JavaScript sends).

use axum::http::StatusCode;

use app::auth::SESSION_COOKIE;
use app::store::Db;

use crate::harness::Client;
use crate::on_both_databases;

pub const PASSWORD: &str = "Hoa sen nở tháng Năm";

pub async fn register_resident(client: &mut Client, contact: &str) {
    let reply = client
        .post_form(
            "/register",
            &[
                ("full_name", "Nguyễn Thị Hoa"),
                ("contact", contact),
                ("unit_code", "00070"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
}

async fn a_resident_registers_and_lands_on_the_learner_home(db: Db) {
    let mut client = Client::new(db);
    let reply = client
        .post_form(
            "/register",
            &[
                ("full_name", "  Nguyễn   Thị Hoa "),
                ("contact", "0912 345 678"),
                ("unit_code", "00070"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location(), Some("/learn"));
    let cookie = reply
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with(SESSION_COOKIE))
        .expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "development cookies are not Secure: {cookie}"
    );

    let home = client.get("/learn").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.body.contains("Xin chào, Nguyễn Thị Hoa"),
        "{}",
        home.body
    );
    assert!(home.body.contains("Phường Hoàn Kiếm"));
    assert!(home.body.contains("Người dân"));

    // The stored name is normalised and the number is stored in its 0… form.
    let row = client
        .state
        .db
        .account_by_contact(&app::domain::Contact::Phone("0912345678".into()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.full_name, "Nguyễn Thị Hoa");
    assert!(row.password_hash.starts_with("$argon2id$"));
}
on_both_databases!(a_resident_registers_and_lands_on_the_learner_home);

async fn bad_registrations_are_explained_and_store_nothing(db: Db) {
    let mut client = Client::new(db);
    let reply = client
        .post_form(
            "/register",
            &[
                ("full_name", "Nguyen Van 3"),
                ("contact", "0212345678"),
                ("unit_code", ""),
                ("password", "12345678"),
                ("password_confirm", "12345678"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Vui lòng sửa các lỗi sau",
        "Họ và tên chỉ gồm chữ cái",
        "Số điện thoại di động gồm 10 chữ số",
        "Chọn phường, xã nơi bạn sống",
        "Mật khẩu này quá phổ biến",
    ] {
        assert!(reply.body.contains(message), "missing {message:?}");
    }
    // What was typed comes back (not the password).
    assert!(reply.body.contains("value=\"Nguyen Van 3\""));
    assert!(!reply.body.contains("value=\"12345678\""));
    assert_eq!(client.state.db.count_accounts().await.unwrap(), 0);
    assert!(client.cookie(SESSION_COOKIE).is_none());

    // Mismatched confirmation and a short password.
    let reply = client
        .post_form(
            "/register",
            &[
                ("full_name", "Lê Văn Tám"),
                ("contact", "tam@example.vn"),
                ("unit_code", "00004"),
                ("password", "ngắn"),
                ("password_confirm", "ngắn"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Mật khẩu cần ít nhất 8 ký tự"));
    let reply = client
        .post_form(
            "/register",
            &[
                ("full_name", "Lê Văn Tám"),
                ("contact", "tam@example.vn"),
                ("unit_code", "00004"),
                ("password", PASSWORD),
                ("password_confirm", "Hoa sen nở tháng Sáu"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Hai mật khẩu chưa giống nhau"));
    assert_eq!(client.state.db.count_accounts().await.unwrap(), 0);
}
on_both_databases!(bad_registrations_are_explained_and_store_nothing);

async fn a_contact_registers_once(db: Db) {
    let mut client = Client::new(db);
    register_resident(&mut client, "0912345678").await;
    let mut other = client.another();
    let reply = other
        .post_form(
            "/register",
            &[
                ("full_name", "Trần Văn Bình"),
                ("contact", "+84912345678"),
                ("unit_code", "00004"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("đã được đăng ký"));
    assert_eq!(other.state.db.count_accounts().await.unwrap(), 1);
}
on_both_databases!(a_contact_registers_once);

async fn login_accepts_the_right_password_only(db: Db) {
    let mut client = Client::new(db);
    register_resident(&mut client, "hoa@example.vn").await;
    let mut browser = client.another();

    let wrong = browser
        .post_form(
            "/login",
            &[
                ("contact", "hoa@example.vn"),
                ("password", "Hoa sen nở tháng Sáu"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong
        .body
        .contains("Số điện thoại, email hoặc mật khẩu không đúng"));
    assert!(
        wrong.body.contains("value=\"hoa@example.vn\""),
        "contact kept"
    );
    assert!(browser.cookie(SESSION_COOKIE).is_none());

    // An unknown account gets exactly the same answer.
    let unknown = browser
        .post_form(
            "/login",
            &[("contact", "ai@example.vn"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown
        .body
        .contains("Số điện thoại, email hoặc mật khẩu không đúng"));

    // The same error in English once the language is switched.
    browser.set_cookie("hocso_lang", "en");
    let english = browser
        .post_form(
            "/login",
            &[("contact", "hoa@example.vn"), ("password", "x")],
        )
        .await;
    assert!(english
        .body
        .contains("The phone number, email or password is not right"));

    let right = browser
        .post_form(
            "/login",
            &[("contact", "HOA@example.vn"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    assert_eq!(right.location(), Some("/learn"));
    assert!(browser.cookie(SESSION_COOKIE).is_some());
}
on_both_databases!(login_accepts_the_right_password_only);

async fn empty_login_fields_are_named(db: Db) {
    let mut client = Client::new(db);
    let reply = client.post_form("/login", &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Nhập số điện thoại hoặc email"));
    assert!(reply.body.contains("Nhập mật khẩu của bạn"));
}
on_both_databases!(empty_login_fields_are_named);

async fn logout_revokes_the_token(db: Db) {
    let mut client = Client::new(db);
    register_resident(&mut client, "0912345678").await;
    let token = client.cookie(SESSION_COOKIE).unwrap();
    assert_eq!(client.get("/learn").await.status, StatusCode::OK);

    let reply = client.post_form("/logout", &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(client.cookie(SESSION_COOKIE).is_none(), "cookie cleared");

    // A copy of the old token (another tab, a stolen cookie) no longer works.
    let mut replay = client.another();
    replay.set_cookie(SESSION_COOKIE, &token);
    let page = replay.get("/learn").await;
    assert_eq!(page.status, StatusCode::FOUND);
    assert_eq!(page.location(), Some("/login"));
    let me = replay.server_fn("me", &[]).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body.trim(), "null");
}
on_both_databases!(logout_revokes_the_token);

async fn a_password_change_revokes_other_sessions(db: Db) {
    let mut phone = Client::new(db);
    register_resident(&mut phone, "0912345678").await;
    let mut laptop = phone.another();
    let reply = laptop
        .post_form(
            "/login",
            &[("contact", "0912345678"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);

    let wrong_current = phone
        .post_form(
            "/account/password",
            &[
                ("current_password", "not it at all"),
                ("new_password", "Trăng rằm tháng Tám sáng"),
                ("new_password_confirm", "Trăng rằm tháng Tám sáng"),
            ],
        )
        .await;
    assert_eq!(wrong_current.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong_current.body.contains("Mật khẩu hiện tại không đúng"));

    let changed = phone
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "Trăng rằm tháng Tám sáng"),
                ("new_password_confirm", "Trăng rằm tháng Tám sáng"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    assert_eq!(changed.location(), Some("/account/password?done=1"));
    // This device got a fresh token and stays signed in; the laptop is out.
    assert_eq!(phone.get("/learn").await.status, StatusCode::OK);
    assert_eq!(laptop.get("/learn").await.status, StatusCode::FOUND);

    let mut fresh = phone.another();
    let old = fresh
        .post_form(
            "/login",
            &[("contact", "0912345678"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    let new = fresh
        .post_form(
            "/login",
            &[
                ("contact", "0912345678"),
                ("password", "Trăng rằm tháng Tám sáng"),
            ],
        )
        .await;
    assert_eq!(new.status, StatusCode::SEE_OTHER);
}
on_both_databases!(a_password_change_revokes_other_sessions);

async fn repeated_wrong_logins_are_slowed_down(db: Db) {
    let mut client = Client::new(db);
    register_resident(&mut client, "0912345678").await;
    let mut attacker = client.another();
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let reply = attacker
            .post_form(
                "/login",
                &[("contact", "0912345678"), ("password", "guess-guess")],
            )
            .await;
        statuses.push(reply.status);
    }
    assert_eq!(statuses[..5], [StatusCode::UNPROCESSABLE_ENTITY; 5]);
    let limited = attacker
        .post_form(
            "/login",
            &[("contact", "0912345678"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers.contains_key("retry-after"));
    assert!(limited.body.contains("Bạn đã thử quá nhiều lần"));
}
on_both_databases!(repeated_wrong_logins_are_slowed_down);

async fn password_change_attempts_are_limited(db: Db) {
    let mut client = Client::new(db);
    register_resident(&mut client, "0912345678").await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let reply = client
            .post_form(
                "/account/password",
                &[
                    ("current_password", "a wrong guess here"),
                    ("new_password", "Trăng rằm tháng Tám sáng"),
                    ("new_password_confirm", "Trăng rằm tháng Tám sáng"),
                ],
            )
            .await;
        statuses.push(reply.status);
    }
    assert_eq!(statuses[..5], [StatusCode::UNPROCESSABLE_ENTITY; 5]);
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS);
}
on_both_databases!(password_change_attempts_are_limited);
