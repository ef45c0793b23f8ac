//! The campaign through the real router: roster imports (every bad row reported, nothing
//! half-written, re-imports change nothing), the campaign's settings and figures, deployments
//! and assisted sessions, "assisted → independent", the dashboards and their scope, CSV
//! exports, and rollups that always equal the naive aggregate.

use std::collections::BTreeMap;

use axum::http::{header, StatusCode};

use app::domain::campaign::Metric;
use app::domain::{Cohort, Role};
use app::services::{now, roster};
use app::store::{province_scope, Db};

use crate::competency::{birth_exam, birth_run, officials_run, person};
use crate::harness::Client;
use crate::on_both_databases;

pub(crate) fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/roster/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every rollup equals the naive aggregate of the records, and every scope's history adds up
/// to its current value.
pub(crate) async fn assert_rollups_match(db: &Db) {
    let naive = db
        .naive_rollups(80, app::domain::vn::vn_day(now()))
        .await
        .unwrap();
    let mut totals: BTreeMap<(String, Metric), i64> = BTreeMap::new();
    for ((scope, _, metric), n) in naive {
        *totals.entry((scope, metric)).or_default() += n;
    }
    totals.retain(|_, v| *v != 0);
    let stats = db.all_stats().await.unwrap();
    assert_eq!(
        stats, totals,
        "maintained rollups against the naive aggregate"
    );
    assert_eq!(
        db.all_daily_sums().await.unwrap(),
        stats,
        "each scope's history adds up to its value"
    );
}

async fn stat(db: &Db, scope: &str, metric: Metric) -> i64 {
    db.stats_of(scope)
        .await
        .unwrap()
        .get(&metric)
        .copied()
        .unwrap_or(0)
}

async fn organizer(client: &Client) -> Client {
    person(client, "Lê Thu Hà", "org@t.vn", Role::Organizer, None, None)
        .await
        .0
}

async fn every_kind_of_bad_row_is_reported_and_nothing_is_imported(db: Db) {
    let client = Client::new(db.clone());
    // An account already holding the contact of the last row.
    person(
        &client,
        "Vũ Thị Hòa",
        "taken@t.vn",
        Role::Learner,
        Some(Cohort::Resident),
        Some("00070"),
    )
    .await;
    let accounts_before = db.count_accounts().await.unwrap();
    let stats_before = db.all_stats().await.unwrap();

    let checked = roster::check(&client.state, &fixture("bad_rows.csv"))
        .await
        .unwrap();
    assert!(!checked.importable());
    let found: Vec<(usize, &str)> = checked
        .problems
        .iter()
        .map(|(row, _, p)| (*row, problem_code(*p)))
        .collect();
    assert_eq!(
        found,
        vec![
            (3, "code_missing"),
            (4, "code_invalid"),
            (5, "name_invalid"),
            (6, "name_empty"),
            (7, "cohort_unknown"),
            (8, "cohort_resident"),
            (9, "unit_unknown"),
            (10, "position_unknown"),
            (11, "university_missing"),
            (12, "phone_invalid"),
            (13, "email_invalid"),
            (14, "contact_empty"),
            (15, "duplicate_code"),
            (16, "duplicate_contact"),
            (17, "contact_taken"),
        ],
        "each bad row once, by its row number; row 2 is good"
    );
    let messages: Vec<String> = checked
        .problems
        .iter()
        .map(|(r, c, p)| roster::row_error(*r, *c, *p, app::i18n::Locale::Vi))
        .collect();
    assert!(
        messages.contains(&"Dòng 15, cột mã số: mã số này đã có ở dòng 2.".to_owned()),
        "{messages:#?}"
    );
    assert!(messages
        .contains(&"Dòng 9, cột mã đơn vị: không có đơn vị hành chính mang mã này.".to_owned()));

    // The import refuses the whole file.
    let result = roster::import(
        &client.state,
        &fixture("bad_rows.csv"),
        |_| {},
        &crate::harness::operator(),
        "test",
    )
    .await;
    assert!(matches!(result, Err(roster::ImportError::Invalid(_))));
    assert_eq!(
        db.count_accounts().await.unwrap(),
        accounts_before,
        "row 2 was not imported either"
    );
    assert_eq!(db.all_stats().await.unwrap(), stats_before);

    // Files that cannot be read say why.
    for (name, expected) in [
        ("not_utf8.csv", roster::FileProblem::NotUtf8),
        (
            "missing_columns.csv",
            roster::FileProblem::MissingColumns(vec![
                "doi_tuong".into(),
                "ma_don_vi".into(),
                "lien_he".into(),
            ]),
        ),
    ] {
        let checked = roster::check(&client.state, &fixture(name)).await.unwrap();
        assert_eq!(checked.file_problems, vec![expected], "{name}");
    }
    assert_eq!(db.count_accounts().await.unwrap(), accounts_before);
}
on_both_databases!(every_kind_of_bad_row_is_reported_and_nothing_is_imported);

fn as_refs(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn problem_code(p: app::domain::roster::Problem) -> &'static str {
    use app::domain::roster::{ContactProblem, NameProblem, Problem};
    match p {
        Problem::CodeMissing => "code_missing",
        Problem::CodeInvalid => "code_invalid",
        Problem::Name(NameProblem::InvalidCharacter) => "name_invalid",
        Problem::Name(NameProblem::Empty) => "name_empty",
        Problem::Name(NameProblem::TooLong) => "name_too_long",
        Problem::CohortUnknown => "cohort_unknown",
        Problem::CohortNotRostered => "cohort_resident",
        Problem::UnitUnknown => "unit_unknown",
        Problem::PositionUnknown => "position_unknown",
        Problem::UniversityMissing => "university_missing",
        Problem::UniversityTooLong => "university_too_long",
        Problem::Contact(ContactProblem::InvalidPhone) => "phone_invalid",
        Problem::Contact(ContactProblem::InvalidEmail) => "email_invalid",
        Problem::Contact(ContactProblem::Empty) => "contact_empty",
        Problem::DuplicateCode(_) => "duplicate_code",
        Problem::DuplicateContact(_) => "duplicate_contact",
        Problem::ContactTaken => "contact_taken",
    }
}

async fn reimporting_changes_nothing_and_a_move_follows_the_counts(db: Db) {
    let client = Client::new(db.clone());
    let applied = roster::import(
        &client.state,
        &fixture("good.csv"),
        |_| {},
        &crate::harness::operator(),
        "test",
    )
    .await
    .unwrap();
    assert_eq!(
        (applied.created, applied.updated, applied.unchanged),
        (3, 0, 0)
    );
    assert_eq!(
        stat(&db, "00004", Metric::Members(Cohort::Official)).await,
        2
    );
    assert_eq!(
        stat(&db, "00070", Metric::Members(Cohort::Volunteer)).await,
        1
    );
    assert_eq!(
        stat(
            &db,
            &province_scope("01"),
            Metric::Members(Cohort::Official)
        )
        .await,
        2
    );
    let accounts = db.count_accounts().await.unwrap();
    let stats = db.all_stats().await.unwrap();

    // The same people written another way (semicolons, English headers, "4" for "00004", a
    // lower-case code, a phone with spaces): nothing changes.
    for file in ["good.csv", "good_semicolons.csv"] {
        let again = roster::import(
            &client.state,
            &fixture(file),
            |_| {},
            &crate::harness::operator(),
            "test",
        )
        .await
        .unwrap();
        assert_eq!(
            (again.created, again.updated, again.unchanged),
            (0, 0, 3),
            "{file}"
        );
        assert_eq!(db.count_accounts().await.unwrap(), accounts);
        assert_eq!(db.all_stats().await.unwrap(), stats);
    }

    // An imported official cannot log in before activation.
    let mut browser = client.another();
    let login = browser
        .post_form(
            "/login",
            &[
                ("contact", "0912000101"),
                ("password", "một mật khẩu đoán thử"),
            ],
        )
        .await;
    assert_eq!(login.status, StatusCode::UNPROCESSABLE_ENTITY);

    // An official meeting the standard moves to another ward: both wards' counts follow.
    let an = db
        .account_by_contact(&app::domain::Contact::Phone("0912000101".into()))
        .await
        .unwrap()
        .unwrap();
    for source in ["chi-can-bo", "chi-can-bo-hai"] {
        db.add_evidence(
            an.id,
            0,
            &[app::store::NewEvidence {
                competence: "C2.3".into(),
                level: 3,
                source_kind: "practice",
                source_id: source.into(),
                source_version: 1,
                percent: 100,
                earned_at: now(),
            }],
        )
        .await
        .unwrap();
    }
    app::services::competency::recompute(&client.state, an.id)
        .await
        .unwrap();
    assert_eq!(
        stat(&db, "00004", Metric::Meeting(Cohort::Official)).await,
        1
    );
    let moved = roster::import(
        &client.state,
        &fixture("moved.csv"),
        |_| {},
        &crate::harness::operator(),
        "test",
    )
    .await
    .unwrap();
    assert_eq!((moved.created, moved.updated, moved.unchanged), (0, 1, 2));
    assert_eq!(
        stat(&db, "00004", Metric::Members(Cohort::Official)).await,
        1
    );
    assert_eq!(
        stat(&db, "00070", Metric::Members(Cohort::Official)).await,
        1
    );
    assert_eq!(
        stat(&db, "00004", Metric::Meeting(Cohort::Official)).await,
        0
    );
    assert_eq!(
        stat(&db, "00070", Metric::Meeting(Cohort::Official)).await,
        1
    );
    assert_rollups_match(&db).await;
}
on_both_databases!(reimporting_changes_nothing_and_a_move_follows_the_counts);

async fn an_organizer_uploads_previews_and_imports_a_roster(db: Db) {
    let client = Client::new(db.clone());
    let mut org = organizer(&client).await;
    let page = org.get("/roster").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("enctype=\"multipart/form-data\""));

    // A file with problems: the preview lists them by row and offers no import.
    let up = org
        .post_file("/roster", "file", "bad_rows.csv", &fixture("bad_rows.csv"))
        .await;
    assert_eq!(up.status, StatusCode::SEE_OTHER, "{}", up.body);
    let bad_preview = up.location().unwrap().to_owned();
    let preview = org.get(&bad_preview).await;
    assert!(
        preview.body.contains("Có 14 lỗi cần sửa"),
        "{}",
        preview.body
    );
    assert!(preview
        .body
        .contains("Dòng 11, cột trường: tình nguyện viên cần ghi tên trường."));
    assert!(!preview.body.contains("roster-confirm"));
    let forced = org.post_form(&format!("{bad_preview}/confirm"), &[]).await;
    assert_eq!(forced.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        stat(&db, "00004", Metric::Members(Cohort::Official)).await,
        0
    );

    // No file at all.
    let empty = org.post_file("/roster", "file", "", b"").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Chọn một tệp CSV để tải lên."));

    // A good file: counts and the first rows, then the import.
    let up = org
        .post_file("/roster", "file", "good.csv", &fixture("good.csv"))
        .await;
    let url = up.location().unwrap().to_owned();
    let preview = org.get(&url).await;
    assert!(
        preview
            .body
            .contains("3 dòng. Thêm mới 3, cập nhật 0, không đổi 0."),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("Đỗ Thu Trang"));
    assert_eq!(
        stat(&db, "00004", Metric::Members(Cohort::Official)).await,
        0,
        "nothing before the confirmation"
    );

    // Nobody else sees the upload (it holds personal data).
    let mut other = person(
        &client,
        "Trần Minh Quân",
        "admin@t.vn",
        Role::Admin,
        None,
        None,
    )
    .await
    .0;
    assert_eq!(other.get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        other.post_form(&format!("{url}/confirm"), &[]).await.status,
        StatusCode::NOT_FOUND
    );
    let mut manager = person(
        &client,
        "Phạm Văn Đức",
        "m@t.vn",
        Role::UnitManager,
        None,
        Some("00004"),
    )
    .await
    .0;
    assert_eq!(
        manager
            .post_file("/roster", "file", "good.csv", &fixture("good.csv"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let done = org.post_form(&format!("{url}/confirm"), &[]).await;
    assert_eq!(done.location(), Some(format!("{url}?done=1").as_str()));
    let result = org.get(&format!("{url}?done=1")).await;
    assert!(
        result.body.contains("Thêm mới 3, cập nhật 0, không đổi 0."),
        "{}",
        result.body
    );
    assert_eq!(
        stat(&db, "00004", Metric::Members(Cohort::Official)).await,
        2
    );
    // A second click imports nothing twice.
    org.post_form(&format!("{url}/confirm"), &[]).await;
    assert_eq!(
        stat(&db, "00004", Metric::Members(Cohort::Official)).await,
        2
    );
    assert_eq!(
        db.upload(url.trim_start_matches("/roster/").parse().unwrap())
            .await
            .unwrap()
            .unwrap()
            .content,
        "",
        "rows are not kept after the import"
    );

    // The dashboard's coverage moved.
    let dashboard = org.get("/campaign").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(
        dashboard.body.contains("<td class=\"members\">2</td>"),
        "{}",
        dashboard.body
    );
    let template = org.get("/roster/template.csv").await;
    assert!(template
        .body
        .starts_with("\u{feff}ma_so,ho_ten,doi_tuong,ma_don_vi,vi_tri,truong,lien_he"));
}
on_both_databases!(an_organizer_uploads_previews_and_imports_a_roster);

async fn campaign_settings_and_figures_are_checked_and_kept(db: Db) {
    let client = Client::new(db.clone());
    let mut org = organizer(&client).await;
    let none = org.get("/campaign").await;
    assert!(none.body.contains("Chưa có chiến dịch nào."));

    let bad = org
        .post_form(
            "/campaign/settings",
            &[
                ("name", ""),
                ("first_day", "31/02/2025"),
                ("days", "0"),
                ("target-online_rate_pct", "120"),
                ("target-volunteers_ready", "-3"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Nhập tên chiến dịch",
        "Ghi ngày bắt đầu theo dạng ngày/tháng/năm",
        "Số ngày phải là số từ 1 đến 366.",
        "Nhập một số phần trăm từ 0 đến 100.",
        "Nhập một số nguyên không âm",
    ] {
        assert!(bad.body.contains(message), "{message}: {}", bad.body);
    }
    assert!(
        bad.body.contains("value=\"31/02/2025\""),
        "what was typed is kept"
    );
    assert!(db.current_campaign("01", now()).await.unwrap().is_none());

    let today = app::domain::vn::Date::from_unix_vn(now());
    let started = app::domain::vn::Date::from_epoch_days(today.epoch_day() - 20).to_string();
    let saved = org
        .post_form(
            "/campaign/settings",
            &[
                ("name", "Chiến dịch 45 ngày"),
                ("first_day", &started),
                ("days", "45"),
                ("target-online_rate_pct", "80%"),
                ("target-officials_meeting_pct", "80"),
            ],
        )
        .await;
    assert_eq!(
        saved.location(),
        Some("/campaign?saved=1"),
        "{}",
        saved.body
    );
    let dashboard = org.get("/campaign?saved=1").await;
    assert!(dashboard.body.contains("Ngày 21/45"), "{}", dashboard.body);

    // Figures: a pair must be whole and make sense; a good one shows on the unit and moves
    // the city's online rate. A unit far below the line is at risk.
    let bad = org
        .post_form(
            "/campaign/units/00070/figures",
            &[("as_of", "01/01/2999"), ("received", "100"), ("online", "")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad
        .body
        .contains("Không nhập số liệu cho một ngày chưa đến."));
    assert!(bad
        .body
        .contains("Nhập cả số hồ sơ tiếp nhận và số hồ sơ trực tuyến."));
    let bad = org
        .post_form(
            "/campaign/units/00070/figures",
            &[("received", "100"), ("online", "120")],
        )
        .await;
    assert!(bad.body.contains("không thể lớn hơn"));
    let ok = org
        .post_form(
            "/campaign/units/00070/figures",
            &[
                ("households", "1.200"),
                ("received", "100"),
                ("online", "10"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let unit = org.get("/campaign/units/00070").await;
    assert!(
        unit.body
            .contains("1.200 hộ, 100 hồ sơ tiếp nhận, 10 hồ sơ trực tuyến"),
        "{}",
        unit.body
    );
    let city = org.get("/campaign").await;
    assert!(city.body.contains("10% (10/100)"), "{}", city.body);
    assert!(
        city.body.contains("data-unit=\"00070\"") && city.body.contains("id=\"at-risk-list\""),
        "10% on day 21 is far below the line to 80% (37% today): {}",
        city.body
    );
    // A unit's own target replaces the city's: on the line to 20%, 10% is on pace.
    let own = org
        .post_form(
            "/campaign/units/00070/targets",
            &[("target-online_rate_pct", "20")],
        )
        .await;
    assert_eq!(own.status, StatusCode::SEE_OTHER, "{}", own.body);
    assert!(!org
        .get("/campaign")
        .await
        .body
        .contains("id=\"at-risk-list\""));

    // The unit's manager may enter their figures, not another unit's, and sets no targets.
    let mut manager = person(
        &client,
        "Phạm Văn Đức",
        "m@t.vn",
        Role::UnitManager,
        None,
        Some("00004"),
    )
    .await
    .0;
    let theirs = manager
        .post_form("/campaign/units/00004/figures", &[("households", "900")])
        .await;
    assert_eq!(theirs.status, StatusCode::SEE_OTHER, "{}", theirs.body);
    for (path, fields) in [
        ("/campaign/units/00070/figures", vec![("households", "1")]),
        (
            "/campaign/units/00004/targets",
            vec![("target-online_rate_pct", "10")],
        ),
        ("/campaign/settings", vec![("name", "x")]),
    ] {
        let refused = manager.post_form(path, &fields).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
    }
    let stored = db
        .figures(
            db.current_campaign("01", now()).await.unwrap().unwrap().id,
            Some("00070"),
        )
        .await
        .unwrap();
    assert_eq!(stored.len(), 1, "the refused figures were not stored");
    assert_eq!(stored[0].households, Some(1200));
}
on_both_databases!(campaign_settings_and_figures_are_checked_and_kept);

async fn dashboards_are_scoped_and_exported(db: Db) {
    let client = Client::new(db.clone());
    let mut org = organizer(&client).await;
    let mut manager = person(
        &client,
        "Phạm Văn Đức",
        "m@t.vn",
        Role::UnitManager,
        None,
        Some("00004"),
    )
    .await
    .0;
    let (mut learner, _) = person(
        &client,
        "Nguyễn Thị Lan",
        "lan@t.vn",
        Role::Learner,
        Some(Cohort::Official),
        Some("00004"),
    )
    .await;
    let mut anonymous = client.another();

    assert_eq!(
        manager.get("/campaign/units/00004").await.status,
        StatusCode::OK
    );
    for path in [
        "/campaign/units/00070",
        "/campaign",
        "/campaign/settings",
        "/roster",
        "/deploy",
    ] {
        assert_eq!(
            manager.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(
        manager
            .server_fn("campaign/unit", &[("code", "00070")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        manager.server_fn("campaign/dashboard", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        manager.get("/campaign/units/00070/export.csv").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        manager.get("/campaign/export.csv").await.status,
        StatusCode::FORBIDDEN
    );
    for path in ["/campaign", "/campaign/units/00004", "/deploy", "/roster"] {
        assert_eq!(
            learner.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
        assert_eq!(
            anonymous.get(path).await.location(),
            Some("/login"),
            "{path}"
        );
    }
    assert_eq!(
        learner.server_fn("campaign/dashboard", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        anonymous.server_fn("campaign/dashboard", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        org.get("/campaign/units/99999").await.status,
        StatusCode::NOT_FOUND
    );

    let csv = org.get("/campaign/export.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let lines: Vec<&str> = csv.body.lines().collect();
    assert!(lines[0].starts_with("\u{feff}ma_don_vi,ten_don_vi,can_bo,can_bo_dat_chuan"));
    assert_eq!(lines.len(), 127, "a header and Hà Nội's 126 units");
    assert!(
        lines.contains(&"00004,Phường Ba Đình,1,0,0,0,0,0,0,,,"),
        "{lines:?}"
    );
    let unit_csv = manager.get("/campaign/units/00004/export.csv").await;
    assert_eq!(unit_csv.status, StatusCode::OK);
    assert!(unit_csv
        .body
        .starts_with("\u{feff}ngay,ngay_thu,officials_meeting_pct"));
}
on_both_databases!(dashboards_are_scoped_and_exported);

async fn volunteers_are_deployed_and_residents_go_from_assisted_to_independent(db: Db) {
    let client = Client::new(db.clone());
    let mut org = organizer(&client).await;
    let (mut nam, nam_id) = person(
        &client,
        "Đỗ Hoàng Nam",
        "nam@t.vn",
        Role::Learner,
        Some(Cohort::Volunteer),
        Some("00070"),
    )
    .await;
    let (mut lan, lan_id) = person(
        &client,
        "Lê Thị Lan",
        "lan@t.vn",
        Role::Learner,
        Some(Cohort::Volunteer),
        Some("00070"),
    )
    .await;
    let today = app::domain::vn::Date::from_unix_vn(now()).to_string();

    // Not ready yet: refused, and the volunteer's page says why.
    let refused = org
        .post_form(
            "/deploy",
            &[
                ("volunteer", &nam_id.to_string()),
                ("unit", "00004"),
                ("day", &today),
                ("shift", "morning"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .body
        .contains("Chọn một tình nguyện viên đã đạt chuẩn."));
    assert!(nam
        .get("/shifts")
        .await
        .body
        .contains("Bạn chưa đạt chuẩn tình nguyện viên"));

    nam.post_form("/quiz/thu-nghiem", &crate::learning::ALL_RIGHT)
        .await;
    birth_exam(&mut nam).await;
    let page = org.get("/deploy").await;
    assert!(page.body.contains("Đỗ Hoàng Nam"), "{}", page.body);
    assert!(
        !page.body.contains("Lê Thị Lan ("),
        "only ready volunteers are offered"
    );

    let bad = org
        .post_form(
            "/deploy",
            &[
                ("volunteer", &nam_id.to_string()),
                ("unit", "99999"),
                ("day", "01/01/2020"),
                ("shift", "night"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Chọn một phường, xã trong danh sách.",
        "Không điều động cho một ngày đã qua.",
        "Chọn ca sáng, chiều hoặc tối.",
    ] {
        assert!(bad.body.contains(message), "{message}");
    }
    let ok = org
        .post_form(
            "/deploy",
            &[
                ("volunteer", &nam_id.to_string()),
                ("unit", "00004"),
                ("day", &today),
                ("shift", "morning"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let busy = org
        .post_form(
            "/deploy",
            &[
                ("volunteer", &nam_id.to_string()),
                ("unit", "00070"),
                ("day", &today),
                ("shift", "morning"),
            ],
        )
        .await;
    assert!(busy
        .body
        .contains("Tình nguyện viên này đã có lịch trong ca đó."));
    org.post_form(
        "/deploy",
        &[
            ("volunteer", &nam_id.to_string()),
            ("unit", "00004"),
            ("day", &today),
            ("shift", "evening"),
        ],
    )
    .await;
    assert_eq!(
        stat(&db, "00004", Metric::Deployed).await,
        1,
        "two shifts, one volunteer"
    );
    assert_eq!(stat(&db, &province_scope("01"), Metric::Deployed).await, 1);

    // The volunteer logs a session on their shift; another volunteer cannot use it.
    let shifts = db.deployments(None, Some(nam_id), 0, 10).await.unwrap();
    let morning = shifts
        .iter()
        .find(|s| s.shift == "morning")
        .unwrap()
        .id
        .to_string();
    let evening = shifts
        .iter()
        .find(|s| s.shift == "evening")
        .unwrap()
        .id
        .to_string();
    let form = |shift: &str| {
        vec![
            ("shift".to_owned(), shift.to_owned()),
            ("household".to_owned(), "Số 8, ngõ 12 Thái Hà".to_owned()),
            ("phone".to_owned(), "0987 654 321".to_owned()),
            ("procedure".to_owned(), "khai-sinh-thu".to_owned()),
            ("outcome".to_owned(), "helped".to_owned()),
            ("minutes".to_owned(), "25".to_owned()),
        ]
    };
    let theirs = lan
        .post_form("/shifts/assists", &as_refs(&form(&morning)))
        .await;
    assert_eq!(theirs.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(theirs.body.contains("Chọn một ca của bạn."));
    let bad = nam
        .post_form(
            "/shifts/assists",
            &[
                ("shift", morning.as_str()),
                ("household", " , "),
                ("phone", "123"),
                ("procedure", "x"),
                ("outcome", "maybe"),
                ("minutes", "0"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Ghi số hộ hoặc địa chỉ của hộ.",
        "Số di động không hợp lệ",
        "Chọn một thủ tục trong danh sách.",
        "Chọn kết quả của lượt hỗ trợ.",
        "Ghi số phút từ 1 đến 600.",
    ] {
        assert!(bad.body.contains(message), "{message}");
    }
    assert_eq!(stat(&db, "00004", Metric::Assists).await, 0);
    let logged = nam
        .post_form("/shifts/assists", &as_refs(&form(&morning)))
        .await;
    assert_eq!(
        logged.location(),
        Some("/shifts?logged=1"),
        "{}",
        logged.body
    );
    // The same household written another way is one household.
    let mut second = form(&evening);
    second[1].1 = "số 8 ngõ 12 thái hà".into();
    second[4].1 = "online".into();
    nam.post_form("/shifts/assists", &as_refs(&second)).await;
    assert_eq!(stat(&db, "00004", Metric::Assists).await, 2);
    assert_eq!(stat(&db, "00004", Metric::AssistsHelped).await, 1);
    assert_eq!(stat(&db, "00004", Metric::AssistMinutes).await, 50);
    assert_eq!(stat(&db, "00004", Metric::HouseholdsSeen).await, 1);
    assert_eq!(stat(&db, "00004", Metric::HouseholdsProficient).await, 0);
    // A shift with sessions cannot be cancelled.
    let cancel = org
        .post_form(&format!("/deploy/{morning}/cancel"), &[])
        .await;
    assert_eq!(cancel.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The resident registers with the phone the volunteer wrote down, then passes the same
    // procedure's practice without hints: assisted → independent, and the household has a
    // member who can use the portal.
    let mut hoa = client.another();
    let registered = hoa
        .post_form(
            "/register",
            &[
                ("full_name", "Vũ Thị Hòa"),
                ("contact", "0987654321"),
                ("unit_code", "00004"),
                ("password", "mật khẩu thử nghiệm dài"),
                ("password_confirm", "mật khẩu thử nghiệm dài"),
            ],
        )
        .await;
    assert_eq!(
        registered.status,
        StatusCode::SEE_OTHER,
        "{}",
        registered.body
    );
    birth_run(&mut hoa, "guided").await;
    assert_eq!(stat(&db, "00004", Metric::AssistsIndependent).await, 2);
    assert_eq!(stat(&db, "00004", Metric::HouseholdsProficient).await, 1);
    let page = nam.get("/shifts").await;
    assert!(
        page.body.contains("người dân đã tự làm được"),
        "{}",
        page.body
    );
    let report = org.get("/campaign/units/00004").await;
    assert!(
        report
            .body
            .contains("<dd data-metric=\"independent\">2</dd>"),
        "{}",
        report.body
    );

    // Cancelling the only remaining empty shift: nam keeps the morning one, so he stays
    // deployed; lan (ready now) deployed then cancelled leaves the count as it was.
    lan.post_form("/quiz/thu-nghiem", &crate::learning::ALL_RIGHT)
        .await;
    birth_exam(&mut lan).await;
    org.post_form(
        "/deploy",
        &[
            ("volunteer", &lan_id.to_string()),
            ("unit", "00004"),
            ("day", &today),
            ("shift", "afternoon"),
        ],
    )
    .await;
    assert_eq!(stat(&db, "00004", Metric::Deployed).await, 2);
    let lan_shift = db.deployments(None, Some(lan_id), 0, 10).await.unwrap()[0].id;
    let cancelled = org
        .post_form(&format!("/deploy/{lan_shift}/cancel"), &[])
        .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    assert_eq!(stat(&db, "00004", Metric::Deployed).await, 1);
    assert_rollups_match(&db).await;
}
on_both_databases!(volunteers_are_deployed_and_residents_go_from_assisted_to_independent);

async fn officials_exams_move_the_city_dashboard(db: Db) {
    let client = Client::new(db.clone());
    let mut org = organizer(&client).await;
    let (mut lan, _) = person(
        &client,
        "Nguyễn Thị Lan",
        "lan@t.vn",
        Role::Learner,
        Some(Cohort::Official),
        Some("00004"),
    )
    .await;
    let before = org.get("/campaign").await;
    assert!(
        before.body.contains("<td class=\"officials\">0/1</td>"),
        "{}",
        before.body
    );
    officials_run(&mut lan, "chi-can-bo", "exam").await;
    officials_run(&mut lan, "chi-can-bo-hai", "exam").await;
    let after = org.get("/campaign").await;
    assert!(
        after.body.contains("<td class=\"officials\">1/1</td>"),
        "{}",
        after.body
    );
    assert_eq!(
        stat(
            &db,
            &province_scope("01"),
            Metric::Trained(Cohort::Official)
        )
        .await,
        1
    );
    assert_rollups_match(&db).await;
}
on_both_databases!(officials_exams_move_the_city_dashboard);

async fn an_imported_official_activates_with_the_code_their_unit_gives(db: Db) {
    let client = Client::new(db.clone());
    roster::import(
        &client.state,
        &fixture("good.csv"),
        |_| {},
        &crate::harness::operator(),
        "test",
    )
    .await
    .unwrap();
    let an = db
        .account_by_contact(&app::domain::Contact::Phone("0912000101".into()))
        .await
        .unwrap()
        .unwrap();
    let trang = db
        .account_by_contact(&app::domain::Contact::Phone("0912000103".into()))
        .await
        .unwrap()
        .unwrap();
    let mut manager = person(
        &client,
        "Phạm Văn Đức",
        "m@t.vn",
        Role::UnitManager,
        None,
        Some("00004"),
    )
    .await
    .0;
    let page = manager.get("/units/00004").await;
    assert!(
        page.body.contains("Tài khoản chưa kích hoạt (2)"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Nguyễn Văn An (CB-0001)"));

    // Another ward's person: not theirs to activate.
    let other = manager
        .post_form(
            "/units/00004/activation",
            &[("account", &trang.id.to_string())],
        )
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let other = manager
        .post_form(
            "/units/00070/activation",
            &[("account", &trang.id.to_string())],
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);

    let issued = manager
        .post_form(
            "/units/00004/activation",
            &[("account", &an.id.to_string())],
        )
        .await;
    assert_eq!(issued.status, StatusCode::OK);
    assert_eq!(issued.headers[header::CACHE_CONTROL], "no-store");
    let start = issued
        .body
        .find("<strong class=\"code-box\">")
        .expect("the code is shown")
        + "<strong class=\"code-box\">".len();
    let code = issued.body[start..start + 11].to_owned();
    assert_eq!(code.len(), 11, "XXXXX-XXXXX");
    assert!(issued.body.contains("Mã kích hoạt của Nguyễn Văn An"));

    let mut an_browser = client.another();
    let page = an_browser.get("/activate").await;
    assert_eq!(page.status, StatusCode::OK);
    let wrong = an_browser
        .post_form(
            "/activate",
            &[
                ("contact", "0912 000 101"),
                ("code", "AAAAA-AAAAA"),
                ("password", "mật khẩu thử nghiệm dài"),
                ("password_confirm", "mật khẩu thử nghiệm dài"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.body.contains("mã kích hoạt không đúng"),
        "{}",
        wrong.body
    );
    let weak = an_browser
        .post_form(
            "/activate",
            &[
                ("contact", "0912000101"),
                ("code", &code),
                ("password", "12345678"),
                ("password_confirm", "12345678"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(db
        .account_by_id(an.id)
        .await
        .unwrap()
        .unwrap()
        .password_hash
        .is_empty());
    // Lower case, no dash: the same code.
    let typed = code.replace('-', "").to_lowercase();
    let done = an_browser
        .post_form(
            "/activate",
            &[
                ("contact", "0912000101"),
                ("code", &typed),
                ("password", "mật khẩu thử nghiệm dài"),
                ("password_confirm", "mật khẩu thử nghiệm dài"),
            ],
        )
        .await;
    assert_eq!(done.location(), Some("/learn"), "{}", done.body);
    assert_eq!(an_browser.get("/learn").await.status, StatusCode::OK);
    // The code is spent; the person logs in with their password from now on.
    let again = client
        .another()
        .post_form(
            "/activate",
            &[
                ("contact", "0912000101"),
                ("code", &code),
                ("password", "một mật khẩu khác hẳn"),
                ("password_confirm", "một mật khẩu khác hẳn"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let login = client
        .another()
        .post_form(
            "/login",
            &[
                ("contact", "0912000101"),
                ("password", "mật khẩu thử nghiệm dài"),
            ],
        )
        .await;
    assert_eq!(login.location(), Some("/learn"));
    assert!(manager
        .get("/units/00004")
        .await
        .body
        .contains("Tài khoản chưa kích hoạt (1)"));
}
on_both_databases!(an_imported_official_activates_with_the_code_their_unit_gives);

/// The demo's data with the real curriculum: the ready volunteer is ready (through real quiz
/// attempts and a real exam run), a campaign is in progress over a small synthetic city, and
/// its bulk-loaded rollups equal the naive aggregate.
async fn the_demo_is_a_campaign_in_progress(db: Db, url: String) {
    let (catalog, _) = app::services::load_content(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../content"
    )))
    .expect("the shipped curriculum loads");
    let mut state = crate::harness::app_state(db.clone());
    state.content = std::sync::Arc::new(catalog);
    hocso::demo::seed(&state, &url).await.unwrap();
    let volunteer = db
        .account_by_contact(&app::domain::Contact::Email(
            "tnv.sansang@hocso.test".into(),
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        db.standing(volunteer.id).await.unwrap().unwrap().meets,
        1,
        "ready for deployment"
    );
    let campaign = db.current_campaign("01", now()).await.unwrap().unwrap();
    assert_eq!(campaign.days, 45);
    assert_eq!(db.count_seeded().await.unwrap(), 2_500);
    assert!(
        stat(&db, "00004", Metric::Members(Cohort::Resident)).await == 0,
        "the demo wards stay small"
    );
    assert!(stat(&db, &province_scope("01"), Metric::Assists).await > 0);
    assert_rollups_match(&db).await;
    // A second start changes nothing.
    let accounts = db.count_accounts().await.unwrap();
    hocso::demo::seed(&state, &url).await.unwrap();
    assert_eq!(db.count_accounts().await.unwrap(), accounts);
}

on_both_databases!(the_demo_is_a_campaign_in_progress, with_url);

async fn other_provinces_units_are_imported_all_or_nothing(db: Db) {
    let client = Client::new(db.clone());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("units.csv");
    std::fs::write(
        &file,
        "\u{feff}province_code,province_name,nso_code,name,division_type\n\
         79,Thành phố Hồ Chí Minh,26734,Phường Sài Gòn,phường\n\
         79,Thành phố Hồ Chí Minh,26737,Phường Tân Định,phường\n\
         79,Thành phố Hồ Chí Minh,27004,Đặc khu Côn Đảo,đặc khu\n\
         01,Thành phố Hà Nội,00004,Phường Ba Đình,phường\n",
    )
    .unwrap();
    hocso::import::units_file(&client.state, &file, None)
        .await
        .unwrap();
    assert_eq!(db.units("79").await.unwrap().len(), 3);
    assert_eq!(
        db.units("01").await.unwrap().len(),
        126,
        "Hà Nội's units are untouched"
    );
    assert_eq!(
        db.province("79").await.unwrap().as_deref(),
        Some("Thành phố Hồ Chí Minh")
    );
    // Again: nothing changes. A unit moving to another province is refused, with nothing
    // written (the new unit on the row before is not added either).
    hocso::import::units_file(&client.state, &file, None)
        .await
        .unwrap();
    std::fs::write(
        &file,
        "province_code,province_name,nso_code,name,division_type\n\
         79,Thành phố Hồ Chí Minh,26740,Phường Bến Thành,phường\n\
         79,Thành phố Hồ Chí Minh,00004,Phường Ba Đình,phường\n",
    )
    .unwrap();
    let refused = hocso::import::units_file(&client.state, &file, None).await;
    assert!(refused.is_err());
    assert_eq!(db.units("79").await.unwrap().len(), 3);
    assert_eq!(
        db.unit_province("00004").await.unwrap().as_deref(),
        Some("01")
    );
    // Rosters can now name the new units.
    let codes = db.unit_codes().await.unwrap();
    assert!(codes.contains("27004"));
}
on_both_databases!(other_provinces_units_are_imported_all_or_nothing);

/// A synthetic city written in bulk into an empty database (SQLite `json_each`, PostgreSQL
/// `COPY` with explicit ids) has rollups equal to the naive aggregate, and the app keeps
/// counting on top of it (ids handed out afterwards do not collide).
async fn a_seeded_city_counts_like_the_records_say(db: Db, url: String) {
    let (catalog, _) = app::services::load_content(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../content"
    )))
    .expect("the shipped curriculum loads");
    let mut state = crate::harness::app_state(db.clone());
    state.content = std::sync::Arc::new(catalog);
    let options = hocso::seed::Options {
        learners: 400,
        evidence_per_learner: 20,
        random_seed: 7,
        database_url: url,
    };
    hocso::seed::city(&state, &options, false).await.unwrap();
    assert_eq!(db.count_seeded().await.unwrap(), 400);
    assert_rollups_match(&db).await;
    let client = Client::new(db.clone());
    person(
        &client,
        "Lê Thu Hà",
        "org-after@t.vn",
        Role::Organizer,
        None,
        None,
    )
    .await;
    person(
        &client,
        "Vũ Thị Hòa",
        "hoa-after@t.vn",
        Role::Learner,
        Some(Cohort::Resident),
        Some("00008"),
    )
    .await;
    assert_rollups_match(&db).await;
}

on_both_databases!(a_seeded_city_counts_like_the_records_say, with_url);

/// A web upload is checked once: its preview is what the import writes. When the records
/// change between the two (here a resident registers with a phone the roster names), the
/// import writes nothing, says so, and the preview shows the file checked again.
async fn a_preview_is_what_the_import_writes(db: Db) {
    let client = Client::new(db.clone());
    let mut org = organizer(&client).await;
    let up = org
        .post_file("/roster", "file", "good.csv", &fixture("good.csv"))
        .await;
    let url = up.location().unwrap().to_owned();
    let preview = org.get(&url).await;
    assert!(preview
        .body
        .contains("3 dòng. Thêm mới 3, cập nhật 0, không đổi 0."));

    let mut resident = client.another();
    let registered = resident
        .post_form(
            "/register",
            &[
                ("full_name", "Nguyễn Văn An"),
                ("contact", "0912000101"),
                ("unit_code", "00004"),
                ("password", "mật khẩu thử nghiệm dài"),
                ("password_confirm", "mật khẩu thử nghiệm dài"),
            ],
        )
        .await;
    assert_eq!(registered.status, StatusCode::SEE_OTHER);

    let refused = org.post_form(&format!("{url}/confirm"), &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Dữ liệu đã thay đổi trong lúc nhập"),
        "{}",
        refused.body
    );
    assert_eq!(
        stat(&db, "00004", Metric::Members(Cohort::Official)).await,
        0,
        "nothing of the roster was written"
    );
    assert!(db
        .account_by_contact(&app::domain::Contact::Email("binh.tt@example.com".into()))
        .await
        .unwrap()
        .is_none());
    // The preview now shows the file as the records stand: the phone is taken.
    let again = org.get(&url).await;
    assert!(
        again.body.contains(
            "Dòng 2, cột liên hệ: số điện thoại hoặc email này đã thuộc về một tài khoản khác."
        ),
        "{}",
        again.body
    );
    assert!(!again.body.contains("roster-confirm"));
    assert_eq!(
        org.post_form(&format!("{url}/confirm"), &[]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // A file that is not UTF-8 is named as such, with nothing to import.
    let legacy = org
        .post_file(
            "/roster",
            "file",
            "cp1258.csv",
            b"m\xe3 s\xf4,h\xf4 t\xean\n1,An\n",
        )
        .await;
    let legacy = org.get(legacy.location().unwrap()).await;
    assert!(
        legacy.body.contains("Tệp không ở dạng UTF-8"),
        "{}",
        legacy.body
    );
    assert!(!legacy.body.contains("roster-confirm"));
    assert_rollups_match(&db).await;
}
on_both_databases!(a_preview_is_what_the_import_writes);
