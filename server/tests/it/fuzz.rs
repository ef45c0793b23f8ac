//! Fuzzing on the stable toolchain: proptest feeds arbitrary bytes and text to every parser a
//! person or a file can reach: the content loader, the Markdown renderer, the procedure field
//! rules and the domain's parsers, the roster reader, and form bodies posted to the real
//! router. None may panic, and each keeps its promise (safe HTML, no 5xx, a problem located in
//! a file). The CI run is short; `HOCSO_FUZZ_CASES` sets the cases per target for the long
//! run (BENCHMARKS.md). A failure proptest finds is kept in `proptest-regressions/` and run
//! first from then on.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::Config;

use app::content::markdown::{render, CalloutLabels, LinkResolver};
use app::content::Catalog;
use app::domain::procedure::{check_field, validate, Values};
use app::domain::vn::Date;

/// Cases per target: `HOCSO_FUZZ_CASES`, else `default` (the short CI run).
fn cases(default: u32) -> Config {
    let cases = std::env::var("HOCSO_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    Config {
        cases,
        max_shrink_iters: 2_000,
        ..Config::default()
    }
}

/// Text with what breaks parsers: markup, quotes, control characters, Vietnamese, emoji.
fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[<>&\"'`=/:;\\\\ a-zA-Z0-9\\n\\t\\[\\]()!#*_~|{}.,-]{0,200}",
        "[ạảãàáâậầấẩẫăắằặẳẵđêềếệểễôồốộổỗơờớợởỡưừứựửữ0-9 /.,-]{0,60}",
        proptest::collection::vec(any::<u8>(), 0..200)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

fn real_content() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        match app::services::load_content(&dir) {
            Ok((catalog, _)) => catalog,
            Err(problems) => panic!("content/ invalid: {problems:#?}"),
        }
    })
}

struct Anything;
impl LinkResolver for Anything {
    fn lesson(&self, target: &str) -> Option<String> {
        (!target.is_empty()).then(|| format!("/learn/m/{target}"))
    }
    fn asset(&self, target: &str) -> Option<String> {
        (!target.is_empty()).then(|| format!("/content/m/assets/{target}"))
    }
}

/// The tags rendered Markdown may never hold, and what may never appear inside a tag.
const FORBIDDEN_TAGS: [&str; 14] = [
    "script", "iframe", "object", "embed", "style", "form", "input", "button", "svg", "math",
    "link", "meta", "base", "textarea",
];

/// Every `<…>` of `html`: text is escaped, so each `<` opens a tag the renderer wrote.
fn tags(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let close = rest[open..]
            .find('>')
            .map(|c| open + c)
            .unwrap_or(rest.len() - 1);
        out.push(rest[open..=close].to_ascii_lowercase());
        rest = &rest[close + 1..];
    }
    out
}

fn assert_safe(html: &str) {
    for tag in tags(html) {
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(!FORBIDDEN_TAGS.contains(&name.as_str()), "{tag} in {html}");
        for bad in [
            "javascript:",
            "vbscript:",
            "data:text",
            " on",
            "\"on",
            "style=",
        ] {
            let attributes = tag.split_once(' ').map(|(_, a)| a).unwrap_or("");
            let attributes = format!(" {attributes}");
            if bad == " on" || bad == "\"on" {
                // An event handler attribute: ` onclick=`.
                let handler = attributes
                    .split_whitespace()
                    .any(|a| a.starts_with("on") && a.contains('=') && a.len() > 3);
                assert!(!handler, "{tag} in {html}");
            } else {
                assert!(!attributes.contains(bad), "{bad} in {tag} in {html}");
            }
        }
    }
}

proptest! {
    #![proptest_config(cases(2_000))]

    /// Lessons: whatever an author writes, the page gets HTML without scripts, handlers or
    /// script addresses.
    #[test]
    fn markdown_renders_safe_html(markdown in nasty_text()) {
        let labels = CalloutLabels {
            tip: "Mẹo".into(),
            warning: "Lưu ý".into(),
            mistake: "Lỗi hay gặp".into(),
        };
        assert_safe(&render(&markdown, &labels, &Anything));
        let _ = app::content::markdown::references(&markdown);
        let _ = app::content::markdown::raw_html_lines(&markdown);
        let _ = app::content::markdown::slug(&markdown);
    }

    /// What residents and officials type: IDs, names, contacts, dates, money.
    #[test]
    fn the_domains_parsers_take_any_text(text in nasty_text()) {
        let _ = app::domain::CitizenId::parse(&text);
        let _ = app::domain::FullName::parse(&text);
        if let Ok(contact) = app::domain::Contact::parse(&text) {
            // A contact that parses reads back the same.
            let again = app::domain::Contact::parse(contact.as_str());
            prop_assert_eq!(again.ok(), Some(contact));
        }
        let _ = Date::parse_vn(&text);
        let _ = Date::parse_form(&text);
        let _ = app::domain::procedure::parse_money(&text);
        let _ = app::domain::vn::parse_ethnicity(&text);
        let _ = app::domain::roster::parse_cohort(&text);
        let _ = app::domain::roster::parse_contact(&text);
        if let Some(code) = app::domain::roster::parse_unit(&text) {
            prop_assert_eq!(code.len(), 5);
        }
        let _ = app::domain::text::normalize(&text);
    }

    /// A roster file of any bytes: read or refused with a reason, never a panic; rows are
    /// numbered as a spreadsheet shows them.
    #[test]
    fn the_roster_reader_takes_any_bytes(
        bytes in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..600),
            nasty_text().prop_map(|t| format!("ma_so,ho_ten,doi_tuong,ma_don_vi,vi_tri,truong,lien_he\n{t}").into_bytes()),
        ]
    ) {
        if let Ok(rows) = app::services::roster::read_csv(&bytes) {
            let numbers: Vec<usize> = rows.iter().map(|(n, _)| *n).collect();
            prop_assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
            prop_assert!(numbers.iter().all(|n| *n >= 2), "row 1 is the header");
        }
    }

    /// A posted quiz form of any fields: read into answers or problems, never a panic.
    #[test]
    fn quiz_forms_take_any_fields(
        body in proptest::collection::vec(any::<u8>(), 0..400),
    ) {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&body).unwrap_or_default();
        for module in &real_content().modules {
            let keys: Vec<_> = module.quiz.questions.iter().map(|q| (q.id.clone(), q.key())).collect();
            let (answers, _) = app::domain::quiz::read_answers(
                keys.iter().map(|(id, key)| (id.as_str(), key)),
                &pairs,
            );
            let only_keys: Vec<_> = keys.iter().map(|(_, k)| k.clone()).collect();
            let score = app::domain::quiz::score(&only_keys, &answers, 80);
            prop_assert!(score.percent <= 100);
        }
    }
}

proptest! {
    // A case checks a whole form: fewer cases in the short run.
    #![proptest_config(cases(400))]

    /// Every field of the real procedures, and their cross-field rules, take any input.
    #[test]
    fn procedure_field_rules_take_any_input(
        which in any::<prop::sample::Index>(),
        values in proptest::collection::vec(nasty_text(), 0..40),
        day in 0i64..30_000,
    ) {
        let filing = Date::from_epoch_days(day);
        let procedures = &real_content().sandbox.procedures;
        {
            let procedure = &procedures[which.index(procedures.len())];
            let fields = procedure.fields();
            let mut form = Values::new();
            for (field, value) in fields.iter().zip(values.iter().cycle()) {
                form.insert(field.id.clone(), value.clone());
            }
            for field in &fields {
                let value = form.get(&field.id).cloned().unwrap_or_default();
                let _ = check_field(field, &value, &form);
            }
            let _ = validate(&fields, &procedure.rules, &form, filing);
            let _ = procedure.fee_for(&form, filing);
        }
    }
}

/// A copy of the test curriculum with one file replaced by `bytes`.
fn content_with(file: &str, bytes: &[u8]) -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(&crate::content::fixture_dir(), dir.path());
    std::fs::write(dir.path().join(file), bytes).unwrap();
    dir
}

/// The files of the test curriculum a changed byte is tried in.
const CONTENT_FILES: [&str; 5] = [
    "modules/thu-nghiem/module.toml",
    "modules/thu-nghiem/quiz.toml",
    "modules/thu-nghiem/bai-mot.vi.md",
    "procedures/khai-sinh-thu/procedure.toml",
    "procedures/khai-sinh-thu/scenarios.toml",
];

fn original(file: &str) -> Vec<u8> {
    std::fs::read(crate::content::fixture_dir().join(file)).unwrap()
}

proptest! {
    #![proptest_config(cases(64))]

    /// An author's file with bytes changed, cut short or replaced: the loader gives a
    /// curriculum or problems that name a file, never a panic.
    #[test]
    fn the_content_loader_takes_any_file(
        which in 0..CONTENT_FILES.len(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        cut in proptest::option::of(any::<prop::sample::Index>()),
        replace in proptest::option::weighted(0.2, proptest::collection::vec(any::<u8>(), 0..300)),
    ) {
        let file = CONTENT_FILES[which];
        let mut bytes = replace.unwrap_or_else(|| original(file));
        if !bytes.is_empty() {
            for (at, byte) in &edits {
                let i = at.index(bytes.len());
                bytes[i] = *byte;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut.index(bytes.len()));
            }
        }
        let dir = content_with(file, &bytes);
        match app::services::load_content(dir.path()) {
            Ok(_) => {}
            Err(problems) => {
                prop_assert!(!problems.is_empty());
                for p in &problems {
                    prop_assert!(!p.message.is_empty());
                    prop_assert!(p.file != PathBuf::new(), "{p:?}");
                }
            }
        }
    }
}

/// Form bodies of any bytes posted to the real router, signed in as who may post them: a page
/// (a redirect, the form again with its messages, a refusal), never a 5xx.
#[test]
fn form_posts_of_any_bytes_never_fail_the_server() {
    use axum::http::StatusCode;
    use std::cell::RefCell;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let test_db = runtime.block_on(crate::harness::TestDb::sqlite());
    let client = crate::harness::Client::new(test_db.db.clone());
    let (learner, organizer, run) = runtime.block_on(async {
        use app::domain::{Cohort, Role};
        use app::services::accounts::{create_account, AccountSpec};
        for (contact, role, cohort, unit) in [
            (
                "hoa@t.vn",
                Role::Learner,
                Some(Cohort::Resident),
                Some("00004"),
            ),
            ("org@t.vn", Role::Organizer, None, None),
        ] {
            let spec = AccountSpec {
                full_name: "Vũ Thị Hòa".into(),
                contact: contact.into(),
                password: "mật khẩu thử nghiệm dài".into(),
                role,
                cohort,
                unit_code: unit.map(Into::into),
                position_code: None,
            };
            create_account(&client.state, &spec, &crate::harness::operator())
                .await
                .unwrap();
        }
        let mut signed = Vec::new();
        for contact in ["hoa@t.vn", "org@t.vn"] {
            let mut browser = client.another();
            let reply = browser
                .post_form(
                    "/login",
                    &[
                        ("contact", contact),
                        ("password", "mật khẩu thử nghiệm dài"),
                    ],
                )
                .await;
            assert_eq!(reply.status, StatusCode::SEE_OTHER);
            signed.push(browser);
        }
        let mut learner = signed.remove(0);
        let started = learner
            .post_form(
                "/practice/khai-sinh-thu/start",
                &[("scenario", "dung-han"), ("mode", "guided")],
            )
            .await;
        let run = started.location().unwrap().to_owned();
        (learner, signed.remove(0), run)
    });
    let learner = RefCell::new(learner);
    let organizer = RefCell::new(organizer);
    let targets: Vec<(bool, String)> = vec![
        (true, "/quiz/thu-nghiem".into()),
        (true, run.clone()),
        (true, format!("{run}/reset")),
        (true, "/learn/thu-nghiem/bai-mot".into()),
        (true, "/passport/survey".into()),
        (true, "/account/password".into()),
        (false, "/campaign/settings".into()),
        (false, "/campaign/units/00004/figures".into()),
        (false, "/campaign/units/00004/targets".into()),
        (false, "/units/00004/assignments".into()),
        (false, "/deploy".into()),
    ];
    let mut runner = proptest::test_runner::TestRunner::new(cases(200));
    let strategy = (
        0..targets.len(),
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..600),
            proptest::collection::vec(("[a-z_\\-]{1,12}", nasty_text()), 0..12).prop_map(|p| {
                serde_urlencoded::to_string(&p)
                    .unwrap_or_default()
                    .into_bytes()
            }),
        ],
    );
    let result = runner.run(&strategy, |(which, body)| {
        let (as_learner, path) = &targets[which];
        let browser = if *as_learner { &learner } else { &organizer };
        let reply = runtime.block_on(browser.borrow_mut().request(
            "POST",
            path,
            &[("content-type", "application/x-www-form-urlencoded")],
            body,
        ));
        prop_assert!(
            !reply.status.is_server_error(),
            "{path}: {} {}",
            reply.status,
            reply.body
        );
        Ok(())
    });
    runtime.block_on(test_db.teardown());
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// The safety check itself sees what it is there to see.
#[test]
fn the_safety_check_catches_scripts_handlers_and_script_addresses() {
    for unsafe_html in [
        "<p>a</p><script>alert(1)</script>",
        "<img src=\"x\" onerror=\"alert(1)\">",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<IFRAME src=\"/\"></IFRAME>",
    ] {
        let caught = std::panic::catch_unwind(|| assert_safe(unsafe_html)).is_err();
        assert!(caught, "{unsafe_html} passed");
    }
    assert_safe("<p>&lt;script&gt; javascript: onclick=</p><a href=\"/learn/x\">x</a>");
}
