//! The audit log: privileged acts are recorded with who, when, from where, what and the values
//! before and after, only when the act itself is kept; admins read, filter and export it; the
//! database refuses to change or remove an entry.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::StatusCode;
use sqlx::{Connection, Executor};

use app::domain::Role;
use app::store::{AuditFilter, AuditRow, Db};

use crate::harness::{make_accounts, Client, PASSWORD};
use crate::on_both_databases;

async fn staff(client: &Client) {
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
        ],
    )
    .await;
}

/// A browser signed in as `contact`, whose requests come from `address`.
async fn from_address(client: &Client, contact: &str, address: &str) -> Client {
    let mut browser = client.another();
    let addr: SocketAddr = address.parse().unwrap();
    browser.connect_info = Some(ConnectInfo(addr));
    let reply = browser
        .post_form("/login", &[("contact", contact), ("password", PASSWORD)])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{contact}");
    browser
}

async fn entries(db: &Db, action: &str) -> Vec<AuditRow> {
    let filter = AuditFilter {
        action: app::domain::audit::Action::parse(action),
        ..AuditFilter::default()
    };
    assert!(filter.action.is_some(), "{action}");
    db.audit_log(&filter, None, 1000).await.unwrap()
}

fn json(text: &Option<String>) -> serde_json::Value {
    serde_json::from_str(text.as_deref().unwrap_or("null")).unwrap()
}

async fn privileged_acts_are_recorded_with_who_where_and_what_changed(db: Db) {
    let client = Client::new(db.clone());
    staff(&client).await;
    let mut org = from_address(&client, "organizer@t.vn", "203.0.113.7:50000").await;
    let organizer_id = db
        .account_by_contact(&app::domain::Contact::parse("organizer@t.vn").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;

    // The staff accounts made at the command line.
    let created = entries(&db, "account.create").await;
    assert_eq!(created.len(), 3);
    assert!(created
        .iter()
        .all(|e| e.actor_name == "hocso test" && e.actor_id.is_none() && e.address.is_none()));
    let manager = created
        .iter()
        .find(|e| json(&e.after_json)["role"] == "unit_manager")
        .unwrap();
    assert_eq!(manager.unit_code.as_deref(), Some("00004"));
    assert!(
        !manager
            .after_json
            .as_deref()
            .unwrap_or_default()
            .contains("argon2"),
        "no password hash in the log"
    );

    // A refused form writes nothing: neither the act nor an entry.
    let bad = org
        .post_form("/campaign/settings", &[("name", ""), ("days", "0")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(entries(&db, "campaign.settings").await.is_empty());

    // The campaign: created, then changed (before and after).
    let today = app::domain::vn::Date::from_unix_vn(app::services::now());
    let first = app::domain::vn::Date::from_epoch_days(today.epoch_day() - 5).to_string();
    let mut id = String::new();
    for (name, target) in [
        ("Chiến dịch 45 ngày", "80"),
        ("Chiến dịch 45 ngày (sửa)", "85"),
    ] {
        let saved = org
            .post_form(
                "/campaign/settings",
                &[
                    ("id", id.as_str()),
                    ("name", name),
                    ("first_day", &first),
                    ("days", "45"),
                    ("target-online_rate_pct", target),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        // The second save changes the campaign the first made.
        let campaign = db.current_campaign("01", app::services::now()).await;
        id = campaign.unwrap().unwrap().id.to_string();
    }
    let settings = entries(&db, "campaign.settings").await;
    assert!(!settings.is_empty());
    let last = &settings[0];
    assert_eq!(last.actor_id, Some(organizer_id));
    assert_eq!(last.actor_name, "Lê Thu Hà");
    assert_eq!(last.address.as_deref(), Some("203.0.113.7"));
    assert_eq!(settings.len(), 2, "one campaign, made then changed");
    assert_eq!(last.object, format!("campaign:{id}"));
    assert_eq!(json(&last.before_json)["name"], "Chiến dịch 45 ngày");
    assert_eq!(json(&last.before_json)["targets"]["online_rate_pct"], 80);
    assert_eq!(json(&last.after_json)["targets"]["online_rate_pct"], 85);

    // A unit's figures, entered twice for the same day: the second entry shows the first.
    for received in ["100", "120"] {
        let saved = org
            .post_form(
                "/campaign/units/00070/figures",
                &[("received", received), ("online", "10")],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }
    let figures = entries(&db, "campaign.figures").await;
    assert_eq!(figures.len(), 2);
    assert_eq!(figures[0].unit_code.as_deref(), Some("00070"));
    assert_eq!(json(&figures[0].before_json)["procedures_received"], 100);
    assert_eq!(json(&figures[0].after_json)["procedures_received"], 120);
    assert!(
        figures[1].before_json.is_none(),
        "the first entry had nothing before"
    );

    // A roster uploaded and imported: the upload, every account it made, and the import.
    let roster = crate::campaign::fixture("good.csv");
    let uploaded = org
        .post_file("/roster", "file", "danh-sach.csv", &roster)
        .await;
    assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
    let preview = uploaded.location().unwrap().to_owned();
    let confirmed = org.post_form(&format!("{preview}/confirm"), &[]).await;
    assert_eq!(
        confirmed.status,
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.body
    );
    let upload = entries(&db, "roster.upload").await;
    assert_eq!(upload.len(), 1);
    let id = preview.rsplit('/').next().unwrap();
    assert_eq!(upload[0].object, format!("roster:{id}"));
    let import = entries(&db, "roster.import").await;
    assert_eq!(import.len(), 1);
    assert_eq!(import[0].object, format!("roster:{id}"));
    let made = json(&import[0].after_json)["created"].as_i64().unwrap();
    assert!(made > 0);
    assert_eq!(
        entries(&db, "account.create").await.len() as i64,
        3 + made,
        "one entry per account the roster made"
    );
    let roster_made = &entries(&db, "account.create").await[0];
    assert_eq!(roster_made.actor_id, Some(organizer_id));
    assert!(
        !roster_made
            .after_json
            .as_deref()
            .unwrap_or_default()
            .contains('@'),
        "contacts are not copied into the log: {:?}",
        roster_made.after_json
    );
}
on_both_databases!(privileged_acts_are_recorded_with_who_where_and_what_changed);

async fn admins_read_filter_and_export_the_log_and_nobody_else_does(db: Db) {
    let client = Client::new(db.clone());
    staff(&client).await;
    let mut org = from_address(&client, "organizer@t.vn", "198.51.100.4:1").await;
    let today = app::domain::vn::Date::from_unix_vn(app::services::now());
    let saved = org
        .post_form(
            "/campaign/settings",
            &[
                ("name", "Chiến dịch 45 ngày"),
                ("first_day", &today.to_string()),
                ("days", "45"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let targets = org
        .post_form(
            "/campaign/units/00004/targets",
            &[("target-online_rate_pct", "90")],
        )
        .await;
    assert_eq!(targets.status, StatusCode::SEE_OTHER, "{}", targets.body);

    let mut admin = from_address(&client, "admin@t.vn", "198.51.100.5:1").await;
    let all = admin.get("/audit").await;
    assert_eq!(all.status, StatusCode::OK);
    for text in [
        "Nhật ký thao tác",
        "Lê Thu Hà",
        "198.51.100.4",
        "Chỉ tiêu riêng của đơn vị",
        "Thiết lập chiến dịch",
        "hocso test",
    ] {
        assert!(all.body.contains(text), "{text}");
    }

    // One unit's entries only.
    let unit = admin.get("/audit?unit=4&action=").await;
    assert!(unit.body.contains("Chỉ tiêu riêng của đơn vị"));
    assert!(!unit.body.contains("Thiết lập chiến dịch</td>"));
    // A filter that cannot be read is said, and left out.
    let bad = admin
        .get("/audit?from=31%2F02%2F2025&action=account.delete")
        .await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.body.contains("audit-problems"));
    assert!(bad.body.contains("Hãy nhập ngày theo dạng ngày/tháng/năm"));
    assert!(bad.body.contains("Không có thao tác này"));
    // Tomorrow on: nothing yet.
    let tomorrow = app::domain::vn::Date::from_epoch_days(today.epoch_day() + 1).to_string();
    let later = admin
        .get(&format!("/audit?from={}", tomorrow.replace('/', "%2F")))
        .await;
    assert!(later.body.contains("audit-empty"), "{}", later.body);

    // The export: the filter's entries, one line each, with before and after.
    let csv = admin
        .get("/audit/export.csv?action=campaign.unit_targets")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'));
    let mut reader = csv::Reader::from_reader(csv.body.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "{}", csv.body);
    assert_eq!(&rows[0][3], "Lê Thu Hà");
    assert_eq!(&rows[0][4], "198.51.100.4");
    assert_eq!(&rows[0][5], "campaign.unit_targets");
    assert_eq!(&rows[0][7], "00004");
    assert!(
        rows[0][9].contains("\"online_rate_pct\":90"),
        "{:?}",
        &rows[0]
    );

    // Nobody else reads it; there is no way to change it.
    let refused = org.get("/audit").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.body.contains("198.51.100.4"));
    assert_eq!(
        org.get("/audit/export.csv").await.status,
        StatusCode::FORBIDDEN
    );
    for method in ["POST", "PUT", "DELETE"] {
        let reply = admin.request(method, "/audit", &[], Vec::new()).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} /audit");
    }
}
on_both_databases!(admins_read_filter_and_export_the_log_and_nobody_else_does);

async fn the_database_refuses_to_change_or_remove_an_entry(db: Db, url: String) {
    let client = Client::new(db.clone());
    staff(&client).await;
    let before = db
        .audit_log(&AuditFilter::default(), None, 100)
        .await
        .unwrap();
    assert_eq!(before.len(), 3);

    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    for statement in [
        "UPDATE audit_log SET actor_name = 'ai đó'",
        "DELETE FROM audit_log",
    ] {
        let result = conn.execute(statement).await;
        assert!(result.is_err(), "{statement} was allowed");
    }
    if db.backend() == app::store::Backend::Postgres {
        assert!(conn.execute("TRUNCATE audit_log").await.is_err());
    }
    let after = db
        .audit_log(&AuditFilter::default(), None, 100)
        .await
        .unwrap();
    assert_eq!(after, before);
}
on_both_databases!(the_database_refuses_to_change_or_remove_an_entry, with_url);
