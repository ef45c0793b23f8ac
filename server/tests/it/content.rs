//! `hocso content check`: the valid fixture loads and renders; each kind of broken content is
//! reported with its file and line; the shipped curriculum passes.

use std::path::{Path, PathBuf};
use std::process::Command;

use app::content::{Catalog, Problem, QuestionBody, Severity};
use app::domain::Cohort;
use app::i18n::Locale;
use app::services::load_content;

pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

pub fn fixture_catalog() -> Catalog {
    match load_content(&fixture_dir()) {
        Ok((catalog, _)) => catalog,
        Err(problems) => panic!("fixture invalid: {problems:#?}"),
    }
}

#[test]
fn the_fixture_loads_and_renders_safely() {
    let (catalog, warnings) = load_content(&fixture_dir()).unwrap();
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert_eq!(catalog.modules.len(), 2);
    let module = catalog.module("thu-nghiem").unwrap();
    assert_eq!(module.lessons.len(), 2);
    assert_eq!(module.minutes(), 9);
    assert_eq!(module.quiz.questions.len(), 4);
    assert!(
        matches!(module.quiz.questions[3].body, QuestionBody::Ordering(ref items) if items.len() == 3)
    );
    let html = module.lessons[0].html.get(Locale::Vi);
    assert!(
        html.contains("href=\"/learn/thu-nghiem/bai-hai\""),
        "{html}"
    );
    assert!(
        html.contains("src=\"/content/thu-nghiem/assets/nut.svg\""),
        "{html}"
    );
    assert!(
        html.contains("callout-tip") && html.contains("Mẹo"),
        "{html}"
    );
    let english = module.lessons[0].html.get(Locale::En);
    assert!(english.contains("The official address is"), "{english}");
    assert!(
        !english.contains("What the portal is"),
        "the leading title is not repeated"
    );
    let mistake = module.lessons[1].html.get(Locale::Vi);
    assert!(mistake.contains("Lỗi thường gặp"), "{mistake}");
    assert_eq!(
        catalog.asset_path("thu-nghiem", "nut.svg"),
        Some(fixture_dir().join("modules/thu-nghiem/assets/nut.svg"))
    );
    assert_eq!(catalog.asset_path("thu-nghiem", "../quiz.toml"), None);
    assert_eq!(catalog.asset_path("thu-nghiem", "quiz.toml"), None);
}

#[test]
fn catalogs_put_mandatory_modules_first_per_cohort_and_position() {
    let catalog = fixture_catalog();
    let volunteer = catalog.catalog_for(Cohort::Volunteer, None);
    assert_eq!(volunteer.len(), 1);
    assert!(volunteer[0].1, "mandatory for volunteers");
    let resident = catalog.catalog_for(Cohort::Resident, None);
    assert!(!resident[0].1);
    let resident = catalog.catalog_for(Cohort::Resident, Some("nguoi-dan"));
    assert!(resident[0].1, "mandatory for the position");
    let official = catalog.catalog_for(Cohort::Official, None);
    assert_eq!(official.len(), 1, "officials see only their own module");
    assert_eq!(
        (official[0].0.id.as_str(), official[0].1),
        ("can-bo-hoc", true)
    );
}

/// One broken copy of the fixture: which file to edit, how, and the problem expected.
struct Broken {
    what: &'static str,
    file: &'static str,
    edit: fn(&str) -> String,
    /// A text on the line the error must point to (in the edited file).
    at: &'static str,
    /// The file the error is reported in, when not `file`.
    reported_in: Option<&'static str>,
    message: &'static str,
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{needle:?} not found"))
}

const MODULE: &str = "modules/thu-nghiem/module.toml";
const LESSON: &str = "modules/thu-nghiem/bai-mot.vi.md";
const QUIZ: &str = "modules/thu-nghiem/quiz.toml";
const PROCEDURE: &str = "procedures/khai-sinh-thu/procedure.toml";
const SCENARIOS: &str = "procedures/khai-sinh-thu/scenarios.toml";

fn cases() -> Vec<Broken> {
    vec![
        Broken {
            what: "a standard nobody could meet",
            file: "positions.toml",
            edit: |t| t.replace("requires = [{ competence = \"C2.3\", level = 3 }]", "requires = [{ competence = \"C2.3\", level = 4 }]"),
            at: "level = 4",
            reported_in: None,
            message: "nobody could meet this standard",
        },
        Broken {
            what: "two default positions for a cohort",
            file: "positions.toml",
            edit: |t| t.replace("leadership = true", "leadership = true\ndefault = true"),
            at: "[[positions]]",
            reported_in: None,
            message: "needs exactly one position with `default = true`",
        },
        Broken {
            what: "a verification rule without a mark",
            file: "framework.toml",
            edit: |t| t.replace("min_percent = 80", "min_percent = 0"),
            at: "[verification]",
            reported_in: None,
            message: "min_percent is a percentage from 1 to 100",
        },
        Broken {
            what: "TOML syntax",
            file: QUIZ,
            edit: |t| t.replacen("kind = \"single\"", "kind = \"single", 1),
            at: "kind = \"single",
            reported_in: None,
            message: "",
        },
        Broken {
            what: "unknown field (schema)",
            file: MODULE,
            edit: |t| t.replace("version = 1", "version = 1\ncolour = \"red\""),
            at: "colour",
            reported_in: None,
            message: "unknown field",
        },
        Broken {
            what: "unknown competence",
            file: LESSON,
            edit: |t| t.replace("competence = \"C2.3\"", "competence = \"C9.9\""),
            at: "C9.9",
            reported_in: None,
            message: "unknown competence \"C9.9\"",
        },
        Broken {
            what: "missing Vietnamese text",
            file: MODULE,
            edit: |t| t.replace("title.vi = \"Mô-đun thử nghiệm\"\n", ""),
            at: "title.en",
            reported_in: None,
            message: "has no Vietnamese text",
        },
        Broken {
            what: "duplicate lesson id",
            file: MODULE,
            edit: |t| {
                t.replace(
                    "lessons = [\"bai-mot\", \"bai-hai\"]",
                    "lessons = [\"bai-mot\", \"bai-hai\", \"bai-mot\"]",
                )
            },
            at: "lessons =",
            reported_in: None,
            message: "already used",
        },
        Broken {
            what: "broken internal link",
            file: LESSON,
            edit: |t| t.replace("(bai-hai.md)", "(bai-ba.md)"),
            at: "bai-ba.md",
            reported_in: None,
            message: "broken link: there is no lesson \"bai-ba\"",
        },
        Broken {
            what: "broken image",
            file: LESSON,
            edit: |t| t.replace("assets/nut.svg", "assets/khong-co.png"),
            at: "khong-co.png",
            reported_in: None,
            message: "does not exist in this module's assets/",
        },
        Broken {
            what: "javascript: link",
            file: LESSON,
            edit: |t| t.replace("(https://dichvucong.gov.vn)", "(javascript:alert(1))"),
            at: "javascript:",
            reported_in: None,
            message: "only https, http, mailto, tel or relative links",
        },
        Broken {
            what: "raw HTML",
            file: LESSON,
            edit: |t| {
                t.replace(
                    "# Cổng Dịch vụ công là gì",
                    "# Cổng Dịch vụ công là gì\n\n<script>alert(1)</script>",
                )
            },
            at: "<script>",
            reported_in: None,
            message: "raw HTML is not allowed",
        },
        Broken {
            what: "a question with no correct answer",
            file: QUIZ,
            edit: |t| t.replacen("correct = true\n", "", 1),
            at: "id = \"q1\"",
            reported_in: None,
            message: "has no correct answer",
        },
        Broken {
            what: "a single-choice question with two correct answers",
            file: QUIZ,
            edit: |t| {
                t.replacen(
                    "text.en = \"dichvucong-online.com\"",
                    "text.en = \"dichvucong-online.com\"\ncorrect = true",
                    1,
                )
            },
            at: "id = \"q1\"",
            reported_in: None,
            message: "2 correct options",
        },
        Broken {
            what: "a true/false question without its answer",
            file: QUIZ,
            edit: |t| t.replace("answer = false\n", ""),
            at: "id = \"q3\"",
            reported_in: None,
            message: "has no correct answer",
        },
        Broken {
            what: "a question pointing to an unknown lesson",
            file: QUIZ,
            edit: |t| t.replacen("lesson = \"bai-mot\"", "lesson = \"bai-nam\"", 1),
            at: "bai-nam",
            reported_in: None,
            message: "not in this module",
        },
        Broken {
            what: "unknown question kind",
            file: QUIZ,
            edit: |t| t.replace("kind = \"ordering\"", "kind = \"essay\""),
            at: "essay",
            reported_in: None,
            message: "unknown question kind",
        },
        Broken {
            what: "a listed lesson with no file",
            file: MODULE,
            edit: |t| {
                t.replace(
                    "lessons = [\"bai-mot\", \"bai-hai\"]",
                    "lessons = [\"bai-mot\", \"bai-hai\", \"bai-ba\"]",
                )
            },
            at: "lessons =",
            reported_in: None,
            message: "has no Vietnamese file",
        },
        Broken {
            what: "an unreachable lesson",
            file: MODULE,
            edit: |t| {
                t.replace(
                    "lessons = [\"bai-mot\", \"bai-hai\"]",
                    "lessons = [\"bai-mot\"]",
                )
            },
            at: "+++",
            reported_in: Some("modules/thu-nghiem/bai-hai.vi.md"),
            message: "not listed in module.toml's lessons, so no one can reach it",
        },
        Broken {
            what: "unknown cohort",
            file: MODULE,
            edit: |t| {
                t.replace(
                    "[\"resident\", \"volunteer\"]",
                    "[\"resident\", \"students\"]",
                )
            },
            at: "cohorts =",
            reported_in: None,
            message: "unknown cohort \"students\"",
        },
        Broken {
            what: "module id differs from its folder",
            file: MODULE,
            edit: |t| t.replace("id = \"thu-nghiem\"", "id = \"thu-nghiem-khac\""),
            at: "thu-nghiem-khac",
            reported_in: None,
            message: "must equal its folder name",
        },
        Broken {
            what: "a lesson without front matter",
            file: LESSON,
            edit: |t| t.replacen("+++\n", "", 1),
            at: "id = \"bai-mot\"",
            reported_in: None,
            message: "starts with front matter",
        },
        Broken {
            what: "a level out of range",
            file: "positions.toml",
            edit: |t| t.replace("level = 2", "level = 9"),
            at: "level = 9",
            reported_in: None,
            message: "a level is a number from 1 to 8",
        },
        Broken {
            what: "a mandatory module that does not exist",
            file: "positions.toml",
            edit: |t| t.replace("[\"thu-nghiem\"]", "[\"khong-ton-tai\"]"),
            at: "khong-ton-tai",
            reported_in: None,
            message: "unknown module \"khong-ton-tai\"",
        },
        Broken {
            what: "a scenario whose right answers break its own rules",
            file: SCENARIOS,
            edit: |t| t.replacen("declarant-id = \"001091004512\"", "declarant-id = \"001191004512\"", 1),
            at: "declarant-id = \"001191004512\"",
            reported_in: None,
            message: "its own right answers fail: the value of \"declarant-id\" breaks a rule (IdSexMismatch)",
        },
        Broken {
            what: "a trap no rule would catch",
            file: SCENARIOS,
            edit: |t| {
                t.replacen(
                    "{ kind = \"ethnicity_viet_nam\", field = \"child-ethnicity\" },",
                    "{ kind = \"hometown_confusion\", field = \"note\", ancestral = \"Nam Định\" },",
                    1,
                )
            },
            at: "field = \"note\"",
            reported_in: None,
            message: "no rule catches this trap",
        },
        Broken {
            what: "a trap that changes nothing",
            file: SCENARIOS,
            edit: |t| t.replacen("{ kind = \"wrong_fee\", fee = 0 }", "{ kind = \"wrong_fee\", fee = 8000 }", 1),
            at: "fee = 8000",
            reported_in: None,
            message: "this trap changes nothing",
        },
        Broken {
            what: "a required field without a value",
            file: SCENARIOS,
            edit: |t| t.replacen("child-hometown = \"Hà Nội\"\n", "", 1),
            at: "[scenarios.values]",
            reported_in: None,
            message: "gives no value for the required field \"child-hometown\"",
        },
        Broken {
            what: "a scenario without traps",
            file: SCENARIOS,
            edit: |t| {
                t.replacen(
                    "traps = [\n  { kind = \"ethnicity_viet_nam\", field = \"child-ethnicity\" },\n  { kind = \"date_in_words_left_out\", field = \"child-birth-date-words\" },\n]",
                    "traps = []",
                    1,
                )
            },
            at: "traps = []",
            reported_in: None,
            message: "set at least one trap",
        },
        Broken {
            what: "an unknown document in a scenario",
            file: SCENARIOS,
            edit: |t| t.replacen("documents = [\"giay-chung-sinh\"]", "documents = [\"giay-khong-co\"]", 1),
            at: "giay-khong-co",
            reported_in: None,
            message: "unknown document \"giay-khong-co\"",
        },
        Broken {
            what: "a rule naming an unknown field",
            file: PROCEDURE,
            edit: |t| t.replace("later = \"child-birth-date\"", "later = \"ngay-khong-co\""),
            at: "ngay-khong-co",
            reported_in: None,
            message: "unknown field \"ngay-khong-co\"",
        },
        Broken {
            what: "an unknown field type",
            file: PROCEDURE,
            edit: |t| t.replacen("type = \"address\"", "type = \"postcode\"", 1),
            at: "postcode",
            reported_in: None,
            message: "unknown field type \"postcode\"",
        },
        Broken {
            what: "an agency not in portal.toml",
            file: PROCEDURE,
            edit: |t| t.replace("[\"ubnd-xa\", \"ubnd-huyen\"]", "[\"ubnd-xa\", \"so-khong-co\"]"),
            at: "so-khong-co",
            reported_in: None,
            message: "unknown agencies \"so-khong-co\"",
        },
        Broken {
            what: "a procedure linking an unknown lesson",
            file: PROCEDURE,
            edit: |t| t.replace("lesson = \"thu-nghiem/bai-mot\"", "lesson = \"thu-nghiem/bai-ba\""),
            at: "bai-ba",
            reported_in: None,
            message: "unknown lesson \"thu-nghiem/bai-ba\"",
        },
        Broken {
            what: "a section named like a portal step",
            file: PROCEDURE,
            edit: |t| t.replace("id = \"tre\"", "id = \"le-phi\""),
            at: "id = \"le-phi\"",
            reported_in: None,
            message: "names a step of the portal",
        },
        Broken {
            what: "a framework level out of range",
            file: "framework.toml",
            edit: |t| t.replace("level = 8\nband", "level = 9\nband"),
            at: "level = 9",
            reported_in: None,
            message: "levels are numbered 1 to 8",
        },
    ]
}

#[test]
fn each_kind_of_broken_content_is_reported_with_file_and_line() {
    for case in cases() {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture_dir(), dir.path());
        let path = dir.path().join(case.file);
        let original = std::fs::read_to_string(&path).unwrap();
        let edited = (case.edit)(&original);
        assert_ne!(edited, original, "{}: the edit changed nothing", case.what);
        std::fs::write(&path, &edited).unwrap();

        let reported_in = case.reported_in.unwrap_or(case.file);
        let text = std::fs::read_to_string(dir.path().join(reported_in)).unwrap();
        let line = line_of(&text, case.at);
        let problems: Vec<Problem> = match load_content(dir.path()) {
            Ok(_) => panic!("{}: the broken content was accepted", case.what),
            Err(problems) => problems,
        };
        let found = problems.iter().any(|p| {
            p.severity == Severity::Error
                && p.file == Path::new(reported_in)
                && p.line == line
                && p.message.contains(case.message)
        });
        assert!(
            found,
            "{}: expected {reported_in}:{line}: error containing {:?}; got:\n{}",
            case.what,
            case.message,
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn the_cli_check_passes_good_content_and_fails_broken_content() {
    let ok = Command::new(env!("CARGO_BIN_EXE_hocso"))
        .args(["content", "check"])
        .arg(fixture_dir())
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    assert!(String::from_utf8_lossy(&ok.stdout)
        .contains("content OK: 2 modules, 3 lessons, 5 quiz questions"));

    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture_dir(), dir.path());
    let quiz = dir.path().join(QUIZ);
    let text = std::fs::read_to_string(&quiz)
        .unwrap()
        .replace("answer = false\n", "");
    std::fs::write(&quiz, text).unwrap();
    let broken = Command::new(env!("CARGO_BIN_EXE_hocso"))
        .args(["content", "check"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!broken.status.success());
    let out = String::from_utf8_lossy(&broken.stdout);
    assert!(
        out.contains("modules/thu-nghiem/quiz.toml:")
            && out.contains(": error: question \"q3\" has no correct answer"),
        "{out}"
    );
}

#[test]
fn the_shipped_curriculum_passes_the_check_and_is_complete() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let (catalog, warnings) = match load_content(&dir) {
        Ok(loaded) => loaded,
        Err(problems) => panic!(
            "content/ is invalid:\n{}",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        ),
    };
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert!(
        catalog.modules.len() >= 12,
        "{} modules",
        catalog.modules.len()
    );
    for m in &catalog.modules {
        assert!(
            m.lessons.len() >= 3,
            "{}: {} lessons",
            m.id,
            m.lessons.len()
        );
        assert!(
            m.quiz.questions.len() >= 8,
            "{}: {} questions",
            m.id,
            m.quiz.questions.len()
        );
        for lesson in &m.lessons {
            assert!(
                lesson.title.en.is_some() && lesson.html.en.is_some(),
                "{} has no English",
                lesson.id
            );
        }
    }
    for cohort in [Cohort::Official, Cohort::Volunteer, Cohort::Resident] {
        let list = catalog.catalog_for(cohort, None);
        assert!(list.len() >= 4, "{cohort:?} sees {} modules", list.len());
    }
    // The practice sandbox: 12 procedures or more, 3 scenarios each at graded difficulty, every
    // trap kind of the common-mistake list used somewhere.
    let sandbox = &catalog.sandbox;
    assert!(
        sandbox.procedures.len() >= 12,
        "{} procedures",
        sandbox.procedures.len()
    );
    let mut kinds = std::collections::BTreeSet::new();
    for p in &sandbox.procedures {
        assert!(
            p.scenarios.len() >= 3,
            "{}: {} scenarios",
            p.id,
            p.scenarios.len()
        );
        let levels: std::collections::BTreeSet<u8> =
            p.scenarios.iter().map(|s| s.difficulty).collect();
        assert!(
            levels.len() >= 2,
            "{}: scenarios all of one difficulty",
            p.id
        );
        assert!(p.title.en.is_some(), "{} has no English title", p.id);
        for s in &p.scenarios {
            assert!(
                s.brief_html.en.is_some(),
                "{}/{} has no English brief",
                p.id,
                s.id
            );
            for t in &s.traps {
                kinds.insert(
                    format!("{t:?}")
                        .split([' ', '{'])
                        .next()
                        .unwrap_or_default()
                        .to_owned(),
                );
            }
        }
    }
    assert_eq!(kinds.len(), 7, "every trap kind is used");
    for needed in [
        "dang-ky-khai-sinh",
        "lien-thong-khai-sinh",
        "dang-ky-khai-tu",
        "xac-nhan-tinh-trang-hon-nhan",
        "chung-thuc-ban-sao",
        "dang-ky-thuong-tru",
        "dang-ky-tam-tru",
        "ly-lich-tu-phap-so-1",
        "ly-lich-tu-phap-so-2",
        "dang-ky-ket-hon",
        "dang-ky-ho-kinh-doanh",
        "tra-cuu-ma-so-thue",
    ] {
        assert!(sandbox.procedure(needed).is_some(), "{needed} is missing");
    }
    // Every position's mandatory modules are open to that position's cohort.
    for p in &catalog.positions {
        for id in &p.mandatory_modules {
            let m = catalog.module(id).unwrap();
            assert!(
                m.cohorts.contains(&p.cohort),
                "{} is mandatory for {} but not open to {:?}",
                id,
                p.id,
                p.cohort
            );
        }
    }
}
