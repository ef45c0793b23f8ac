//! The authorization matrix: every address the router answers (read from the router's own
//! registration, [`hocso::route_table`]) × every kind of person × an object of their own ward
//! and one of another ward, each cell with the outcome it must have. A route added without a
//! row here fails the test, and so does a row whose route is gone.

use std::collections::BTreeSet;
use std::fmt;

use axum::http::{Method, StatusCode};

use app::domain::campaign::Shift;
use app::domain::{Cohort, Contact, Role};
use app::services::accounts::{create_account, AccountSpec};
use app::store::{Db, NewAccount};
use hocso::Door;

use crate::harness::{sign_in, Client, Reply, PASSWORD};
use crate::on_both_databases;

/// The callers' own ward (Phường Ba Đình) and another (Phường Hoàn Kiếm).
const WARD_A: &str = "00004";
const WARD_B: &str = "00070";
const LESSON_FOR_OFFICIALS: &str = "bai-can-bo";

/// Who asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Person {
    Anonymous,
    Resident,
    Volunteer,
    Official,
    /// The unit manager of ward A.
    Manager,
    Organizer,
    Admin,
}

const PEOPLE: [Person; 7] = [
    Person::Anonymous,
    Person::Resident,
    Person::Volunteer,
    Person::Official,
    Person::Manager,
    Person::Organizer,
    Person::Admin,
];

impl Person {
    fn contact(self) -> Option<&'static str> {
        match self {
            Person::Anonymous => None,
            Person::Resident => Some("resident@t.vn"),
            Person::Volunteer => Some("volunteer@t.vn"),
            Person::Official => Some("official@t.vn"),
            Person::Manager => Some("manager@t.vn"),
            Person::Organizer => Some("organizer@t.vn"),
            Person::Admin => Some("admin@t.vn"),
        }
    }

    fn is_learner(self) -> bool {
        matches!(
            self,
            Person::Resident | Person::Volunteer | Person::Official
        )
    }
}

/// Whose object the address names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Object {
    /// Of the caller's own ward: their own record for a learner, ward A's for staff.
    Own,
    /// Of ward B: a record of a learner there, ward B's unit.
    WardB,
}

/// What a cell must come to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// Sent to log in (a page or form: a redirect to `/login`; a server function: 401).
    Login,
    /// 403, nothing of the object shown.
    Refused,
    /// 404: another person's record is not there for this caller.
    Absent,
    /// Past the door: the page, the download, the redirect after the act, or the form back
    /// with its own messages (422).
    LetIn,
}

/// Who a row lets in.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// Everyone, signed in or not.
    Anyone,
    /// Anyone signed in.
    SignedIn,
    /// Learners (residents, volunteers, officials).
    Learners,
    /// Volunteers only.
    Volunteers,
    /// A learner's own records; another learner's are absent.
    OwnRecords,
    /// Organizers and admins for every unit; a unit manager for their own unit only.
    StaffOfUnit,
    /// Organizers and admins.
    Organizers,
    /// Unit managers only (their unit's home page).
    Managers,
    /// The organizer who uploaded a roster; it holds personal data, so even an admin finds
    /// nothing there.
    Uploader,
    /// Admins only.
    Admins,
}

impl Rule {
    fn expect(self, person: Person, object: Object) -> Outcome {
        use Outcome::*;
        if person == Person::Anonymous {
            return if matches!(self, Rule::Anyone) {
                LetIn
            } else {
                Login
            };
        }
        let province = matches!(person, Person::Organizer | Person::Admin);
        match self {
            Rule::Anyone | Rule::SignedIn => LetIn,
            Rule::Learners if person.is_learner() => LetIn,
            Rule::Volunteers if person == Person::Volunteer => LetIn,
            Rule::OwnRecords if person.is_learner() => match object {
                Object::Own => LetIn,
                Object::WardB => Absent,
            },
            Rule::StaffOfUnit if province => LetIn,
            Rule::StaffOfUnit if person == Person::Manager => match object {
                Object::Own => LetIn,
                Object::WardB => Refused,
            },
            Rule::Organizers if province => LetIn,
            Rule::Admins if person == Person::Admin => LetIn,
            Rule::Managers if person == Person::Manager => LetIn,
            Rule::Uploader if person == Person::Organizer => LetIn,
            Rule::Uploader if person == Person::Admin => Absent,
            _ => Refused,
        }
    }
}

/// One row: an address as registered, who it lets in, and how to call it.
struct Row {
    door: Door,
    method: Method,
    pattern: &'static str,
    rule: Rule,
    /// A form's fields or a server function's arguments (`{placeholder}`s filled in).
    fields: &'static [(&'static str, &'static str)],
    /// The post ends the caller's session (they sign in again after it).
    ends_session: bool,
}

const fn page(pattern: &'static str, rule: Rule) -> Row {
    Row {
        door: Door::Page,
        method: Method::GET,
        pattern,
        rule,
        fields: &[],
        ends_session: false,
    }
}

const fn get(pattern: &'static str, rule: Rule) -> Row {
    Row {
        door: Door::Form,
        method: Method::GET,
        pattern,
        rule,
        fields: &[],
        ends_session: false,
    }
}

const fn post(
    pattern: &'static str,
    rule: Rule,
    fields: &'static [(&'static str, &'static str)],
) -> Row {
    Row {
        door: Door::Form,
        method: Method::POST,
        pattern,
        rule,
        fields,
        ends_session: false,
    }
}

const fn api(
    pattern: &'static str,
    rule: Rule,
    fields: &'static [(&'static str, &'static str)],
) -> Row {
    Row {
        door: Door::ServerFn,
        method: Method::POST,
        pattern,
        rule,
        fields,
        ends_session: false,
    }
}

/// Every address of the site and who it lets in.
fn rows() -> Vec<Row> {
    use Rule::*;
    vec![
        Row {
            door: Door::Health,
            ..get("/healthz", Anyone)
        },
        // Pages.
        page("/", Anyone),
        page("/login", Anyone),
        page("/register", Anyone),
        page("/activate", Anyone),
        page("/account/password", SignedIn),
        page("/learn", Learners),
        page("/learn/{module}", Learners),
        page("/learn/{module}/{lesson}", Learners),
        page("/quiz/{module}", Learners),
        page("/quiz/{module}/result/{attempt}", OwnRecords),
        page("/practice", Learners),
        page("/practice/{procedure}", Learners),
        page("/practice/run/{run}", OwnRecords),
        page("/practice/run/{run}/review", OwnRecords),
        page("/passport", Learners),
        page("/passport/survey", Learners),
        page("/shifts", Volunteers),
        page("/unit", Managers),
        page("/units", Organizers),
        page("/units/{code}", StaffOfUnit),
        page("/people", Organizers),
        page("/volunteers", Organizers),
        page("/campaign", Organizers),
        page("/campaign/settings", Organizers),
        page("/campaign/units/{code}", StaffOfUnit),
        page("/roster", Organizers),
        page("/roster/{id}", Uploader),
        page("/deploy", Organizers),
        page("/audit", Admins),
        // Preferences, the session.
        get("/lang/{code}", Anyone),
        get("/text/{size}", Anyone),
        post(
            "/login",
            Anyone,
            &[("contact", "nobody@t.vn"), ("password", "x")],
        ),
        post("/register", Anyone, &[]),
        post("/activate", Anyone, &[]),
        Row {
            ends_session: true,
            ..post("/logout", Anyone, &[])
        },
        post("/account/password", SignedIn, &[("current", "sai")]),
        get("/account/data.json", SignedIn),
        // Without the confirmation box: let in, nothing anonymised.
        post("/people/{id}/anonymise", Admins, &[]),
        post(
            "/units/{code}/activation",
            StaffOfUnit,
            &[("account", "{pending}")],
        ),
        // Learning and practice.
        get("/content/{module}/assets/{name}", Anyone),
        post("/learn/{module}/{lesson}", Learners, &[]),
        post("/quiz/{module}", Learners, &[("started_at", "0")]),
        post(
            "/practice/{procedure}/start",
            Learners,
            &[("scenario", "{scenario}"), ("mode", "guided")],
        ),
        post("/practice/run/{run}", OwnRecords, &[("step", "khong-co")]),
        post("/practice/run/{run}/abandon", OwnRecords, &[]),
        post("/practice/run/{run}/reset", OwnRecords, &[]),
        post("/passport/survey", Learners, &[]),
        // Units, the campaign.
        post(
            "/units/{code}/assignments",
            StaffOfUnit,
            &[("module", "khong-co")],
        ),
        post("/campaign/settings", Organizers, &[]),
        get("/campaign/export.csv", Organizers),
        post("/campaign/units/{code}/figures", StaffOfUnit, &[]),
        post("/campaign/units/{code}/targets", Organizers, &[]),
        get("/campaign/units/{code}/export.csv", StaffOfUnit),
        // The roster: the upload is sent as a file, see `call`.
        get("/roster/template.csv", Anyone),
        post("/roster", Organizers, &[]),
        post("/roster/{id}/confirm", Uploader, &[]),
        // Deployments.
        post("/deploy", Organizers, &[]),
        post("/deploy/{id}/cancel", Organizers, &[]),
        post("/shifts/assists", Volunteers, &[]),
        // The audit log's download.
        get("/audit/export.csv", Admins),
        // Server functions.
        api("/api/me", Anyone, &[]),
        api("/api/units", Anyone, &[]),
        api("/api/accounts", StaffOfUnit, &[("unit", "{code}")]),
        api("/api/learn/catalog", Learners, &[]),
        api("/api/learn/module", Learners, &[("module", "{module}")]),
        api(
            "/api/learn/lesson",
            Learners,
            &[("module", "{module}"), ("lesson", "{lesson}")],
        ),
        api("/api/learn/quiz", Learners, &[("module", "{module}")]),
        api("/api/learn/result", OwnRecords, &[("attempt", "{attempt}")]),
        api("/api/practice/list", Learners, &[]),
        api(
            "/api/practice/procedure",
            Learners,
            &[("procedure", "{procedure}")],
        ),
        api("/api/practice/run", OwnRecords, &[("run", "{run}")]),
        api("/api/practice/review", OwnRecords, &[("run", "{run}")]),
        api("/api/competency/passport", Learners, &[]),
        api("/api/competency/survey", Learners, &[]),
        api("/api/competency/unit", StaffOfUnit, &[("code", "{code}")]),
        api("/api/competency/units", Organizers, &[]),
        api("/api/competency/ready", Organizers, &[]),
        api("/api/campaign/dashboard", Organizers, &[]),
        api("/api/campaign/unit", StaffOfUnit, &[("code", "{code}")]),
        api("/api/campaign/settings", Organizers, &[]),
        api("/api/roster/preview", Uploader, &[("id", "{roster}")]),
        api("/api/deploy", Organizers, &[]),
        api("/api/audit", Admins, &[]),
        api("/api/shifts", Volunteers, &[]),
    ]
}

/// The records the cells name: each learner's own practice run and quiz attempt, the same of
/// a resident of ward B, a roster upload, and a deployment in each ward.
struct Records {
    runs: Vec<(Person, i64)>,
    attempts: Vec<(Person, i64)>,
    other_run: i64,
    other_attempt: i64,
    roster: i64,
    deployment_a: i64,
    deployment_b: i64,
    /// Accounts of ward A and ward B without a password yet (for activation codes).
    pending_a: i64,
    pending_b: i64,
}

impl Records {
    fn own(list: &[(Person, i64)], person: Person) -> i64 {
        let owner = if person.is_learner() {
            person
        } else {
            Person::Official
        };
        list.iter()
            .find(|(p, _)| *p == owner)
            .map(|(_, id)| *id)
            .expect("each learner has one")
    }

    /// The value of `{name}` in `template` for this cell. Path parameters are named as the
    /// routes name them: `{code}` of `/lang/` is a language, an `{id}` is a roster upload's or
    /// a deployment's as the address says.
    fn value(&self, template: &str, name: &str, person: Person, object: Object) -> String {
        let own = object == Object::Own;
        let name = match (name, template) {
            ("code", t) if t.starts_with("/lang/") => "lang",
            ("name", t) if t.starts_with("/content/") => "asset",
            // Lessons' images are public, whoever's curriculum they belong to.
            ("module", t) if t.starts_with("/content/") => "public module",
            ("id", t) if t.starts_with("/roster") => "roster",
            ("id", t) if t.starts_with("/deploy") => "deployment",
            ("id", t) if t.starts_with("/people") => "pending",
            (name, _) => name,
        };
        match name {
            "code" if own => WARD_A.into(),
            "code" => WARD_B.into(),
            "lang" => "en".into(),
            "size" => "large".into(),
            // Each learner's own curriculum: officials have theirs.
            "module" if person == Person::Official => "can-bo-hoc".into(),
            "module" | "public module" => "thu-nghiem".into(),
            "lesson" if person == Person::Official => LESSON_FOR_OFFICIALS.into(),
            "lesson" => "bai-mot".into(),
            "asset" => "nut.svg".into(),
            "procedure" if person == Person::Official => "chi-can-bo".into(),
            "procedure" => "khai-sinh-thu".into(),
            "scenario" if person == Person::Official => "mot".into(),
            "scenario" => "dung-han".into(),
            "pending" if own => self.pending_a.to_string(),
            "pending" => self.pending_b.to_string(),
            "run" if own => Records::own(&self.runs, person).to_string(),
            "run" => self.other_run.to_string(),
            "attempt" if own => Records::own(&self.attempts, person).to_string(),
            "attempt" => self.other_attempt.to_string(),
            "roster" => self.roster.to_string(),
            "deployment" if own => self.deployment_a.to_string(),
            "deployment" => self.deployment_b.to_string(),
            other => panic!("no value for {{{other}}}"),
        }
    }

    fn fill(&self, template: &str, person: Person, object: Object) -> String {
        let mut out = String::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').expect("closed placeholder") + open;
            out.push_str(&rest[..open]);
            out.push_str(&self.value(template, &rest[open + 1..close], person, object));
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// What a reply came to; a 5xx is never an outcome.
fn outcome(reply: &Reply, what: &dyn fmt::Display) -> Outcome {
    assert!(
        !reply.status.is_server_error(),
        "{what}: {} {}",
        reply.status,
        reply.body
    );
    let to_login = reply.status.is_redirection()
        && reply
            .location()
            .is_some_and(|l| l == "/login" || l.starts_with("/login?"));
    match reply.status {
        StatusCode::UNAUTHORIZED => Outcome::Login,
        _ if to_login => Outcome::Login,
        StatusCode::FORBIDDEN => Outcome::Refused,
        StatusCode::NOT_FOUND => Outcome::Absent,
        _ => Outcome::LetIn,
    }
}

async fn people(client: &Client) -> Vec<(Person, i64)> {
    let accounts = [
        (Person::Admin, "Trần Minh Quân", Role::Admin, None, None),
        (Person::Organizer, "Lê Thu Hà", Role::Organizer, None, None),
        (
            Person::Manager,
            "Phạm Văn Đức",
            Role::UnitManager,
            None,
            Some(WARD_A),
        ),
        (
            Person::Official,
            "Nguyễn Thị Lan",
            Role::Learner,
            Some(Cohort::Official),
            Some(WARD_A),
        ),
        (
            Person::Volunteer,
            "Đỗ Hoàng Nam",
            Role::Learner,
            Some(Cohort::Volunteer),
            Some(WARD_A),
        ),
        (
            Person::Resident,
            "Bùi Văn Tư",
            Role::Learner,
            Some(Cohort::Resident),
            Some(WARD_A),
        ),
    ];
    let mut ids = Vec::new();
    for (person, name, role, cohort, unit) in accounts {
        let spec = AccountSpec {
            full_name: name.into(),
            contact: person.contact().expect("signed in").into(),
            password: PASSWORD.into(),
            role,
            cohort,
            unit_code: unit.map(Into::into),
            position_code: None,
        };
        ids.push((
            person,
            create_account(&client.state, &spec, &crate::harness::operator())
                .await
                .unwrap(),
        ));
    }
    let other = AccountSpec {
        full_name: "Vũ Thị Hòa".into(),
        contact: "other@t.vn".into(),
        password: PASSWORD.into(),
        role: Role::Learner,
        cohort: Some(Cohort::Resident),
        unit_code: Some(WARD_B.into()),
        position_code: None,
    };
    create_account(&client.state, &other, &crate::harness::operator())
        .await
        .unwrap();
    ids
}

/// The number at the end of a redirect's address (`/practice/run/7` → 7).
fn id_in(reply: &Reply) -> i64 {
    let location = reply.location().unwrap_or_default();
    location
        .rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| {
            let start = reply.body.find("<main").unwrap_or(0);
            let text: String = reply.body[start..].chars().take(1500).collect();
            panic!("{}: no id in {location:?}: {text}", reply.status)
        })
}

/// A submitted practice run and a quiz attempt of this learner (officials: of their own
/// curriculum).
async fn records_of(browser: &mut Client, db: &Db, id: i64, official: bool) -> (i64, i64) {
    if official {
        crate::competency::officials_run(browser, "chi-can-bo", "guided").await;
    } else {
        crate::competency::birth_run(browser, "guided").await;
    }
    let run = db.runs_of(id, None).await.unwrap()[0].id;
    let quiz = if official {
        browser
            .post_form("/quiz/can-bo-hoc", &[("q-q1", "true"), ("started_at", "0")])
            .await
    } else {
        browser
            .post_form("/quiz/thu-nghiem", &crate::learning::ALL_RIGHT)
            .await
    };
    (run, id_in(&quiz))
}

async fn records(client: &Client, db: &Db, ids: &[(Person, i64)]) -> Records {
    let mut runs = Vec::new();
    let mut attempts = Vec::new();
    let id = |who: Person| ids.iter().find(|(p, _)| *p == who).unwrap().1;
    for person in [Person::Resident, Person::Volunteer, Person::Official] {
        let mut browser = sign_in(client, person.contact().unwrap_or_default()).await;
        let official = person == Person::Official;
        let (run, attempt) = records_of(&mut browser, db, id(person), official).await;
        runs.push((person, run));
        attempts.push((person, attempt));
    }
    let mut other = sign_in(client, "other@t.vn").await;
    let other_id = db
        .account_by_contact(&Contact::parse("other@t.vn").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let (other_run, other_attempt) = records_of(&mut other, db, other_id, false).await;

    let mut organizer = sign_in(client, "organizer@t.vn").await;
    let template = organizer.get("/roster/template.csv").await;
    let uploaded = organizer
        .post_file("/roster", "file", "danh-sach.csv", template.body.as_bytes())
        .await;
    let roster = id_in(&uploaded);

    let day = app::domain::vn::vn_day(app::services::now());
    let (volunteer, admin, now) = (
        id(Person::Volunteer),
        id(Person::Admin),
        app::services::now(),
    );
    let deployment_a = db
        .deploy(
            volunteer,
            WARD_A,
            day,
            Shift::Morning,
            now,
            &app::domain::audit::Actor::person(admin, "Trần Minh Quân", None),
        )
        .await
        .unwrap();
    let deployment_b = db
        .deploy(
            volunteer,
            WARD_B,
            day,
            Shift::Afternoon,
            now,
            &app::domain::audit::Actor::person(admin, "Trần Minh Quân", None),
        )
        .await
        .unwrap();
    let pending = |unit: &str, phone: &str| NewAccount {
        full_name: "Đặng Thị Mai".into(),
        contact: Contact::parse(phone).unwrap(),
        password_hash: String::new(),
        role: Role::Learner,
        cohort: Some(Cohort::Official),
        unit_code: Some(unit.into()),
        position_code: None,
        created_at: now,
    };
    let pending_a = db
        .create_account(&pending(WARD_A, "0912000001"), None)
        .await
        .unwrap();
    let pending_b = db
        .create_account(&pending(WARD_B, "0912000002"), None)
        .await
        .unwrap();
    Records {
        pending_a,
        pending_b,
        runs,
        attempts,
        other_run,
        other_attempt,
        roster,
        deployment_a,
        deployment_b,
    }
}

/// One cell: the row's request as this person, for this object.
async fn call(browser: &mut Client, row: &Row, path: &str, fields: &[(String, String)]) -> Reply {
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    match (row.door, &row.method) {
        (Door::ServerFn, _) => {
            let body = serde_urlencoded::to_string(&fields).expect("encode args");
            browser
                .request(
                    "POST",
                    path,
                    &[
                        ("content-type", "application/x-www-form-urlencoded"),
                        ("accept", "application/json"),
                    ],
                    body.into_bytes(),
                )
                .await
        }
        (_, &Method::GET) => browser.get(path).await,
        _ if row.pattern == "/roster" => {
            let csv = app::services::roster::template();
            browser
                .post_file(path, "file", "danh-sach.csv", csv.as_bytes())
                .await
        }
        _ => browser.post_form(path, &fields).await,
    }
}

async fn the_matrix_holds_for_every_address(db: Db) {
    let client = Client::new(db.clone());
    let ids = people(&client).await;
    let records = records(&client, &db, &ids).await;

    // Every address the router answers has a row, and every row an address.
    let registered: BTreeSet<(Door, String, String)> = hocso::route_table(&client.state)
        .into_iter()
        .map(|(door, method, path)| (door, method.to_string(), path))
        .collect();
    let rows = rows();
    let written: BTreeSet<(Door, String, String)> = rows
        .iter()
        .map(|r| (r.door, r.method.to_string(), r.pattern.to_owned()))
        .collect();
    assert_eq!(written.len(), rows.len(), "a row is written twice");
    let missing: Vec<_> = registered.difference(&written).collect();
    let gone: Vec<_> = written.difference(&registered).collect();
    assert!(
        missing.is_empty() && gone.is_empty(),
        "addresses without a row: {missing:#?}\nrows without an address: {gone:#?}"
    );

    let mut browsers = Vec::new();
    for person in PEOPLE {
        let browser = match person.contact() {
            Some(contact) => sign_in(&client, contact).await,
            None => client.another(),
        };
        browsers.push((person, browser));
    }

    let mut wrong = Vec::new();
    let mut cells = 0;
    for row in &rows {
        let objects: &[Object] =
            if row.pattern.contains('{') || row.fields.iter().any(|(_, v)| v.contains('{')) {
                &[Object::Own, Object::WardB]
            } else {
                &[Object::Own]
            };
        for (person, browser) in browsers.iter_mut() {
            for &object in objects {
                let path = records.fill(row.pattern, *person, object);
                let fields: Vec<(String, String)> = row
                    .fields
                    .iter()
                    .map(|(n, v)| ((*n).to_owned(), records.fill(v, *person, object)))
                    .collect();
                let what = format!("{person:?} {} {path} {fields:?}", row.method);
                let reply = call(browser, row, &path, &fields).await;
                let got = outcome(&reply, &what);
                let expected = row.rule.expect(*person, object);
                cells += 1;
                if got != expected {
                    wrong.push(format!(
                        "{what}: expected {expected:?}, got {got:?} ({})",
                        reply.status
                    ));
                }
                if row.ends_session {
                    if let Some(contact) = person.contact() {
                        *browser = sign_in(&client, contact).await;
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {cells} cells are wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(cells > 7 * rows.len(), "every person tried every row");
}
on_both_databases!(the_matrix_holds_for_every_address);
