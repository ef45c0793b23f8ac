//! Who may call what: every server function and role page, for every role and scope.

use axum::http::StatusCode;

use app::domain::{Cohort, Role};
use app::store::Db;

use crate::harness::{make_accounts, sign_in, Client};
use crate::on_both_databases;

/// Creates one account per role (the unit manager and learner in Phường Ba Đình, 00004, plus a
/// learner in Phường Hoàn Kiếm, 00070) and returns their contacts.
async fn people(client: &Client) {
    make_accounts(
        client,
        &[
            ("Trần Minh Quân", "admin@t.vn", Role::Admin, None, None),
            ("Lê Thu Hà", "organizer@t.vn", Role::Organizer, None, None),
            (
                "Phạm Văn Đức",
                "manager@t.vn",
                Role::UnitManager,
                None,
                Some("00004"),
            ),
            (
                "Nguyễn Thị Lan",
                "learner@t.vn",
                Role::Learner,
                Some(Cohort::Official),
                Some("00004"),
            ),
            (
                "Vũ Thị Hòa",
                "other@t.vn",
                Role::Learner,
                Some(Cohort::Resident),
                Some("00070"),
            ),
        ],
    )
    .await;
}

async fn signed_in(client: &Client, contact: &str) -> Client {
    sign_in(client, contact).await
}

/// The role × scope table of the people directory server function.
async fn the_directory_is_refused_to_learners_and_scoped_for_managers(db: Db) {
    let client = Client::new(db);
    people(&client).await;

    let mut anonymous = client.another();
    assert_eq!(
        anonymous.server_fn("accounts", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );

    let mut learner = signed_in(&client, "learner@t.vn").await;
    let refused = learner.server_fn("accounts", &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        !refused.body.contains("Phạm Văn Đức"),
        "no data leaks: {}",
        refused.body
    );

    for contact in ["admin@t.vn", "organizer@t.vn"] {
        let mut staff = signed_in(&client, contact).await;
        let all = staff.server_fn("accounts", &[]).await;
        assert_eq!(all.status, StatusCode::OK, "{contact}");
        let lines: Vec<serde_json::Value> = serde_json::from_str(&all.body).unwrap();
        assert_eq!(lines.len(), 5, "{contact}");
        let one_unit = staff.server_fn("accounts", &[("unit", "00070")]).await;
        let lines: Vec<serde_json::Value> = serde_json::from_str(&one_unit.body).unwrap();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["full_name"], "Vũ Thị Hòa");
    }

    let mut manager = signed_in(&client, "manager@t.vn").await;
    let own = manager.server_fn("accounts", &[]).await;
    assert_eq!(own.status, StatusCode::OK);
    let lines: Vec<serde_json::Value> = serde_json::from_str(&own.body).unwrap();
    let names: Vec<&str> = lines
        .iter()
        .filter_map(|l| l["full_name"].as_str())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        !names.contains(&"Vũ Thị Hòa"),
        "another ward's learner: {names:?}"
    );
    // Asking for another ward by its code is refused, not silently narrowed.
    let other_ward = manager.server_fn("accounts", &[("unit", "00070")]).await;
    assert_eq!(other_ward.status, StatusCode::FORBIDDEN);
    assert!(!other_ward.body.contains("Vũ Thị Hòa"));
}
on_both_databases!(the_directory_is_refused_to_learners_and_scoped_for_managers);

/// Role pages: the right role gets the page, another role gets 403, nobody gets sent to log in.
async fn role_pages_are_guarded(db: Db) {
    let client = Client::new(db);
    people(&client).await;
    let table: [(&str, &str, StatusCode); 8] = [
        ("learner@t.vn", "/learn", StatusCode::OK),
        ("learner@t.vn", "/people", StatusCode::FORBIDDEN),
        ("learner@t.vn", "/unit", StatusCode::FORBIDDEN),
        ("manager@t.vn", "/unit", StatusCode::OK),
        ("manager@t.vn", "/people", StatusCode::FORBIDDEN),
        ("organizer@t.vn", "/people", StatusCode::OK),
        ("admin@t.vn", "/people", StatusCode::OK),
        ("admin@t.vn", "/learn", StatusCode::FORBIDDEN),
    ];
    for (contact, path, expected) in table {
        let mut browser = signed_in(&client, contact).await;
        let reply = browser.get(path).await;
        assert_eq!(reply.status, expected, "{contact} {path}");
    }
    let mut organizer = signed_in(&client, "organizer@t.vn").await;
    let page = organizer.get("/people").await;
    assert!(page.body.contains("Vũ Thị Hòa") && page.body.contains("Quản lý đơn vị"));
    let mut manager = signed_in(&client, "manager@t.vn").await;
    let page = manager.get("/unit").await;
    assert!(page.body.contains("Người học của Phường Ba Đình"));
    assert!(!page.body.contains("Vũ Thị Hòa"));

    let mut anonymous = client.another();
    for path in ["/learn", "/people", "/unit", "/account/password"] {
        let reply = anonymous.get(path).await;
        assert_eq!(reply.status, StatusCode::FOUND, "{path}");
        assert_eq!(reply.location(), Some("/login"), "{path}");
    }
}
on_both_databases!(role_pages_are_guarded);

async fn public_server_functions_answer_everyone(db: Db) {
    let mut client = Client::new(db);
    let units = client.server_fn("units", &[]).await;
    assert_eq!(units.status, StatusCode::OK);
    let units: Vec<serde_json::Value> = serde_json::from_str(&units.body).unwrap();
    assert_eq!(units.len(), 126);
    let me = client.server_fn("me", &[]).await;
    assert_eq!(me.body.trim(), "null");
}
on_both_databases!(public_server_functions_answer_everyone);
