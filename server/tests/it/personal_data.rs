//! A person's data: they download all of it (and only theirs); an admin anonymises an account
//! and the campaign's counts stay as they were.

use axum::http::StatusCode;

use app::domain::{Cohort, Contact, Role};
use app::store::{AuditFilter, Db};

use crate::harness::{make_accounts, sign_in, Client, PASSWORD};
use crate::on_both_databases;

async fn people(client: &Client) {
    make_accounts(
        client,
        &[
            ("Trần Minh Quân", "admin@t.vn", Role::Admin, None, None),
            ("Lê Thu Hà", "organizer@t.vn", Role::Organizer, None, None),
            (
                "Bùi Văn Tư",
                "0912345678",
                Role::Learner,
                Some(Cohort::Resident),
                Some("00004"),
            ),
            (
                "Vũ Thị Hòa",
                "hoa@t.vn",
                Role::Learner,
                Some(Cohort::Resident),
                Some("00004"),
            ),
        ],
    )
    .await;
}

async fn id_of(db: &Db, contact: &str) -> i64 {
    let contact = Contact::parse(contact).unwrap();
    db.account_by_contact(&contact).await.unwrap().unwrap().id
}

async fn a_person_downloads_all_their_data_and_nobody_elses(db: Db) {
    let client = Client::new(db.clone());
    people(&client).await;
    let mut tu = sign_in(&client, "0912345678").await;
    let quiz = tu
        .post_form("/quiz/thu-nghiem", &crate::learning::ALL_RIGHT)
        .await;
    assert_eq!(quiz.status, StatusCode::SEE_OTHER);
    crate::competency::birth_run(&mut tu, "guided").await;
    let mut hoa = sign_in(&client, "hoa@t.vn").await;
    hoa.post_form("/quiz/thu-nghiem", &[("started_at", "0")])
        .await;

    let reply = tu.get("/account/data.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply
        .headers
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("attachment")));
    assert_eq!(
        reply.headers.get("cache-control").unwrap(),
        "no-store",
        "personal data is not kept by caches"
    );
    let data: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(data["account"]["full_name"], "Bùi Văn Tư");
    assert_eq!(data["account"]["phone"], "0912345678");
    let attempts = data["quiz_attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 1, "only their own attempt");
    assert_eq!(attempts[0]["percent"], 100);
    let runs = data["practice_runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["procedure"], "khai-sinh-thu");
    assert!(!reply.body.contains("Vũ Thị Hòa") && !reply.body.contains("hoa@t.vn"));
    assert!(!reply.body.contains("argon2"), "no password hash");

    let mut anonymous = client.another();
    let refused = anonymous.get("/account/data.json").await;
    assert_eq!(refused.location(), Some("/login"));
}
on_both_databases!(a_person_downloads_all_their_data_and_nobody_elses);

async fn an_admin_anonymises_an_account_and_the_counts_stay(db: Db) {
    let client = Client::new(db.clone());
    people(&client).await;
    let mut tu = sign_in(&client, "0912345678").await;
    tu.post_form("/quiz/thu-nghiem", &crate::learning::ALL_RIGHT)
        .await;
    let id = id_of(&db, "0912345678").await;
    let mut admin = sign_in(&client, "admin@t.vn").await;
    let counts_before = admin.server_fn("campaign/unit", &[("code", "00004")]).await;
    assert_eq!(counts_before.status, StatusCode::OK);

    // Without the confirmation, nothing happens.
    let unconfirmed = admin
        .post_form(&format!("/people/{id}/anonymise"), &[])
        .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unconfirmed
        .body
        .contains("Hãy đánh dấu ô xác nhận trước khi ẩn danh tài khoản."));
    assert!(db.account_by_id(id).await.unwrap().unwrap().full_name == "Bùi Văn Tư");
    // An organizer may not; an admin may not be anonymised this way.
    let mut org = sign_in(&client, "organizer@t.vn").await;
    let refused = org
        .post_form(&format!("/people/{id}/anonymise"), &[("confirm", "yes")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let admin_id = id_of(&db, "admin@t.vn").await;
    let not_admins = admin
        .post_form(
            &format!("/people/{admin_id}/anonymise"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(not_admins.status, StatusCode::NOT_FOUND);

    let done = admin
        .post_form(&format!("/people/{id}/anonymise"), &[("confirm", "yes")])
        .await;
    assert_eq!(
        done.location(),
        Some("/people?anonymised=1"),
        "{}",
        done.body
    );
    let row = db.account_by_id(id).await.unwrap().unwrap();
    assert_eq!(row.full_name, "Người dùng đã ẩn danh");
    assert_eq!(row.phone, None);
    assert_eq!(
        row.email.as_deref(),
        Some(format!("an-danh-{id}@hocso.invalid").as_str())
    );
    assert!(row.password_hash.is_empty());
    assert_eq!(
        row.unit_code.as_deref(),
        Some("00004"),
        "still counted in its unit"
    );
    // Their session ends; their old contact and password no longer sign anyone in.
    assert_eq!(tu.get("/learn").await.location(), Some("/login"));
    let again = client
        .another()
        .post_form(
            "/login",
            &[("contact", "0912345678"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The unit's figures are what they were.
    let counts_after = admin.server_fn("campaign/unit", &[("code", "00004")]).await;
    let strip = |body: &str| -> serde_json::Value {
        let mut v: serde_json::Value = serde_json::from_str(body).unwrap();
        v.as_object_mut().map(|o| o.remove("today"));
        v
    };
    assert_eq!(strip(&counts_after.body), strip(&counts_before.body));
    assert_eq!(db.attempts_of(id).await.unwrap().len(), 1, "records kept");
    // Recorded, without what was removed.
    let log = db
        .audit_log(&AuditFilter::default(), None, 10)
        .await
        .unwrap();
    let entry = log
        .iter()
        .find(|e| e.action == "account.anonymise")
        .unwrap();
    assert_eq!(entry.object, format!("account:{id}"));
    assert_eq!(entry.actor_name, "Trần Minh Quân");
    let written = format!("{:?}{:?}", entry.before_json, entry.after_json);
    assert!(!written.contains("Bùi Văn Tư") && !written.contains("0912345678"));
    let page = admin.get("/people?anonymised=1").await;
    assert!(page.body.contains("Đã ẩn danh tài khoản"));
    assert!(!page.body.contains("Bùi Văn Tư"));
}
on_both_databases!(an_admin_anonymises_an_account_and_the_counts_stay);
