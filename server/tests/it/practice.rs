//! The practice sandbox through the real router, by plain form posts (as without JavaScript):
//! guided and exam runs step by step, the authoritative score and its review, resuming,
//! abandoning and resetting, and who may see which runs.

use axum::http::StatusCode;

use app::domain::{Cohort, Role};
use app::services::accounts::{create_account, AccountSpec};
use app::store::Db;

use crate::harness::Client;
use crate::on_both_databases;

const PASSWORD: &str = "mật khẩu thử nghiệm dài";

async fn person(client: &Client, contact: &str, role: Role, cohort: Option<Cohort>) -> Client {
    let spec = AccountSpec {
        full_name: "Lê Văn Nam".into(),
        contact: contact.into(),
        password: PASSWORD.into(),
        role,
        cohort,
        unit_code: Some("00070".into()),
        position_code: None,
    };
    create_account(&client.state, &spec, &crate::harness::operator())
        .await
        .unwrap();
    let mut browser = client.another();
    let reply = browser
        .post_form("/login", &[("contact", contact), ("password", PASSWORD)])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    browser
}

async fn volunteer(client: &Client, contact: &str) -> Client {
    person(client, contact, Role::Learner, Some(Cohort::Volunteer)).await
}

/// Starts a run and returns its address (`/practice/run/N`).
async fn start(browser: &mut Client, scenario: &str, mode: &str) -> String {
    let reply = browser
        .post_form(
            "/practice/khai-sinh-thu/start",
            &[("scenario", scenario), ("mode", mode)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    reply.location().unwrap().to_owned()
}

fn run_id(url: &str) -> i64 {
    url.trim_start_matches("/practice/run/").parse().unwrap()
}

async fn step(browser: &mut Client, run: &str, step: &str, fields: &[(&str, &str)]) -> String {
    let mut form = vec![("step", step), ("action", "next")];
    form.extend_from_slice(fields);
    let reply = browser.post_form(run, &form).await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "step {step}: {}",
        reply.body
    );
    reply.location().unwrap().to_owned()
}

const DECLARANT: [(&str, &str); 6] = [
    ("declarant-name", "Trần Văn Hùng"),
    ("declarant-id", "001091004512"),
    ("declarant-sex", "nam"),
    ("declarant-birth-date", "14/02/1991"),
    (
        "declarant-residence",
        "Số 8 phố Thái Hà, Phường Đống Đa, Hà Nội",
    ),
    ("relationship", "cha-me"),
];

fn child(ethnicity: &'static str) -> [(&'static str, &'static str); 6] {
    [
        ("child-name", "Trần Minh Khang"),
        ("child-birth-date", "15/10/2025"),
        (
            "child-birth-date-words",
            "ngày mười lăm tháng mười năm hai ngàn không trăm hai mươi lăm",
        ),
        ("child-ethnicity", ethnicity),
        ("child-hometown", "Hà Nội"),
        ("note", ""),
    ]
}

async fn a_guided_run_checks_each_screen_and_counts_hints(db: Db) {
    let client = Client::new(db);
    let mut lan = volunteer(&client, "lan@t.vn").await;

    let list = lan.get("/practice").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Khai sinh thử"), "{}", list.body);
    assert!(
        !list.body.contains("Thủ tục chỉ cho cán bộ"),
        "officials' procedures are not listed for volunteers"
    );
    let page = lan.get("/practice/khai-sinh-thu").await;
    assert!(page.body.contains("Khai sinh đúng hạn"));
    assert!(page.body.contains("Làm có hướng dẫn"));

    let run = start(&mut lan, "dung-han", "guided").await;
    let first = lan.get(&run).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("Trần Văn Hùng"), "the brief is shown");
    assert!(first.body.contains("Bước 1/"), "{}", first.body);

    // Logging in with someone else's ID is refused, and what was typed stays.
    let wrong = lan
        .post_form(
            &run,
            &[
                ("step", "dang-nhap"),
                ("action", "next"),
                ("login", "001091004521"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong
        .body
        .contains("Đây không phải tài khoản của người nộp hồ sơ"));
    assert!(wrong.body.contains("value=\"001091004521\""));
    let next = step(&mut lan, &run, "dang-nhap", &[("login", "001 091 004 512")]).await;
    assert!(next.ends_with("?step=tim-thu-tuc"), "{next}");

    // The wrong procedure is refused; the agency is any of the offered ones.
    let wrong = lan
        .post_form(
            &run,
            &[
                ("step", "tim-thu-tuc"),
                ("action", "next"),
                ("procedure", "chi-can-bo"),
                ("authority", "ubnd-huyen"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Thủ tục này không đúng với nhu cầu"));
    step(
        &mut lan,
        &run,
        "tim-thu-tuc",
        &[("procedure", "khai-sinh-thu"), ("authority", "ubnd-xa")],
    )
    .await;
    step(&mut lan, &run, "nguoi-khai", &DECLARANT).await;

    // Guided mode: "Việt Nam" as the ethnicity is caught on this screen, and the values stay.
    let mut fields = vec![("step", "tre"), ("action", "next")];
    fields.extend_from_slice(&child("Việt Nam"));
    let caught = lan.post_form(&run, &fields).await;
    assert_eq!(caught.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        caught
            .body
            .contains("Dân tộc: “Việt Nam” là quốc tịch, không phải dân tộc"),
        "the summary names the field: {}",
        caught.body
    );
    assert!(caught.body.contains("value=\"Trần Minh Khang\""));

    // A hint shows what the brief says, once, and costs a point.
    let mut fields = vec![("step", "tre"), ("action", "hint:child-ethnicity")];
    fields.extend_from_slice(&child("Việt Nam"));
    let hinted = lan.post_form(&run, &fields).await;
    assert_eq!(hinted.status, StatusCode::SEE_OTHER);
    let page = lan.get(hinted.location().unwrap()).await;
    assert!(
        page.body.contains("Gợi ý: theo tình huống, nhập “Kinh”"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Đã xem 1 gợi ý"));
    lan.post_form(&run, &fields).await;

    step(&mut lan, &run, "tre", &child("Kinh")).await;
    step(
        &mut lan,
        &run,
        "giay-to",
        &[("documents", "giay-chung-sinh")],
    )
    .await;
    step(
        &mut lan,
        &run,
        "nhan-ket-qua",
        &[("delivery", "truc-tuyen")],
    )
    .await;
    let bad_fee = lan
        .post_form(
            &run,
            &[("step", "le-phi"), ("action", "next"), ("fee", "miễn phí")],
        )
        .await;
    assert_eq!(bad_fee.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_fee.body.contains("Nhập số tiền bằng chữ số"));
    step(&mut lan, &run, "le-phi", &[("fee", "0")]).await;

    let confirm = lan.get(&format!("{run}?step=xac-nhan")).await;
    assert!(confirm.body.contains("Kiểm tra lại mọi thông tin"));
    assert!(confirm.body.contains("Giấy chứng sinh"));
    let submitted = lan
        .post_form(&run, &[("step", "xac-nhan"), ("action", "submit")])
        .await;
    assert_eq!(submitted.location(), Some(format!("{run}/review").as_str()));

    let review = lan.get(&format!("{run}/review")).await;
    assert_eq!(review.status, StatusCode::OK);
    // 11 fields × 2 + agency, delivery, fee and one document = 26; one hint costs 1.
    assert!(review.body.contains("25/26 điểm (96%)"), "{}", review.body);
    assert!(review.body.contains("Đạt"));
    assert!(review.body.contains("Không có lỗi nào"));
    assert!(
        review.body.contains("Đúng 11/11 ô: 22/22 điểm"),
        "{}",
        review.body
    );
    assert!(review.body.contains("Gợi ý đã xem</dt><dd>Trừ 1 điểm"));
    assert!(review.body.contains("Đã tránh:"));

    let stored = lan.state.db.run(run_id(&run)).await.unwrap().unwrap();
    assert_eq!(stored.status, "submitted");
    assert_eq!(stored.procedure_version, 1);
    assert_eq!(stored.hints_used, 1);
    assert_eq!((stored.points, stored.max_points), (Some(25), Some(26)));
    assert!(
        stored.inputs.contains("Trần Minh Khang"),
        "each step's inputs are kept"
    );
    assert!(stored.findings.unwrap().contains("HintsUsed"));

    // Submitting again changes nothing.
    let again = lan
        .post_form(&run, &[("step", "xac-nhan"), ("action", "submit")])
        .await;
    assert_eq!(again.location(), Some(format!("{run}/review").as_str()));
    let same = lan.state.db.run(run_id(&run)).await.unwrap().unwrap();
    assert_eq!(same.submitted_at, stored.submitted_at);
}
on_both_databases!(a_guided_run_checks_each_screen_and_counts_hints);

async fn an_exam_run_is_scored_on_the_server_and_explains_the_traps(db: Db) {
    let client = Client::new(db);
    let mut minh = volunteer(&client, "minh@t.vn").await;
    let run = start(&mut minh, "muon-han", "exam").await;
    let page = minh.get(&run).await;
    assert!(page.body.contains("Bài thi"));
    assert!(page.body.contains("Còn khoảng"), "exam runs are timed");

    // Exam mode says nothing about the ID at login (the form scores it): any valid ID goes on.
    step(&mut minh, &run, "dang-nhap", &[("login", "001091004512")]).await;
    let procedure_page = minh.get("/practice/khai-sinh-thu").await;
    assert!(
        procedure_page.body.contains("tạm ẩn"),
        "{}",
        procedure_page.body
    );
    assert!(
        !procedure_page.body.contains("Miễn phí trong 60 ngày"),
        "the fee rule is hidden during the exam"
    );
    step(
        &mut minh,
        &run,
        "tim-thu-tuc",
        &[("procedure", "khai-sinh-thu"), ("authority", "ubnd-huyen")],
    )
    .await;
    // Exam mode: no feedback on the form, mistakes and all go through.
    step(
        &mut minh,
        &run,
        "nguoi-khai",
        &[
            ("declarant-name", "Hoàng Thị Mai"),
            ("declarant-id", "001169007731"),
            ("declarant-sex", "nu"),
            ("declarant-birth-date", "03/07/1996"),
            (
                "declarant-residence",
                "Thôn Đông Dư, xã Đông Dư, huyện Gia Lâm, Hà Nội",
            ),
            ("relationship", "khac"),
        ],
    )
    .await;
    let exam_page = minh.get(&format!("{run}?step=tre")).await;
    assert!(
        !exam_page.body.contains("Xem gợi ý"),
        "no hints in exam mode"
    );
    let first_screen = minh.get(&format!("{run}?step=nguoi-khai")).await;
    assert!(first_screen.body.contains("Số định danh cá nhân"));
    assert!(
        !first_screen.body.contains("12 chữ số."),
        "no help texts in exam mode"
    );
    assert!(
        !first_screen.body.contains("Gợi ý:"),
        "no hint reveals an answer in exam mode"
    );
    step(
        &mut minh,
        &run,
        "tre",
        &[
            ("child-name", "Nguyễn Hoàng An"),
            ("child-birth-date", "20/09/2025"),
            ("child-birth-date-words", ""),
            ("child-ethnicity", "Việt Nam"),
            ("child-hometown", "Nam Định"),
        ],
    )
    .await;
    step(
        &mut minh,
        &run,
        "giay-to",
        &[
            ("documents", "giay-chung-sinh"),
            ("documents", "so-ho-khau"),
        ],
    )
    .await;
    step(
        &mut minh,
        &run,
        "nhan-ket-qua",
        &[("delivery", "truc-tuyen")],
    )
    .await;
    step(&mut minh, &run, "le-phi", &[("fee", "0")]).await;
    let submitted = minh
        .post_form(&run, &[("step", "xac-nhan"), ("action", "submit")])
        .await;
    assert_eq!(submitted.status, StatusCode::SEE_OTHER);

    let review = minh.get(&format!("{run}/review")).await;
    assert_eq!(review.status, StatusCode::OK);
    let body = &review.body;
    assert!(body.contains("bị trả lại để bổ sung"), "{body}");
    assert!(body.contains("Chưa đạt"));
    assert!(
        body.contains("Đủ 1/1 giấy tờ cần có (mỗi giấy 1 điểm); 1 giấy tờ thừa"),
        "{body}"
    );
    assert!(body.contains("Vi phạm quy tắc"));
    // Every trap the case set, fallen into and named.
    for trap in [
        "Nộp sai mức lệ phí vì tin lời đồn.",
        "Gõ đảo hai chữ số của số định danh (Số định danh cá nhân).",
        "Ghi tên quận, huyện cũ vào địa chỉ (Nơi cư trú).",
        "Nhầm quê quán với nguyên quán (Quê quán).",
        "Chọn “Khác” thay vì đúng quan hệ (Quan hệ).",
    ] {
        assert!(body.contains(trap), "{trap}: {body}");
    }
    assert_eq!(body.matches("Mắc bẫy:").count(), 5);
    // Each mistake with its rule, the right answer and the lesson that teaches it.
    assert!(body.contains("không khớp với năm sinh"), "the ID rule");
    assert!(body.contains("001196007731"), "the right ID");
    assert!(body.contains("Từ 01/7/2025 không còn quận, huyện"));
    assert!(body.contains("Miễn phí trong 60 ngày kể từ ngày sinh."));
    assert!(body.contains("8.000 đồng"));
    assert!(body.contains("Sổ hộ khẩu"));
    assert!(body.contains("Ủy ban nhân dân xã, phường"));
    assert!(
        body.contains("href=\"/learn/thu-nghiem/bai-hai\""),
        "the ID field's lesson"
    );
    assert!(body.contains("Qua bưu điện"), "the right way of receiving");

    let stored = minh.state.db.run(run_id(&run)).await.unwrap().unwrap();
    assert_eq!(stored.mode, "exam");
    assert_eq!(stored.passed, Some(0));
}
on_both_databases!(an_exam_run_is_scored_on_the_server_and_explains_the_traps);

async fn runs_are_private_resumable_abandonable_and_reset_clean(db: Db) {
    let client = Client::new(db);
    let mut lan = volunteer(&client, "lan@t.vn").await;
    let mut binh = volunteer(&client, "binh@t.vn").await;

    let run = start(&mut lan, "dung-han", "exam").await;
    step(&mut lan, &run, "dang-nhap", &[("login", "001091004512")]).await;

    // Someone else's run does not exist for them.
    assert_eq!(binh.get(&run).await.status, StatusCode::NOT_FOUND);
    let posted = binh
        .post_form(
            &run,
            &[("step", "dang-nhap"), ("action", "next"), ("login", "1")],
        )
        .await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
    let abandon = binh.post_form(&format!("{run}/abandon"), &[]).await;
    assert_eq!(abandon.status, StatusCode::NOT_FOUND);
    let review = binh
        .server_fn("practice/review", &[("run", &run_id(&run).to_string())])
        .await;
    assert_eq!(review.status, StatusCode::NOT_FOUND);
    assert_eq!(
        lan.state
            .db
            .run(run_id(&run))
            .await
            .unwrap()
            .unwrap()
            .status,
        "active"
    );

    // Starting the same scenario again resumes the run where it was.
    assert_eq!(start(&mut lan, "dung-han", "guided").await, run);
    let resumed = lan.get(&run).await;
    assert!(resumed.body.contains("Bước 2/"), "{}", resumed.body);
    let page = lan.get("/practice/khai-sinh-thu").await;
    assert!(page.body.contains("Làm tiếp (Bài thi)"));

    // A reset starts clean.
    let reset = lan.post_form(&format!("{run}/reset"), &[]).await;
    let fresh = reset.location().unwrap().to_owned();
    assert_ne!(fresh, run);
    let fresh_row = lan.state.db.run(run_id(&fresh)).await.unwrap().unwrap();
    assert_eq!(fresh_row.step, "dang-nhap");
    assert_eq!(fresh_row.mode, "exam");
    assert!(!fresh_row.inputs.contains("001091004512"));
    assert_eq!(
        lan.state
            .db
            .run(run_id(&run))
            .await
            .unwrap()
            .unwrap()
            .status,
        "abandoned"
    );

    // Abandoning leaves the run in the history, finished.
    let abandoned = lan.post_form(&format!("{fresh}/abandon"), &[]).await;
    assert_eq!(abandoned.location(), Some("/practice/khai-sinh-thu"));
    let page = lan.get(&fresh).await;
    assert!(page.body.contains("Lượt làm này đã kết thúc"));
    let posted = lan
        .post_form(
            &fresh,
            &[
                ("step", "dang-nhap"),
                ("action", "next"),
                ("login", "001091004512"),
            ],
        )
        .await;
    assert_eq!(
        posted.location(),
        Some("/practice/khai-sinh-thu"),
        "nothing changes"
    );
    let page = lan.get("/practice/khai-sinh-thu").await;
    assert!(page.body.contains("đã bỏ"));
    // A run never reaches a step it was not walked to.
    let another = start(&mut lan, "dung-han", "exam").await;
    let later = lan.get(&format!("{another}?step=xac-nhan")).await;
    assert!(later.body.contains("Bước 1/"), "{}", later.body);
}
on_both_databases!(runs_are_private_resumable_abandonable_and_reset_clean);

async fn only_learners_of_the_cohort_reach_a_procedure(db: Db) {
    let client = Client::new(db);
    let mut hoa = person(&client, "hoa@t.vn", Role::Learner, Some(Cohort::Resident)).await;
    assert_eq!(
        hoa.get("/practice/chi-can-bo").await.status,
        StatusCode::NOT_FOUND
    );
    let started = hoa
        .post_form(
            "/practice/chi-can-bo/start",
            &[("scenario", "mot"), ("mode", "exam")],
        )
        .await;
    assert_eq!(started.status, StatusCode::NOT_FOUND);
    let unknown = hoa
        .post_form(
            "/practice/khai-sinh-thu/start",
            &[("scenario", "khong-co"), ("mode", "exam")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let bad_mode = hoa
        .post_form(
            "/practice/khai-sinh-thu/start",
            &[("scenario", "dung-han"), ("mode", "thi")],
        )
        .await;
    assert_eq!(bad_mode.status, StatusCode::BAD_REQUEST);

    let mut manager = person(&client, "quanly@t.vn", Role::UnitManager, None).await;
    assert_eq!(manager.get("/practice").await.status, StatusCode::FORBIDDEN);
    let list = manager.server_fn("practice/list", &[]).await;
    assert_eq!(list.status, StatusCode::FORBIDDEN);

    let mut anonymous = client.another();
    assert_eq!(anonymous.get("/practice").await.location(), Some("/login"));
    let posted = anonymous
        .post_form(
            "/practice/khai-sinh-thu/start",
            &[("scenario", "dung-han"), ("mode", "exam")],
        )
        .await;
    assert_eq!(posted.location(), Some("/login"));
}
on_both_databases!(only_learners_of_the_cohort_reach_a_procedure);

async fn stale_saves_and_changed_procedures_lose_nothing(db: Db) {
    let client = Client::new(db);
    let mut lan = volunteer(&client, "lan@t.vn").await;
    let run = start(&mut lan, "dung-han", "guided").await;
    step(&mut lan, &run, "dang-nhap", &[("login", "001091004512")]).await;
    let db = lan.state.db.clone();
    let row = db.run(run_id(&run)).await.unwrap().unwrap();
    // A save based on an older read (another tab) changes nothing.
    assert!(!db
        .save_run(
            row.id,
            row.account_id,
            row.revision - 1,
            "dang-nhap",
            "{}",
            5,
            0
        )
        .await
        .unwrap());
    let same = db.run(row.id).await.unwrap().unwrap();
    assert_eq!((same.step.as_str(), same.hints_used), ("tim-thu-tuc", 0));
    assert!(same.inputs.contains("001091004512"));

    // The procedure's rules change (version 2) while the run is unfinished: the run says so,
    // refuses further steps, and a fresh start uses the new version.
    let mut state = lan.state.clone();
    let mut catalog = (*state.content).clone();
    for p in &mut catalog.sandbox.procedures {
        p.version = 2;
    }
    state.content = std::sync::Arc::new(catalog);
    let mut lan = lan.on_state(state);
    let page = lan.get(&run).await;
    assert!(page.body.contains("vừa được cập nhật"), "{}", page.body);
    let posted = lan
        .post_form(
            &run,
            &[
                ("step", "tim-thu-tuc"),
                ("action", "next"),
                ("procedure", "khai-sinh-thu"),
                ("authority", "ubnd-xa"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(db.run(row.id).await.unwrap().unwrap().step, "tim-thu-tuc");
    let fresh = lan.post_form(&format!("{run}/reset"), &[]).await;
    let fresh = fresh.location().unwrap().to_owned();
    assert_eq!(
        db.run(run_id(&fresh))
            .await
            .unwrap()
            .unwrap()
            .procedure_version,
        2
    );
}
on_both_databases!(stale_saves_and_changed_procedures_lose_nothing);
