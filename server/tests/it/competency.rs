//! The competency engine through the real router: evidence from quizzes and exam runs becomes
//! verified levels, a passport, unit counts and the ready list; who may see which unit; due
//! dates; self-assessment kept apart; expiry and retired versions.

use std::sync::Arc;

use axum::http::StatusCode;

use app::domain::{Cohort, Role};
use app::services::accounts::{create_account, AccountSpec};
use app::services::competency;
use app::store::{Db, NewAttempt, NewEvidence};

use crate::harness::Client;
use crate::on_both_databases;

pub(crate) const PASSWORD: &str = "mật khẩu thử nghiệm dài";

pub(crate) async fn person(
    client: &Client,
    name: &str,
    contact: &str,
    role: Role,
    cohort: Option<Cohort>,
    unit: Option<&str>,
) -> (Client, i64) {
    let spec = AccountSpec {
        full_name: name.into(),
        contact: contact.into(),
        password: PASSWORD.into(),
        role,
        cohort,
        unit_code: unit.map(str::to_owned),
        position_code: None,
    };
    let id = create_account(&client.state, &spec, &crate::harness::operator())
        .await
        .unwrap();
    let mut browser = client.another();
    let reply = browser
        .post_form("/login", &[("contact", contact), ("password", PASSWORD)])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    (browser, id)
}

pub(crate) async fn step(browser: &mut Client, run: &str, step: &str, fields: &[(&str, &str)]) {
    let mut form = vec![("step", step), ("action", "next")];
    form.extend_from_slice(fields);
    let reply = browser.post_form(run, &form).await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "step {step}: {}",
        reply.body
    );
}

/// Runs an officials' fixture procedure (`chi-can-bo` or `chi-can-bo-hai`) right, in `mode`.
pub(crate) async fn officials_run(browser: &mut Client, procedure: &str, mode: &str) {
    officials_case(browser, procedure, "mot", mode).await;
}

/// The same, on one of `chi-can-bo`'s cases (`mot`, `hai`, `ba`: the same person).
pub(crate) async fn officials_case(
    browser: &mut Client,
    procedure: &str,
    scenario: &str,
    mode: &str,
) {
    let reply = browser
        .post_form(
            &format!("/practice/{procedure}/start"),
            &[("scenario", scenario), ("mode", mode)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let run = reply.location().unwrap().to_owned();
    step(browser, &run, "dang-nhap", &[("login", "001091004512")]).await;
    step(
        browser,
        &run,
        "tim-thu-tuc",
        &[("procedure", procedure), ("authority", "cong-an-xa")],
    )
    .await;
    step(
        browser,
        &run,
        "nguoi",
        &[
            ("person-id", "001091004512"),
            ("person-sex", "nam"),
            ("person-birth-date", "14/02/1991"),
        ],
    )
    .await;
    step(browser, &run, "giay-to", &[]).await;
    step(browser, &run, "nhan-ket-qua", &[("delivery", "truc-tuyen")]).await;
    step(browser, &run, "le-phi", &[("fee", "7000")]).await;
    let submitted = browser
        .post_form(&run, &[("step", "xac-nhan"), ("action", "submit")])
        .await;
    assert_eq!(submitted.location(), Some(format!("{run}/review").as_str()));
    let review = browser.get(&format!("{run}/review")).await;
    assert!(review.body.contains("(100%)"), "{}", review.body);
}

/// The volunteers' fixture procedure's on-time case, right, in exam mode.
pub(crate) async fn birth_exam(browser: &mut Client) {
    birth_run(browser, "exam").await;
}

/// The volunteers' and residents' fixture procedure's on-time case, right, without hints.
pub(crate) async fn birth_run(browser: &mut Client, mode: &str) {
    let reply = browser
        .post_form(
            "/practice/khai-sinh-thu/start",
            &[("scenario", "dung-han"), ("mode", mode)],
        )
        .await;
    let run = reply.location().unwrap().to_owned();
    step(browser, &run, "dang-nhap", &[("login", "001091004512")]).await;
    step(
        browser,
        &run,
        "tim-thu-tuc",
        &[("procedure", "khai-sinh-thu"), ("authority", "ubnd-xa")],
    )
    .await;
    step(
        browser,
        &run,
        "nguoi-khai",
        &[
            ("declarant-name", "Trần Văn Hùng"),
            ("declarant-id", "001091004512"),
            ("declarant-sex", "nam"),
            ("declarant-birth-date", "14/02/1991"),
            (
                "declarant-residence",
                "Số 8 phố Thái Hà, Phường Đống Đa, Hà Nội",
            ),
            ("relationship", "cha-me"),
        ],
    )
    .await;
    step(
        browser,
        &run,
        "tre",
        &[
            ("child-name", "Trần Minh Khang"),
            ("child-birth-date", "15/10/2025"),
            (
                "child-birth-date-words",
                "ngày mười lăm tháng mười năm hai ngàn không trăm hai mươi lăm",
            ),
            ("child-ethnicity", "Kinh"),
            ("child-hometown", "Hà Nội"),
            ("note", ""),
        ],
    )
    .await;
    step(
        browser,
        &run,
        "giay-to",
        &[("documents", "giay-chung-sinh")],
    )
    .await;
    step(browser, &run, "nhan-ket-qua", &[("delivery", "truc-tuyen")]).await;
    step(browser, &run, "le-phi", &[("fee", "0")]).await;
    let submitted = browser
        .post_form(&run, &[("step", "xac-nhan"), ("action", "submit")])
        .await;
    assert_eq!(submitted.location(), Some(format!("{run}/review").as_str()));
}

/// The maintained count of a unit's officials meeting their standard, and the same counted
/// from the standings (the naive aggregate).
async fn counts(db: &Db, unit: &str, cohort: &str) -> (i64, i64) {
    let maintained = db.unit_meeting(unit, cohort).await.unwrap();
    let naive = db
        .unit_staff(unit, cohort)
        .await
        .unwrap()
        .iter()
        .filter(|s| s.meets == Some(1))
        .count() as i64;
    (maintained, naive)
}

async fn an_officials_gap_closes_after_exam_runs_and_the_unit_moves(db: Db) {
    let client = Client::new(db.clone());
    let (mut lan, lan_id) = person(
        &client,
        "Nguyễn Thị Lan",
        "lan@t.vn",
        Role::Learner,
        Some(Cohort::Official),
        Some("00004"),
    )
    .await;
    let (mut manager, _) = person(
        &client,
        "Phạm Văn Đức",
        "manager@t.vn",
        Role::UnitManager,
        None,
        Some("00004"),
    )
    .await;

    let passport = lan.get("/passport").await;
    assert_eq!(passport.status, StatusCode::OK);
    assert!(
        passport.body.contains("Cán bộ một cửa"),
        "{}",
        passport.body
    );
    assert!(passport.body.contains("data-status=\"gap\""));
    assert!(passport.body.contains("Còn thiếu 2 bậc"));
    assert!(
        passport.body.contains("href=\"/practice/chi-can-bo\""),
        "the passport points at the practice that closes the gap"
    );
    let unit = manager.get("/unit").await;
    assert!(
        unit.body.contains("0/1 cán bộ, công chức đạt chuẩn"),
        "{}",
        unit.body
    );

    // A guided run helps but proves nothing.
    officials_run(&mut lan, "chi-can-bo", "guided").await;
    assert!(db.evidence_of(lan_id).await.unwrap().is_empty());
    // Nor does an exam on the case just practised with hints: it would be a copy. The page
    // says so beside that case, and only that one.
    let page = lan.get("/practice/chi-can-bo").await;
    assert_eq!(page.body.matches("seen-case").count(), 1, "{}", page.body);
    officials_run(&mut lan, "chi-can-bo", "exam").await;
    assert!(db.evidence_of(lan_id).await.unwrap().is_empty());

    // One exam on a case not seen is one assessment: the rule wants two different ones.
    officials_case(&mut lan, "chi-can-bo", "hai", "exam").await;
    assert_eq!(db.evidence_of(lan_id).await.unwrap().len(), 1);
    let passport = lan.get("/passport").await;
    assert!(
        passport.body.contains("Còn thiếu 2 bậc"),
        "{}",
        passport.body
    );
    assert!(
        passport.body.contains("hợp lệ"),
        "the piece is listed as valid"
    );
    // The same procedure again, on its last unseen case, still counts once.
    officials_case(&mut lan, "chi-can-bo", "ba", "exam").await;
    assert!(lan.get("/passport").await.body.contains("Còn thiếu 2 bậc"));
    assert_eq!(counts(&db, "00004", "official").await, (0, 0));

    officials_run(&mut lan, "chi-can-bo-hai", "exam").await;
    let passport = lan.get("/passport").await;
    assert!(
        passport.body.contains("data-meets=\"true\""),
        "{}",
        passport.body
    );
    assert!(passport.body.contains("data-status=\"met\""));
    assert!(
        passport.body.contains("Bậc 3"),
        "verified at the tags' level 3"
    );
    assert!(passport.body.contains("được tính"));
    let standing = db.standing(lan_id).await.unwrap().unwrap();
    assert_eq!((standing.meets, standing.met, standing.required), (1, 1, 1));
    assert_eq!(
        standing.leader_ready, 1,
        "C2.3 at 3 meets the leadership post"
    );
    assert_eq!(counts(&db, "00004", "official").await, (1, 1));

    let unit = manager.get("/unit").await;
    assert!(
        unit.body
            .contains("1/1 cán bộ, công chức đạt chuẩn vị trí việc làm (100%)"),
        "{}",
        unit.body
    );
    assert!(unit.body.contains("đạt: bậc 3, yêu cầu bậc 2"));
    assert!(
        unit.body.contains("<li>Nguyễn Thị Lan</li>"),
        "listed as ready for a leadership appointment: {}",
        unit.body
    );
}
on_both_databases!(an_officials_gap_closes_after_exam_runs_and_the_unit_moves);

async fn volunteers_are_ready_once_they_meet_the_volunteer_standard(db: Db) {
    let client = Client::new(db.clone());
    let (mut nam, _) = person(
        &client,
        "Đỗ Hoàng Nam",
        "nam@t.vn",
        Role::Learner,
        Some(Cohort::Volunteer),
        Some("00070"),
    )
    .await;
    let (mut organizer, _) = person(
        &client,
        "Lê Thu Hà",
        "org@t.vn",
        Role::Organizer,
        None,
        None,
    )
    .await;

    let ready = organizer.get("/volunteers").await;
    assert_eq!(ready.status, StatusCode::OK);
    assert!(ready
        .body
        .contains("Chưa có tình nguyện viên nào đạt chuẩn"));

    let quiz = nam
        .post_form("/quiz/thu-nghiem", &crate::learning::ALL_RIGHT)
        .await;
    assert_eq!(quiz.status, StatusCode::SEE_OTHER, "{}", quiz.body);
    assert!(!organizer
        .get("/volunteers")
        .await
        .body
        .contains("Đỗ Hoàng Nam"));

    birth_exam(&mut nam).await;
    assert!(nam
        .get("/passport")
        .await
        .body
        .contains("Bạn đã sẵn sàng đi hỗ trợ người dân."));
    let ready = organizer.get("/volunteers").await;
    assert!(ready.body.contains("Đỗ Hoàng Nam"), "{}", ready.body);
    assert!(ready.body.contains("Phường Hoàn Kiếm"));
    let listed = organizer.server_fn("competency/ready", &[]).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert!(listed.body.contains("Đỗ Hoàng Nam"));
    assert_eq!(counts(&db, "00070", "volunteer").await, (1, 1));
    // Officials' counts are apart.
    assert_eq!(counts(&db, "00070", "official").await, (0, 0));
}
on_both_databases!(volunteers_are_ready_once_they_meet_the_volunteer_standard);

async fn unit_views_are_scoped_to_the_managers_own_unit(db: Db) {
    let client = Client::new(db.clone());
    let (mut manager, _) = person(
        &client,
        "Phạm Văn Đức",
        "manager@t.vn",
        Role::UnitManager,
        None,
        Some("00004"),
    )
    .await;
    let (mut organizer, _) = person(
        &client,
        "Lê Thu Hà",
        "org@t.vn",
        Role::Organizer,
        None,
        None,
    )
    .await;
    let (mut learner, _) = person(
        &client,
        "Nguyễn Thị Lan",
        "lan@t.vn",
        Role::Learner,
        Some(Cohort::Official),
        Some("00070"),
    )
    .await;

    // Ward A's manager asking for ward B's data by its code is refused, by page, server
    // function and form, and nothing is stored.
    assert_eq!(
        manager.get("/units/00070").await.status,
        StatusCode::FORBIDDEN
    );
    let by_fn = manager
        .server_fn("competency/unit", &[("code", "00070")])
        .await;
    assert_eq!(by_fn.status, StatusCode::FORBIDDEN);
    assert!(!by_fn.body.contains("Nguyễn Thị Lan"));
    let post = manager
        .post_form(
            "/units/00070/assignments",
            &[("module", "thu-nghiem"), ("due", "01/12/2025")],
        )
        .await;
    assert_eq!(post.status, StatusCode::FORBIDDEN);
    assert!(db.assignments("00070").await.unwrap().is_empty());
    assert_eq!(manager.get("/units").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        manager.get("/volunteers").await.status,
        StatusCode::FORBIDDEN
    );

    // Their own unit is theirs.
    assert_eq!(manager.get("/units/00004").await.status, StatusCode::OK);
    let own = manager
        .server_fn("competency/unit", &[("code", "00004")])
        .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);

    // Organizers see every unit; an unknown one is not found.
    let b = organizer.get("/units/00070").await;
    assert_eq!(b.status, StatusCode::OK);
    assert!(b.body.contains("Nguyễn Thị Lan"), "{}", b.body);
    assert_eq!(
        organizer.get("/units/99999").await.status,
        StatusCode::NOT_FOUND
    );
    let all = organizer.get("/units").await;
    assert!(all.body.contains("href=\"/units/00070\""));

    // Learners see their own passport only; staff have none.
    assert_eq!(
        learner.get("/units/00070").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        learner
            .server_fn("competency/unit", &[("code", "00070")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(manager.get("/passport").await.status, StatusCode::FORBIDDEN);
    let mut anonymous = client.another();
    for path in ["/passport", "/units", "/units/00004", "/volunteers"] {
        let reply = anonymous.get(path).await;
        assert_eq!(reply.location(), Some("/login"), "{path}");
    }
    assert_eq!(
        anonymous.server_fn("competency/passport", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
}
on_both_databases!(unit_views_are_scoped_to_the_managers_own_unit);

async fn due_dates_are_checked_and_the_overdue_are_listed(db: Db) {
    let client = Client::new(db.clone());
    let (mut organizer, _) = person(
        &client,
        "Lê Thu Hà",
        "org@t.vn",
        Role::Organizer,
        None,
        None,
    )
    .await;
    let (mut lan, _) = person(
        &client,
        "Nguyễn Thị Lan",
        "lan@t.vn",
        Role::Learner,
        Some(Cohort::Official),
        Some("00070"),
    )
    .await;
    person(
        &client,
        "Vũ Thị Hòa",
        "hoa@t.vn",
        Role::Learner,
        Some(Cohort::Official),
        Some("00070"),
    )
    .await;

    let bad = organizer
        .post_form(
            "/units/00070/assignments",
            &[("module", "khong-co"), ("due", "31/02/2025")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body
            .contains("Chọn một học phần bắt buộc trong danh sách."),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("Ghi ngày theo dạng ngày/tháng/năm"));
    assert!(
        bad.body.contains("value=\"31/02/2025\""),
        "what was typed is kept"
    );
    assert!(db.assignments("00070").await.unwrap().is_empty());
    let page = organizer.get("/units/00070").await;
    assert!(page.body.contains("Chưa đặt hạn cho học phần nào."));

    // A date already past: whoever has not passed the module's quiz is overdue.
    let set = organizer
        .post_form(
            "/units/00070/assignments",
            &[("module", "can-bo-hoc"), ("due", "01/09/2025")],
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    let passed = lan
        .post_form("/quiz/can-bo-hoc", &[("q-q1", "true"), ("started_at", "0")])
        .await;
    assert_eq!(passed.status, StatusCode::SEE_OTHER, "{}", passed.body);
    let page = organizer.get("/units/00070").await;
    assert!(
        page.body
            .contains("Mô-đun cho cán bộ: hạn 01/09/2025, 1/2 người đã đạt bài kiểm tra"),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("Vũ Thị Hòa: Mô-đun cho cán bộ (hạn 01/09/2025)"));
    assert!(!page.body.contains("Nguyễn Thị Lan: Mô-đun cho cán bộ"));
    // Moving the date is an update, not a second assignment.
    organizer
        .post_form(
            "/units/00070/assignments",
            &[("module", "can-bo-hoc"), ("due", "2099-12-31")],
        )
        .await;
    let stored = db.assignments("00070").await.unwrap();
    assert_eq!(stored.len(), 1);
    let page = organizer.get("/units/00070").await;
    assert!(page.body.contains("hạn 31/12/2099"));
    assert!(page.body.contains("Không ai quá hạn."));
}
on_both_databases!(due_dates_are_checked_and_the_overdue_are_listed);

async fn self_assessment_is_kept_apart_and_never_raises_a_level(db: Db) {
    let client = Client::new(db.clone());
    let (mut lan, lan_id) = person(
        &client,
        "Nguyễn Thị Lan",
        "lan@t.vn",
        Role::Learner,
        Some(Cohort::Official),
        Some("00004"),
    )
    .await;
    let survey = lan.get("/passport/survey").await;
    assert_eq!(survey.status, StatusCode::OK);
    assert!(survey.body.contains("name=\"level-C2.3\""));

    let saved = lan
        .post_form("/passport/survey", &[("level-C2.3", "8")])
        .await;
    assert_eq!(saved.location(), Some("/passport?saved=1"));
    let passport = lan.get("/passport?saved=1").await;
    assert!(passport.body.contains("Đã lưu phần tự đánh giá."));
    assert!(passport.body.contains("Bậc 8"), "the self-assessment shows");
    assert!(
        passport.body.contains("Còn thiếu 2 bậc"),
        "and fills no gap"
    );
    assert!(db.verified_levels(lan_id).await.unwrap().is_empty());

    let bad = lan
        .post_form("/passport/survey", &[("level-C2.3", "9")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Chọn một bậc từ 0 đến 8."));
    assert_eq!(
        db.self_assessments(lan_id).await.unwrap(),
        vec![("C2.3".to_owned(), 8)],
        "a rejected survey changes nothing stored"
    );
}
on_both_databases!(self_assessment_is_kept_apart_and_never_raises_a_level);

async fn expired_and_retired_evidence_stop_counting(db: Db) {
    let client = Client::new(db.clone());
    let (mut lan, lan_id) = person(
        &client,
        "Nguyễn Thị Lan",
        "lan@t.vn",
        Role::Learner,
        Some(Cohort::Official),
        Some("00004"),
    )
    .await;
    officials_run(&mut lan, "chi-can-bo", "exam").await;
    officials_run(&mut lan, "chi-can-bo-hai", "exam").await;
    assert_eq!(db.standing(lan_id).await.unwrap().unwrap().meets, 1);

    // A new version of one procedure retires the evidence earned on the old one: at the next
    // start, the levels are recomputed with the new content.
    let mut catalog = (*client.state.content).clone();
    for p in &mut catalog.sandbox.procedures {
        if p.id == "chi-can-bo" {
            p.version = 2;
        }
    }
    let mut changed = client.state.clone();
    changed.content = Arc::new(catalog);
    let recomputed = competency::sync_with_content(&changed).await.unwrap();
    assert_eq!(recomputed, 1);
    let standing = db.standing(lan_id).await.unwrap().unwrap();
    assert_eq!((standing.meets, standing.met), (0, 0));
    assert_eq!(counts(&db, "00004", "official").await, (0, 0));
    let mut on_new = lan.on_state(changed.clone());
    let passport = on_new.get("/passport").await;
    assert!(passport.body.contains("phiên bản cũ"), "{}", passport.body);
    // Nothing changed since: a second start recomputes nobody.
    assert_eq!(competency::sync_with_content(&changed).await.unwrap(), 0);

    // Back on the original content, the evidence counts again.
    competency::sync_with_content(&client.state).await.unwrap();
    assert_eq!(db.standing(lan_id).await.unwrap().unwrap().meets, 1);
    assert_eq!(counts(&db, "00004", "official").await, (1, 1));

    // Evidence from 300 days ago: the level holds now, and lapses 65 days later, when the
    // sweep (run every ten minutes by the server) finds it and moves the unit's count.
    let (_, hoa_id) = person(
        &client,
        "Vũ Thị Hòa",
        "hoa@t.vn",
        Role::Learner,
        Some(Cohort::Official),
        Some("00004"),
    )
    .await;
    let now = app::services::now();
    let earned = now - 300 * 86_400;
    for source in ["chi-can-bo", "chi-can-bo-hai"] {
        db.record_attempt(&NewAttempt {
            account_id: hoa_id,
            module_id: "thu-nghiem".into(),
            module_version: 1,
            quiz_id: "thu-nghiem-quiz".into(),
            quiz_version: 1,
            answers: "[]".into(),
            points: 4,
            total: 4,
            percent: 100,
            passed: true,
            started_at: earned,
            submitted_at: earned,
            evidence: vec![NewEvidence {
                competence: "C2.3".into(),
                level: 3,
                source_kind: "practice",
                source_id: source.into(),
                source_version: 1,
                percent: 100,
                earned_at: earned,
            }],
        })
        .await
        .unwrap();
    }
    assert!(competency::recompute(&client.state, hoa_id).await.unwrap());
    let standing = db.standing(hoa_id).await.unwrap().unwrap();
    assert_eq!(standing.meets, 1);
    assert_eq!(standing.review_at, Some(earned + 365 * 86_400));
    assert_eq!(counts(&db, "00004", "official").await, (2, 2));
    let day_before = earned + 364 * 86_400;
    assert_eq!(
        competency::sweep_at(&client.state, day_before)
            .await
            .unwrap(),
        0
    );
    let lapsed = earned + 365 * 86_400;
    assert_eq!(
        competency::sweep_at(&client.state, lapsed).await.unwrap(),
        1
    );
    assert_eq!(db.standing(hoa_id).await.unwrap().unwrap().meets, 0);
    assert_eq!(counts(&db, "00004", "official").await, (1, 1));
    assert!(db.verified_levels(hoa_id).await.unwrap().is_empty());
}
on_both_databases!(expired_and_retired_evidence_stop_counting);

async fn results_from_before_become_evidence_at_the_first_start(db: Db) {
    let client = Client::new(db.clone());
    let (_, nam_id) = person(
        &client,
        "Đỗ Hoàng Nam",
        "nam@t.vn",
        Role::Learner,
        Some(Cohort::Volunteer),
        Some("00070"),
    )
    .await;
    // An attempt stored the way it was before evidence was kept.
    let at = app::services::now() - 86_400;
    db.record_attempt(&NewAttempt {
        account_id: nam_id,
        module_id: "thu-nghiem".into(),
        module_version: 1,
        quiz_id: "thu-nghiem-quiz".into(),
        quiz_version: 1,
        answers: "[]".into(),
        points: 4,
        total: 4,
        percent: 100,
        passed: true,
        started_at: at,
        submitted_at: at,
        evidence: Vec::new(),
    })
    .await
    .unwrap();
    assert!(db.evidence_of(nam_id).await.unwrap().is_empty());

    assert_eq!(
        competency::sync_with_content(&client.state).await.unwrap(),
        1
    );
    let evidence = db.evidence_of(nam_id).await.unwrap();
    assert_eq!(evidence.len(), 1, "tagged as the quiz tags it now");
    assert_eq!(
        (
            evidence[0].competence.as_str(),
            evidence[0].level,
            evidence[0].percent
        ),
        ("C2.3", 2, 100)
    );
    assert_eq!(evidence[0].earned_at, at, "earned when it was taken");
    // Later starts add nothing twice.
    competency::sync_with_content(&client.state).await.unwrap();
    assert_eq!(db.evidence_of(nam_id).await.unwrap().len(), 1);
    assert!(db.standing(nam_id).await.unwrap().is_some());
}
on_both_databases!(results_from_before_become_evidence_at_the_first_start);
