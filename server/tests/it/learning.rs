//! The learner's path through a module, by plain form posts: catalog, lessons, quiz scored on
//! the server, result with feedback; and who may see what.

use axum::http::StatusCode;

use app::domain::{Cohort, Role};
use app::services::accounts::{create_account, AccountSpec};
use app::store::Db;

use crate::harness::Client;
use crate::on_both_databases;

const PASSWORD: &str = "mật khẩu thử nghiệm dài";

async fn learner(client: &Client, contact: &str, cohort: Cohort, position: Option<&str>) -> Client {
    let spec = AccountSpec {
        full_name: "Nguyễn Thị Hoa".into(),
        contact: contact.into(),
        password: PASSWORD.into(),
        role: Role::Learner,
        cohort: Some(cohort),
        unit_code: Some("00070".into()),
        position_code: position.map(Into::into),
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

pub(crate) const ALL_RIGHT: [(&str, &str); 8] = [
    ("q-q1", "a"),
    ("q-q2", "login"),
    ("q-q2", "find"),
    ("q-q3", "false"),
    ("q-q4-login", "1"),
    ("q-q4-find", "2"),
    ("q-q4-submit", "3"),
    ("started_at", "0"),
];

async fn a_resident_reads_the_lessons_and_passes_the_quiz(db: Db) {
    let client = Client::new(db);
    let mut hoa = learner(&client, "hoa@t.vn", Cohort::Resident, None).await;

    let home = hoa.get("/learn").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Mô-đun thử nghiệm"), "{}", home.body);
    assert!(home.body.contains("Đã đọc 0/2 bài"));
    assert!(
        home.body.contains("href=\"/learn/thu-nghiem/bai-mot\""),
        "continue at lesson one"
    );

    let lesson = hoa.get("/learn/thu-nghiem/bai-mot").await;
    assert_eq!(lesson.status, StatusCode::OK);
    assert!(lesson.body.contains("Bài một: Cổng Dịch vụ công"));
    assert!(lesson.body.contains("Bài 1/2"));
    assert!(lesson.body.contains("callout-tip"));

    let next = hoa.post_form("/learn/thu-nghiem/bai-mot", &[]).await;
    assert_eq!(next.status, StatusCode::SEE_OTHER);
    assert_eq!(next.location(), Some("/learn/thu-nghiem/bai-hai"));
    let to_quiz = hoa.post_form("/learn/thu-nghiem/bai-hai", &[]).await;
    assert_eq!(to_quiz.location(), Some("/quiz/thu-nghiem"));
    let home = hoa.get("/learn").await;
    assert!(
        home.body.contains("Đã đọc 2/2 bài"),
        "resume: progress is kept"
    );
    assert!(
        home.body.contains("href=\"/quiz/thu-nghiem\""),
        "continue at the quiz"
    );

    // The quiz page carries no answers.
    let quiz = hoa.get("/quiz/thu-nghiem").await;
    assert_eq!(quiz.status, StatusCode::OK);
    assert!(quiz.body.contains("dichvucong-online.com"));
    for secret in [
        "correct",
        "Đúng: tên miền",
        "Việt Nam là quốc tịch",
        "Sai: đây là",
    ] {
        assert!(
            !quiz.body.contains(secret),
            "the quiz page leaks {secret:?}"
        );
    }

    let submitted = hoa.post_form("/quiz/thu-nghiem", &ALL_RIGHT).await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.body
    );
    let result_url = submitted.location().unwrap().to_owned();
    assert!(result_url.starts_with("/quiz/thu-nghiem/result/"));
    let result = hoa.get(&result_url).await;
    assert_eq!(result.status, StatusCode::OK);
    assert!(
        result.body.contains("Bạn trả lời đúng 4/4 câu (100%)"),
        "{}",
        result.body
    );
    assert!(result.body.contains("Chúc mừng! Bạn đã đạt"));

    // The attempt is stored as evidence: versions, answers, score, duration.
    let attempts = hoa
        .state
        .db
        .attempts_of(account_id(&hoa).await)
        .await
        .unwrap();
    assert_eq!(attempts.len(), 1);
    let a = &attempts[0];
    assert_eq!(
        (
            a.module_id.as_str(),
            a.module_version,
            a.quiz_id.as_str(),
            a.quiz_version
        ),
        ("thu-nghiem", 1, "thu-nghiem-quiz", 1)
    );
    assert_eq!((a.points, a.total, a.percent, a.passed), (4, 4, 100, 1));
    assert!(
        a.answers.contains("login") && a.answers.contains("find"),
        "{}",
        a.answers
    );
    assert!(a.duration_seconds >= 0);

    let home = hoa.get("/learn").await;
    assert!(home.body.contains("Đã đạt bài kiểm tra (100%)"));
}
on_both_databases!(a_resident_reads_the_lessons_and_passes_the_quiz);

async fn account_id(client: &Client) -> i64 {
    let me = client.another_with_cookies().server_fn("me", &[]).await;
    let value: serde_json::Value = serde_json::from_str(&me.body).unwrap();
    value["id"].as_i64().unwrap()
}

async fn wrong_answers_get_feedback_and_lessons_to_reread(db: Db) {
    let client = Client::new(db);
    let mut hoa = learner(&client, "hoa@t.vn", Cohort::Resident, None).await;
    let submitted = hoa
        .post_form(
            "/quiz/thu-nghiem",
            &[
                ("q-q1", "b"),
                ("q-q2", "login"),
                ("q-q3", "true"),
                ("q-q4-login", "2"),
                ("q-q4-find", "1"),
                ("q-q4-submit", "3"),
            ],
        )
        .await;
    assert_eq!(submitted.status, StatusCode::SEE_OTHER);
    let result = hoa.get(submitted.location().unwrap()).await;
    assert!(
        result.body.contains("Bạn trả lời đúng 0/4 câu (0%)"),
        "{}",
        result.body
    );
    assert!(result.body.contains("Bạn chưa đạt"));
    // Which answers were wrong, but not what is right: that would make the retake a copy.
    assert!(result.body.contains("Đáp án đúng chỉ hiện khi bạn đạt"));
    for given_away in [
        "Đáp án đúng: dichvucong.gov.vn",
        "Sai: đây là kiểu tên miền giả mạo.",
        "Việt Nam là quốc tịch",
        "Đăng nhập; Tìm thủ tục; Nộp hồ sơ",
    ] {
        assert!(!result.body.contains(given_away), "{given_away}");
    }
    let id = submitted.location().unwrap().rsplit('/').next().unwrap();
    let data = hoa.server_fn("learn/result", &[("attempt", id)]).await;
    assert!(
        !data.body.contains("dichvucong.gov.vn"),
        "nor through the server function: {}",
        data.body
    );
    // What to do next: reread both lessons, then retry.
    assert!(result.body.contains("href=\"/learn/thu-nghiem/bai-mot\""));
    assert!(result.body.contains("href=\"/learn/thu-nghiem/bai-hai\""));
    assert!(result.body.contains("Làm lại bài kiểm tra"));

    // A pass (3 of 4) shows the right answer of the one still wrong, with its explanation.
    let passed = hoa
        .post_form(
            "/quiz/thu-nghiem",
            &[
                ("q-q1", "b"),
                ("q-q2", "login"),
                ("q-q2", "find"),
                ("q-q3", "false"),
                ("q-q4-login", "1"),
                ("q-q4-find", "2"),
                ("q-q4-submit", "3"),
            ],
        )
        .await;
    let result = hoa.get(passed.location().unwrap()).await;
    assert!(
        result.body.contains("Bạn trả lời đúng 3/4 câu"),
        "{}",
        result.body
    );
    assert!(result.body.contains("Sai: đây là kiểu tên miền giả mạo."));
    assert!(result.body.contains("Đáp án đúng: dichvucong.gov.vn"));
    assert!(!result.body.contains("Đáp án đúng chỉ hiện khi bạn đạt"));
}
on_both_databases!(wrong_answers_get_feedback_and_lessons_to_reread);

async fn an_unfinished_quiz_comes_back_with_the_choices_kept(db: Db) {
    let client = Client::new(db);
    let mut hoa = learner(&client, "hoa@t.vn", Cohort::Resident, None).await;
    let reply = hoa
        .post_form("/quiz/thu-nghiem", &[("q-q1", "a"), ("q-q4-login", "1")])
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("Câu 2: Bạn chưa trả lời câu này."),
        "numbered in the summary"
    );
    assert!(
        reply.body.contains("href=\"#q-q2\""),
        "the summary links to the question"
    );
    assert!(
        reply
            .body
            .contains("id=\"q-q1-a\" name=\"q-q1\" value=\"a\" checked"),
        "{}",
        reply.body
    );
    let attempts = hoa
        .state
        .db
        .attempts_of(account_id(&hoa).await)
        .await
        .unwrap();
    assert!(attempts.is_empty(), "nothing recorded");
}
on_both_databases!(an_unfinished_quiz_comes_back_with_the_choices_kept);

async fn modules_results_and_quizzes_are_scoped_to_the_learner(db: Db) {
    let client = Client::new(db);
    let mut hoa = learner(&client, "hoa@t.vn", Cohort::Resident, None).await;
    let submitted = hoa.post_form("/quiz/thu-nghiem", &ALL_RIGHT).await;
    let result_url = submitted.location().unwrap().to_owned();

    // Another learner cannot open Hoa's result.
    let mut nam = learner(&client, "nam@t.vn", Cohort::Volunteer, None).await;
    assert_eq!(nam.get(&result_url).await.status, StatusCode::NOT_FOUND);
    // Volunteers see the module as mandatory.
    assert!(nam.get("/learn").await.body.contains("Bắt buộc"));

    // Officials are not in the module's cohorts: not found, and not in their catalog.
    let mut lan = learner(&client, "lan@t.vn", Cohort::Official, Some("mot-cua")).await;
    assert_eq!(
        lan.get("/learn/thu-nghiem").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        lan.get("/quiz/thu-nghiem").await.status,
        StatusCode::NOT_FOUND
    );
    let catalog = lan.get("/learn").await.body;
    assert!(!catalog.contains("Mô-đun thử nghiệm"));
    assert!(
        catalog.contains("Mô-đun cho cán bộ"),
        "only their own module"
    );
    let posted = lan.post_form("/quiz/thu-nghiem", &ALL_RIGHT).await;
    assert_eq!(posted.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Unknown modules and lessons.
    assert_eq!(
        hoa.get("/learn/khong-co").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        hoa.get("/learn/thu-nghiem/khong-co").await.status,
        StatusCode::NOT_FOUND
    );

    // The quiz server function sends no answers either.
    let quiz = hoa
        .server_fn("learn/quiz", &[("module", "thu-nghiem")])
        .await;
    assert_eq!(quiz.status, StatusCode::OK);
    assert!(
        !quiz.body.contains("correct") && !quiz.body.contains("Sai: đây là"),
        "{}",
        quiz.body
    );

    // Only learners may call the learner server functions.
    let mut anonymous = client.another();
    assert_eq!(
        anonymous.server_fn("learn/catalog", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
}
on_both_databases!(modules_results_and_quizzes_are_scoped_to_the_learner);

async fn the_large_text_choice_is_remembered(db: Db) {
    let client = Client::new(db);
    let mut hoa = learner(&client, "hoa@t.vn", Cohort::Resident, None).await;
    let switch = hoa.get("/text/large").await;
    assert_eq!(switch.status, StatusCode::SEE_OTHER);
    let page = hoa.get("/learn/thu-nghiem/bai-mot").await;
    assert!(
        page.body.contains("<body class=\"text-large\""),
        "{}",
        &page.body[..600.min(page.body.len())]
    );
    hoa.get("/text/normal").await;
    let page = hoa.get("/learn/thu-nghiem/bai-mot").await;
    assert!(!page.body.contains("text-large"));
}
on_both_databases!(the_large_text_choice_is_remembered);

async fn an_ordering_answer_must_use_each_position_once(db: Db) {
    let client = Client::new(db);
    let mut hoa = learner(&client, "hoa@t.vn", Cohort::Resident, None).await;
    // Every item put first: a tie the server must not resolve for the learner.
    let reply = hoa
        .post_form(
            "/quiz/thu-nghiem",
            &[
                ("q-q1", "a"),
                ("q-q2", "login"),
                ("q-q2", "find"),
                ("q-q3", "false"),
                ("q-q4-login", "1"),
                ("q-q4-find", "1"),
                ("q-q4-submit", "1"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("Câu 4: Hãy đánh số mỗi bước một lần"),
        "{}",
        reply.body
    );
    let attempts = hoa
        .state
        .db
        .attempts_of(account_id(&hoa).await)
        .await
        .unwrap();
    assert!(attempts.is_empty(), "nothing recorded");
}
on_both_databases!(an_ordering_answer_must_use_each_position_once);
