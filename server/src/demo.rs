//! Demo accounts, one per role (and three officials and a ready volunteer of one ward), with
//! some quiz results behind them, and a campaign in progress, for development and the
//! end-to-end tests. Refused in production (see
//! [`crate::config::Config`]); their passwords are published in the README.

use app::domain::audit::Actor;
use app::domain::quiz::{score, Answer, AnswerKey};
use app::domain::{Cohort, Contact, Role};
use app::services::accounts::{create_account, AccountSpec};
use app::services::{competency, now, AppState};
use app::store::NewAttempt;

/// (full name, contact, password, role, cohort, unit code, position code)
type DemoAccount = (
    &'static str,
    &'static str,
    &'static str,
    Role,
    Option<Cohort>,
    Option<&'static str>,
    Option<&'static str>,
);

/// The demo accounts. Names are invented; units are real (Phường Ba Đình, Phường Hoàn Kiếm).
pub const DEMO_ACCOUNTS: [DemoAccount; 9] = [
    (
        "Trần Minh Quân",
        "admin@hocso.test",
        "quan-tri-demo-2025",
        Role::Admin,
        None,
        None,
        None,
    ),
    (
        "Lê Thu Hà",
        "tochuc@hocso.test",
        "to-chuc-demo-2025",
        Role::Organizer,
        None,
        None,
        None,
    ),
    (
        "Phạm Văn Đức",
        "quanly@hocso.test",
        "quan-ly-demo-2025",
        Role::UnitManager,
        None,
        Some("00004"),
        None,
    ),
    (
        "Nguyễn Thị Lan",
        "canbo@hocso.test",
        "can-bo-demo-2025",
        Role::Learner,
        Some(Cohort::Official),
        Some("00004"),
        Some("mot-cua"),
    ),
    (
        "Đỗ Hoàng Nam",
        "tinhnguyen@hocso.test",
        "tinh-nguyen-demo-2025",
        Role::Learner,
        Some(Cohort::Volunteer),
        Some("00004"),
        None,
    ),
    (
        "Vũ Thị Hòa",
        "0912345678",
        "nguoi-dan-demo-2025",
        Role::Learner,
        Some(Cohort::Resident),
        Some("00070"),
        None,
    ),
    (
        "Trần Văn Bình",
        "tuphap@hocso.test",
        "tu-phap-demo-2025",
        Role::Learner,
        Some(Cohort::Official),
        Some("00004"),
        Some("tu-phap-ho-tich"),
    ),
    (
        "Hoàng Thị Mai",
        "vanphong@hocso.test",
        "van-phong-demo-2025",
        Role::Learner,
        Some(Cohort::Official),
        Some("00004"),
        Some("van-phong-cntt"),
    ),
    (
        "Phan Minh Châu",
        "tnv.sansang@hocso.test",
        "tnv-san-sang-demo-2025",
        Role::Learner,
        Some(Cohort::Volunteer),
        Some("00004"),
        None,
    ),
];

/// Quizzes each demo learner passed three weeks before the demo starts: (contact, [(module,
/// percent)]). They leave every official with some verified levels and some gaps.
const DEMO_RESULTS: [(&str, &[(&str, u32)]); 4] = [
    (
        "canbo@hocso.test",
        &[
            ("cong-dich-vu-cong", 90),
            ("an-toan-lua-dao", 85),
            ("chu-ky-so", 88),
        ],
    ),
    (
        "tuphap@hocso.test",
        &[
            ("an-toan-lua-dao", 90),
            ("ho-so-truc-tuyen-mot-cua", 85),
            ("chu-ky-so", 92),
        ],
    ),
    (
        "vanphong@hocso.test",
        &[
            ("an-toan-lua-dao", 95),
            ("chu-ky-so", 90),
            ("ho-so-truc-tuyen-mot-cua", 88),
            ("tro-ly-ai", 90),
            ("cong-dich-vu-cong", 92),
            ("thanh-toan-le-phi", 86),
        ],
    ),
    (
        "tnv.sansang@hocso.test",
        &[
            ("an-toan-lua-dao", 95),
            ("cong-dich-vu-cong", 92),
            ("dang-ky-cu-tru", 90),
            ("huong-dan-nguoi-cao-tuoi", 94),
            ("khai-sinh-truc-tuyen", 90),
            ("ly-lich-tu-phap", 88),
            ("phan-anh-ihanoi", 90),
            ("thanh-toan-le-phi", 92),
            ("tro-ly-ai", 90),
        ],
    ),
];

/// Exams the demo learners passed today, through the real practice flow: (contact,
/// procedure); its first scenario, answered right. The bundled birth registration is the
/// only procedure that evidences C2.3 at the volunteer standard's level 4.
const DEMO_EXAMS: [(&str, &str); 1] = [("tnv.sansang@hocso.test", "lien-thong-khai-sinh")];

/// Takes an exam run of a procedure's first scenario with its right answers, step by step
/// through the same service the forms post to (so its score, review and evidence are real).
async fn exam_run(state: &AppState, account_id: i64, procedure: &str) -> anyhow::Result<()> {
    use app::content::procedures::{
        STEP_CONFIRM, STEP_DELIVERY, STEP_DOCUMENTS, STEP_FEE, STEP_FIND, STEP_LOGIN,
    };
    use app::domain::practice::Mode;
    use app::i18n::Locale;
    use app::services::practice;
    use app::types::form::FormInput;
    let row = state
        .db
        .account_by_id(account_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo account {account_id} vanished"))?;
    let user = app::services::accounts::current_user(&row)
        .ok_or_else(|| anyhow::anyhow!("demo account {account_id} has an unknown role"))?;
    let p = state
        .content
        .sandbox
        .procedure(procedure)
        .ok_or_else(|| anyhow::anyhow!("the demo names an unknown procedure {procedure}"))?;
    let s = p
        .scenarios
        .first()
        .ok_or_else(|| anyhow::anyhow!("{procedure} has no scenario"))?;
    let run = practice::start(state, &user, procedure, &s.id, Some(Mode::Exam))
        .await
        .map_err(|e| anyhow::anyhow!("starting the demo exam: {e:?}"))?;
    let value = |id: &str| s.values.get(id).cloned().unwrap_or_default();
    let pair = |k: &str, v: String| (k.to_owned(), v);
    let mut steps: Vec<Vec<(String, String)>> = vec![
        vec![
            pair("step", STEP_LOGIN.into()),
            pair("login", value(&p.login_field)),
        ],
        vec![
            pair("step", STEP_FIND.into()),
            pair("procedure", p.id.clone()),
            pair("authority", s.expected.authority.clone()),
        ],
    ];
    for section in &p.sections {
        let mut fields = vec![pair("step", section.id.clone())];
        fields.extend(
            section
                .fields
                .iter()
                .map(|f| pair(&f.field.id, value(&f.field.id))),
        );
        steps.push(fields);
    }
    let mut documents = vec![pair("step", STEP_DOCUMENTS.into())];
    documents.extend(
        s.expected
            .documents
            .iter()
            .map(|d| pair("documents", d.clone())),
    );
    steps.push(documents);
    steps.push(vec![
        pair("step", STEP_DELIVERY.into()),
        pair("delivery", s.expected.delivery.clone()),
    ]);
    steps.push(vec![
        pair("step", STEP_FEE.into()),
        pair("fee", s.expected.fee.to_string()),
    ]);
    for mut fields in steps {
        fields.push(pair("action", "next".into()));
        let step = fields[0].clone();
        let form = FormInput::new(fields);
        if let Err(refused) = practice::post_step(state, &user, run, &form, Locale::Vi).await {
            anyhow::bail!("the demo exam was refused at {step:?}: {refused:?}")
        }
    }
    let submit = FormInput::new(vec![
        pair("step", STEP_CONFIRM.into()),
        pair("action", "submit".into()),
    ]);
    match practice::post_step(state, &user, run, &submit, Locale::Vi).await {
        Ok(_) => Ok(()),
        Err(refused) => anyhow::bail!("the demo exam was not submitted: {refused:?}"),
    }
}

/// Creates the demo accounts that do not exist yet, and the demo campaign (a small city
/// around the demo wards) the first time; returns how many accounts were created.
pub async fn seed(state: &AppState, database_url: &str) -> anyhow::Result<usize> {
    let mut created = 0;
    for (name, contact, password, role, cohort, unit, position) in DEMO_ACCOUNTS {
        let parsed = Contact::parse(contact).map_err(|e| anyhow::anyhow!("{contact}: {e}"))?;
        if state.db.account_by_contact(&parsed).await?.is_some() {
            continue;
        }
        let spec = AccountSpec {
            full_name: name.to_owned(),
            contact: contact.to_owned(),
            password: password.to_owned(),
            role,
            cohort,
            unit_code: unit.map(str::to_owned),
            position_code: position.map(str::to_owned),
        };
        let id = create_account(state, &spec, &Actor::command_line("demo"))
            .await
            .map_err(|e| anyhow::anyhow!("demo account {contact}: {e}"))?;
        created += 1;
        if let Some((_, results)) = DEMO_RESULTS.iter().find(|(c, _)| *c == contact) {
            for (module, percent) in results.iter() {
                record_result(state, id, module, *percent).await?;
            }
            competency::recompute(state, id).await?;
        }
        if let Some((_, procedure)) = DEMO_EXAMS.iter().find(|(c, _)| *c == contact) {
            exam_run(state, id, procedure).await?;
        }
    }
    seed_due_dates(state).await?;
    if crate::seed::demo(state, database_url).await? {
        tracing::info!("demo campaign created");
    }
    Ok(created)
}

/// Due dates for Phường Ba Đình's mandatory modules: one already past (so the unit view has an
/// overdue list), one two weeks ahead. Set once.
async fn seed_due_dates(state: &AppState) -> anyhow::Result<()> {
    if !state.db.assignments("00004").await?.is_empty() {
        return Ok(());
    }
    let manager = Contact::parse("quanly@hocso.test").map_err(|e| anyhow::anyhow!("{e}"))?;
    let Some(manager) = state.db.account_by_contact(&manager).await? else {
        return Ok(());
    };
    let today = app::domain::vn::Date::from_unix_vn(now()).unix_start();
    for (module, days) in [("ho-so-truc-tuyen-mot-cua", -7), ("chu-ky-so", 14)] {
        state
            .db
            .set_assignment(
                "00004",
                module,
                today + days * 86_400,
                manager.id,
                now(),
                &Actor::command_line("demo"),
            )
            .await?;
    }
    Ok(())
}

/// Records a real attempt at a module's quiz, answered right until about `percent`, with its
/// evidence, three weeks ago.
async fn record_result(
    state: &AppState,
    account_id: i64,
    module_id: &str,
    percent: u32,
) -> anyhow::Result<()> {
    let module = state
        .content
        .module(module_id)
        .ok_or_else(|| anyhow::anyhow!("demo results name an unknown module {module_id}"))?;
    let quiz = &module.quiz;
    let keys: Vec<AnswerKey> = quiz.questions.iter().map(|q| q.key()).collect();
    let right = (keys.len() * percent as usize).div_ceil(100);
    let answers: Vec<Answer> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| match key {
            _ if i >= right => Answer::Blank,
            AnswerKey::Single(s) => Answer::Single(s.clone()),
            AnswerKey::Multiple(s) => Answer::Multiple(s.clone()),
            AnswerKey::TrueFalse(b) => Answer::TrueFalse(*b),
            AnswerKey::Ordering(v) => Answer::Ordering(v.clone()),
        })
        .collect();
    let result = score(&keys, &answers, quiz.pass_mark);
    let at = now() - 21 * 86_400;
    state
        .db
        .record_attempt(&NewAttempt {
            account_id,
            module_id: module.id.clone(),
            module_version: i64::from(module.version),
            quiz_id: quiz.id.clone(),
            quiz_version: i64::from(quiz.version),
            answers: serde_json::to_string(&answers)?,
            points: i64::from(result.points),
            total: i64::from(result.total),
            percent: i64::from(result.percent),
            passed: result.passed,
            started_at: at - 15 * 60,
            submitted_at: at,
            evidence: competency::quiz_evidence(module, result.percent, at),
        })
        .await?;
    Ok(())
}
