//! The practice sandbox's content: `procedures/portal.toml` and one folder per procedure with
//! its `procedure.toml` and `scenarios.toml`. Loading checks every reference, and proves each
//! scenario against its own procedure with the domain's rules: its right answers pass, and each
//! trap it sets is caught by the score.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use toml::Spanned;

use super::check::{valid_id, Checker, Resolver, Source};
use super::markdown;
use super::{raw, Evidence, L10n, Labels};
use crate::domain::procedure::{
    fee_free_within, score_run, Choices, CrossRule, Field, FieldKind, Finding, Marking, Submission,
    Trap, Values,
};
use crate::domain::vn::Date;
use crate::domain::Cohort;

/// An agency a dossier is filed with, or a way of receiving the result.
#[derive(Clone, Debug)]
pub struct Agency {
    pub id: String,
    pub name: L10n,
}

/// A form field: the domain's rule plus what the learner reads.
#[derive(Clone, Debug)]
pub struct FormField {
    pub field: Field,
    pub label: L10n,
    pub help: Option<L10n>,
    /// (module, lesson) that teaches this field.
    pub lesson: (String, String),
    /// For choices: (value, label).
    pub options: Vec<(String, L10n)>,
}

#[derive(Clone, Debug)]
pub struct Section {
    pub id: String,
    pub title: L10n,
    pub fields: Vec<FormField>,
}

#[derive(Clone, Debug)]
pub struct Document {
    pub id: String,
    pub name: L10n,
    pub when: Option<L10n>,
}

#[derive(Clone, Debug)]
pub struct FeeRule {
    /// Đồng, when not free.
    pub amount: u32,
    /// Free when filed within this many days of the date in this field.
    pub free_within: Option<(u32, String)>,
    pub note: Option<L10n>,
}

#[derive(Clone, Debug)]
pub struct Scenario {
    pub id: String,
    /// 1 easy, 2 medium, 3 hard.
    pub difficulty: u8,
    pub title: L10n,
    /// Rendered, safe HTML per language.
    pub brief_html: L10n,
    pub filing_date: Date,
    /// The right entry per field.
    pub values: Values,
    /// The right agency, way of receiving, fee and documents.
    pub expected: Choices,
    pub traps: Vec<Trap>,
}

#[derive(Clone, Debug)]
pub struct Procedure {
    pub id: String,
    pub version: u32,
    pub code: Option<String>,
    pub title: L10n,
    pub summary: L10n,
    pub cohorts: Vec<Cohort>,
    pub authority: String,
    pub authority_options: Vec<String>,
    pub delivery_options: Vec<String>,
    pub login_field: String,
    pub lesson: (String, String),
    pub time_limit: L10n,
    pub legal_basis: Vec<String>,
    pub evidences: Vec<Evidence>,
    pub exam_minutes: u32,
    pub pass_mark: u32,
    pub fee: FeeRule,
    pub documents: Vec<Document>,
    pub sections: Vec<Section>,
    pub rules: Vec<CrossRule>,
    pub scenarios: Vec<Scenario>,
}

/// The steps of a run that are not form sections, in portal order around the sections.
pub const STEP_LOGIN: &str = "dang-nhap";
pub const STEP_FIND: &str = "tim-thu-tuc";
pub const STEP_DOCUMENTS: &str = "giay-to";
pub const STEP_DELIVERY: &str = "nhan-ket-qua";
pub const STEP_FEE: &str = "le-phi";
pub const STEP_CONFIRM: &str = "xac-nhan";
/// Names the run page itself uses: a field may not take them.
const RESERVED_FIELDS: [&str; 10] = [
    "step",
    "action",
    "login",
    "procedure",
    "authority",
    "documents",
    "delivery",
    "fee",
    "timer",
    "ethnic-groups",
];
const RESERVED_STEPS: [&str; 6] = [
    STEP_LOGIN,
    STEP_FIND,
    STEP_DOCUMENTS,
    STEP_DELIVERY,
    STEP_FEE,
    STEP_CONFIRM,
];

impl Procedure {
    /// Every field of the form, in order.
    pub fn fields(&self) -> Vec<Field> {
        self.form_fields().map(|f| f.field.clone()).collect()
    }

    pub fn form_fields(&self) -> impl Iterator<Item = &FormField> {
        self.sections.iter().flat_map(|s| s.fields.iter())
    }

    pub fn field(&self, id: &str) -> Option<&FormField> {
        self.form_fields().find(|f| f.field.id == id)
    }

    pub fn scenario(&self, id: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.id == id)
    }

    pub fn document(&self, id: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id)
    }

    /// The step ids of a run, in order.
    pub fn steps(&self) -> Vec<&str> {
        let mut steps = vec![STEP_LOGIN, STEP_FIND];
        steps.extend(self.sections.iter().map(|s| s.id.as_str()));
        steps.extend([STEP_DOCUMENTS, STEP_DELIVERY, STEP_FEE, STEP_CONFIRM]);
        steps
    }

    /// How runs are marked: `exam` runs have the time limit, guided ones a cost per hint.
    pub fn marking(&self, exam: bool) -> Marking {
        Marking {
            time_limit: if exam { self.exam_minutes * 60 } else { 0 },
            pass_mark: self.pass_mark,
            ..Marking::default()
        }
    }

    /// The fee due for these values, filed on `filed`.
    pub fn fee_for(&self, values: &Values, filed: Date) -> u32 {
        match &self.fee.free_within {
            Some((days, field)) => match values.get(field).and_then(|v| Date::parse_vn(v).ok()) {
                Some(event) => fee_free_within(event, filed, *days, self.fee.amount),
                None => self.fee.amount,
            },
            None => self.fee.amount,
        }
    }

    pub fn is_for(&self, cohort: Cohort) -> bool {
        self.cohorts.contains(&cohort)
    }
}

impl Scenario {
    /// What a perfect run submits.
    pub fn right_submission(&self) -> Submission {
        Submission {
            values: self.values.clone(),
            choices: self.expected.clone(),
            hints_used: 0,
            seconds: 0,
        }
    }
}

/// Everything under `procedures/`, checked.
#[derive(Clone, Debug, Default)]
pub struct Sandbox {
    pub authorities: Vec<Agency>,
    pub deliveries: Vec<Agency>,
    pub procedures: Vec<Procedure>,
}

impl Sandbox {
    pub fn procedure(&self, id: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.id == id)
    }

    pub fn authority(&self, id: &str) -> Option<&Agency> {
        self.authorities.iter().find(|a| a.id == id)
    }

    pub fn delivery(&self, id: &str) -> Option<&Agency> {
        self.deliveries.iter().find(|a| a.id == id)
    }

    pub fn scenario_count(&self) -> usize {
        self.procedures.iter().map(|p| p.scenarios.len()).sum()
    }
}

fn field_kind(def: &raw::FieldDef) -> Result<FieldKind, String> {
    let kind = match def.kind.get_ref().as_str() {
        "text" => FieldKind::Text,
        "full_name" => FieldKind::FullName,
        "citizen_id" => FieldKind::CitizenId,
        "phone" => FieldKind::Phone,
        "date" => FieldKind::Date,
        "date_in_words" => FieldKind::DateInWords {
            of: def.of.as_ref().map(|o| o.get_ref().clone()).ok_or(
                "a date_in_words field names the date it writes out: add `of = \"field-id\"`",
            )?,
        },
        "sex" => FieldKind::Sex,
        "ethnicity" => FieldKind::Ethnicity,
        "address" => FieldKind::Address,
        "choice" => {
            if def.options.len() < 2 {
                return Err("a choice field needs at least two options".into());
            }
            FieldKind::Choice {
                options: def
                    .options
                    .iter()
                    .map(|o| o.value.get_ref().clone())
                    .collect(),
            }
        }
        "number" => match (def.min, def.max) {
            (Some(min), Some(max)) if min <= max => FieldKind::Number { min, max },
            _ => return Err("a number field needs `min` and `max`, with min ≤ max".into()),
        },
        other => {
            return Err(format!(
                "unknown field type {other:?}: use text, full_name, citizen_id, phone, date, \
                 date_in_words, sex, ethnicity, address, choice or number"
            ))
        }
    };
    Ok(kind)
}

impl Checker {
    /// Loads `procedures/`. `known` lists every module's lessons, for lesson references.
    pub(super) fn load_sandbox(
        &mut self,
        labels: &Labels,
        known: &BTreeMap<String, BTreeSet<String>>,
        competences: &BTreeSet<String>,
    ) -> Sandbox {
        let base = PathBuf::from("procedures");
        if !self.dir.join(&base).is_dir() {
            self.error(&base, 1, "there is no procedures/ folder");
            return Sandbox::default();
        }
        let mut sandbox = Sandbox::default();
        let portal_file = base.join("portal.toml");
        if let Some(text) = self.read(&portal_file) {
            let src = Source::whole(&portal_file, &text);
            if let Some(portal) = self.parse::<raw::Portal>(&src) {
                sandbox.authorities = self.agencies(&src, &portal.authorities);
                sandbox.deliveries = self.agencies(&src, &portal.deliveries);
            }
        }
        let mut folders: Vec<String> = std::fs::read_dir(self.dir.join(&base))
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.path().is_dir())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        folders.sort();
        for folder in folders {
            let context = Context {
                labels,
                known,
                competences,
                sandbox: &sandbox,
            };
            if let Some(p) = self.load_procedure(&base.join(&folder), &folder, &context) {
                sandbox.procedures.push(p);
            }
        }
        sandbox
    }

    fn agencies(&mut self, src: &Source, list: &[raw::Agency]) -> Vec<Agency> {
        let mut seen = BTreeSet::new();
        list.iter()
            .map(|a| {
                let id = a.id.get_ref().clone();
                if !valid_id(&id) {
                    self.error(
                        &src.file,
                        src.line(&a.id),
                        "ids are lower-case words joined by '-'",
                    );
                }
                if !seen.insert(id.clone()) {
                    self.error(&src.file, src.line(&a.id), format!("duplicate id {id:?}"));
                }
                Agency {
                    name: self.text(src, &a.name, "the name"),
                    id,
                }
            })
            .collect()
    }

    /// "module/lesson" → (module, lesson), reporting one that does not exist.
    fn lesson_ref(
        &mut self,
        src: &Source,
        value: &Spanned<String>,
        known: &BTreeMap<String, BTreeSet<String>>,
    ) -> (String, String) {
        let (module, lesson) = value
            .get_ref()
            .split_once('/')
            .map(|(m, l)| (m.to_owned(), l.to_owned()))
            .unwrap_or_default();
        if !known.get(&module).is_some_and(|l| l.contains(&lesson)) {
            self.error(
                &src.file,
                src.line(value),
                format!(
                    "unknown lesson {:?}: write \"module-id/lesson-id\" of an existing lesson",
                    value.get_ref()
                ),
            );
        }
        (module, lesson)
    }

    fn load_procedure(&mut self, base: &Path, folder: &str, cx: &Context) -> Option<Procedure> {
        let file = base.join("procedure.toml");
        let text = self.read_required(
            &file,
            &file,
            "every procedure folder needs a procedure.toml",
        )?;
        let src = Source::whole(&file, &text);
        let raw: raw::Procedure = self.parse(&src)?;
        let id = self.folder_id(&src, &raw.id, folder, "procedure");
        let cohorts = self.cohorts(&src, &raw.cohorts, "procedure");
        let title = self.text(&src, &raw.title, "the procedure's title");
        let summary = self.text(&src, &raw.summary, "the procedure's summary");
        let time_limit = self.text(&src, &raw.time_limit, "the legal time limit");
        let lesson = self.lesson_ref(&src, &raw.lesson, cx.known);
        let evidences = self.evidences(&src, &raw.evidences, cx.competences);

        // Agencies and ways of receiving.
        let agency_list = |checker: &mut Checker,
                           list: &Spanned<Vec<Spanned<String>>>,
                           known: &[Agency],
                           what: &str| {
            if list.get_ref().len() < 2 {
                checker.error(
                    &file,
                    src.line(list),
                    format!("offer at least two {what} to choose from"),
                );
            }
            let mut out = Vec::new();
            for item in list.get_ref() {
                if !known.iter().any(|a| &a.id == item.get_ref()) {
                    checker.error(
                        &file,
                        src.line(item),
                        format!(
                            "unknown {what} {:?}: use an id from procedures/portal.toml",
                            item.get_ref()
                        ),
                    );
                }
                out.push(item.get_ref().clone());
            }
            out
        };
        let authority_options = agency_list(
            self,
            &raw.authority_options,
            &cx.sandbox.authorities,
            "agencies",
        );
        let delivery_options = agency_list(
            self,
            &raw.delivery_options,
            &cx.sandbox.deliveries,
            "ways of receiving",
        );
        if !authority_options.contains(raw.authority.get_ref()) {
            self.error(
                &file,
                src.line(&raw.authority),
                "the right agency must be one of authority_options",
            );
        }

        // Documents.
        let mut documents = Vec::new();
        for d in &raw.documents {
            if !valid_id(d.id.get_ref()) {
                self.error(
                    &file,
                    src.line(&d.id),
                    "ids are lower-case words joined by '-'",
                );
            }
            if documents.iter().any(|x: &Document| &x.id == d.id.get_ref()) {
                self.error(
                    &file,
                    src.line(&d.id),
                    format!("duplicate document id {:?}", d.id.get_ref()),
                );
            }
            documents.push(Document {
                id: d.id.get_ref().clone(),
                name: self.text(&src, &d.name, "the document's name"),
                when: d
                    .when
                    .as_ref()
                    .map(|w| self.text(&src, w, "the document's note")),
            });
        }

        // Sections and fields.
        let mut sections = Vec::new();
        let mut field_ids: BTreeMap<String, usize> = BTreeMap::new();
        if raw.sections.get_ref().is_empty() {
            self.error(
                &file,
                src.line(&raw.sections),
                "a form needs at least one section",
            );
        }
        let mut section_ids = BTreeSet::new();
        for s in raw.sections.get_ref() {
            let sid = s.id.get_ref().clone();
            let line = src.line(&s.id);
            if !valid_id(&sid) {
                self.error(&file, line, "ids are lower-case words joined by '-'");
            }
            if RESERVED_STEPS.contains(&sid.as_str()) {
                self.error(
                    &file,
                    line,
                    format!("{sid:?} names a step of the portal: choose another section id"),
                );
            }
            if !section_ids.insert(sid.clone()) {
                self.error(&file, line, format!("duplicate section id {sid:?}"));
            }
            if s.fields.is_empty() {
                self.error(&file, line, "a section needs at least one field");
            }
            let mut fields = Vec::new();
            for def in &s.fields {
                let fid = def.id.get_ref().clone();
                let fline = src.line(&def.id);
                if !valid_id(&fid) {
                    self.error(&file, fline, "ids are lower-case words joined by '-'");
                }
                let clashes_with_document = fid
                    .strip_prefix("doc-")
                    .is_some_and(|d| documents.iter().any(|x: &Document| x.id == d));
                if RESERVED_FIELDS.contains(&fid.as_str()) || clashes_with_document {
                    self.error(
                        &file,
                        fline,
                        format!("{fid:?} is a name the run page uses: choose another field id"),
                    );
                }
                if field_ids.insert(fid.clone(), fline).is_some() {
                    self.error(&file, fline, format!("duplicate field id {fid:?}"));
                }
                let kind = match field_kind(def) {
                    Ok(kind) => kind,
                    Err(message) => {
                        self.error(&file, src.line(&def.kind), message);
                        FieldKind::Text
                    }
                };
                if !matches!(kind, FieldKind::Choice { .. }) && !def.options.is_empty() {
                    self.error(&file, fline, "only a choice field has options");
                }
                let mut values = BTreeSet::new();
                let options = def
                    .options
                    .iter()
                    .map(|o| {
                        if !values.insert(o.value.get_ref().clone()) {
                            self.error(
                                &file,
                                src.line(&o.value),
                                format!("duplicate option {:?}", o.value.get_ref()),
                            );
                        }
                        (
                            o.value.get_ref().clone(),
                            self.text(&src, &o.label, "the option's label"),
                        )
                    })
                    .collect();
                let field_lesson = match &def.lesson {
                    Some(l) => self.lesson_ref(&src, l, cx.known),
                    None => lesson.clone(),
                };
                fields.push(FormField {
                    field: Field {
                        id: fid,
                        kind,
                        required: def.required.unwrap_or(true),
                    },
                    label: self.text(&src, &def.label, "the field's label"),
                    help: def
                        .help
                        .as_ref()
                        .map(|h| self.text(&src, h, "the field's help")),
                    lesson: field_lesson,
                    options,
                });
            }
            sections.push(Section {
                id: sid,
                title: self.text(&src, &s.title, "the section's title"),
                fields,
            });
        }
        let all_fields: Vec<&FormField> = sections.iter().flat_map(|s| s.fields.iter()).collect();
        let kind_of = |id: &str| {
            all_fields
                .iter()
                .find(|f| f.field.id == id)
                .map(|f| f.field.kind.clone())
        };
        // References between fields.
        for f in &all_fields {
            if let FieldKind::DateInWords { of } = &f.field.kind {
                if kind_of(of) != Some(FieldKind::Date) {
                    let line = field_ids.get(&f.field.id).copied().unwrap_or(1);
                    self.error(&file, line, format!("`of = {of:?}` must name a date field"));
                }
            }
        }
        if kind_of(raw.login_field.get_ref()) != Some(FieldKind::CitizenId) {
            self.error(
                &file,
                src.line(&raw.login_field),
                "login_field must name a citizen_id field: the account's personal ID",
            );
        }
        let check_ref = |checker: &mut Checker,
                         r: &Option<Spanned<String>>,
                         key: &str,
                         want: FieldKind,
                         rule_line: usize|
         -> String {
            match r {
                None => {
                    checker.error(&file, rule_line, format!("this rule needs `{key}`"));
                    String::new()
                }
                Some(r) => {
                    let id = r.get_ref().clone();
                    let kind = kind_of(&id);
                    if kind.is_none() {
                        checker.error(&file, src.line(r), format!("unknown field {id:?}"));
                    } else if kind != Some(want.clone()) {
                        checker.error(
                            &file,
                            src.line(r),
                            format!("`{key}` must name a field of type {}", kind_name(&want)),
                        );
                    }
                    id
                }
            }
        };
        let mut rules = Vec::new();
        for r in &raw.rules {
            let line = src.line(&r.kind);
            let rule = match r.kind.get_ref().as_str() {
                "id_matches_person" => CrossRule::IdMatchesPerson {
                    id: check_ref(self, &r.id, "id", FieldKind::CitizenId, line),
                    sex: check_ref(self, &r.sex, "sex", FieldKind::Sex, line),
                    birth_date: check_ref(self, &r.birth_date, "birth_date", FieldKind::Date, line),
                },
                "not_after" => CrossRule::NotAfter {
                    earlier: check_ref(self, &r.earlier, "earlier", FieldKind::Date, line),
                    later: check_ref(self, &r.later, "later", FieldKind::Date, line),
                },
                "younger_than" => {
                    let years = r.years.unwrap_or(0);
                    if years == 0 {
                        self.error(&file, line, "younger_than needs `years`, at least 1");
                    }
                    CrossRule::YoungerThan {
                        birth_date: check_ref(
                            self,
                            &r.birth_date,
                            "birth_date",
                            FieldKind::Date,
                            line,
                        ),
                        years,
                    }
                }
                other => {
                    self.error(
                        &file,
                        line,
                        format!(
                            "unknown rule type {other:?}: use id_matches_person, not_after or younger_than"
                        ),
                    );
                    continue;
                }
            };
            rules.push(rule);
        }

        // Fee.
        let fee_raw = raw.fee.get_ref();
        let free_within = match (&fee_raw.free_within_days, &fee_raw.from_field) {
            (Some(days), Some(from)) => {
                if kind_of(from.get_ref()) != Some(FieldKind::Date) {
                    self.error(&file, src.line(from), "from_field must name a date field");
                }
                Some((*days.get_ref(), from.get_ref().clone()))
            }
            (None, None) => None,
            _ => {
                self.error(
                    &file,
                    src.line(&raw.fee),
                    "free_within_days and from_field go together",
                );
                None
            }
        };
        let fee = FeeRule {
            amount: fee_raw.amount,
            free_within,
            note: fee_raw
                .note
                .as_ref()
                .map(|n| self.text(&src, n, "the fee note")),
        };
        let pass_mark = raw.pass_mark.as_ref().map(|p| *p.get_ref()).unwrap_or(80);
        if !(1..=100).contains(&pass_mark) {
            let line = raw.pass_mark.as_ref().map(|p| src.line(p)).unwrap_or(1);
            self.error(&file, line, "pass_mark is a percentage from 1 to 100");
        }
        if !(1..=120).contains(raw.exam_minutes.get_ref()) {
            self.error(
                &file,
                src.line(&raw.exam_minutes),
                "exam_minutes is from 1 to 120",
            );
        }

        let mut procedure = Procedure {
            id,
            version: raw.version,
            code: raw.code.clone(),
            title,
            summary,
            cohorts,
            authority: raw.authority.get_ref().clone(),
            authority_options,
            delivery_options,
            login_field: raw.login_field.get_ref().clone(),
            lesson,
            time_limit,
            legal_basis: raw.legal_basis.clone(),
            evidences,
            exam_minutes: *raw.exam_minutes.get_ref(),
            pass_mark,
            fee,
            documents,
            sections,
            rules,
            scenarios: Vec::new(),
        };
        procedure.scenarios = self.load_scenarios(base, &procedure, cx);
        Some(procedure)
    }

    fn load_scenarios(&mut self, base: &Path, p: &Procedure, cx: &Context) -> Vec<Scenario> {
        let file = base.join("scenarios.toml");
        if !self.dir.join(&file).exists() {
            self.error(
                &file,
                1,
                "every procedure needs a scenarios.toml with its practice cases",
            );
            return Vec::new();
        }
        let Some(text) = self.read(&file) else {
            return Vec::new();
        };
        let src = Source::whole(&file, &text);
        let Some(raw) = self.parse::<raw::Scenarios>(&src) else {
            return Vec::new();
        };
        if raw.scenarios.is_empty() {
            self.error(&file, 1, "write at least one scenario");
        }
        let fields = p.fields();
        let resolver = Resolver {
            module: String::new(),
            known: cx.known,
            assets: BTreeSet::new(),
        };
        let mut ids = BTreeSet::new();
        let mut out = Vec::new();
        for s in &raw.scenarios {
            let id = s.id.get_ref().clone();
            let line = src.line(&s.id);
            if !valid_id(&id) {
                self.error(&file, line, "ids are lower-case words joined by '-'");
            }
            if !ids.insert(id.clone()) {
                self.error(&file, line, format!("duplicate scenario id {id:?}"));
            }
            if !(1..=3).contains(s.difficulty.get_ref()) {
                self.error(
                    &file,
                    src.line(&s.difficulty),
                    "difficulty is 1 (easy), 2 (medium) or 3 (hard)",
                );
            }
            let title = self.text(&src, &s.title, "the scenario's title");
            let brief = self.text(&src, &s.brief, "the brief");
            let filing_date = match Date::parse_vn(s.filing_date.get_ref()) {
                Ok(d) => d,
                Err(_) => {
                    self.error(
                        &file,
                        src.line(&s.filing_date),
                        "filing_date is a real date written dd/mm/yyyy",
                    );
                    continue;
                }
            };
            // Values: only known fields, every required field given.
            let mut values = Values::new();
            for (key, value) in s.values.get_ref() {
                if p.field(key).is_none() {
                    self.error(&file, src.line(value), format!("unknown field {key:?}"));
                }
                values.insert(key.clone(), value.get_ref().clone());
            }
            if values
                .get(&p.login_field)
                .is_none_or(|v| v.trim().is_empty())
            {
                self.error(
                    &file,
                    src.line(&s.values),
                    format!(
                        "scenario {id:?} gives no value for {:?}, the account it logs in with",
                        p.login_field
                    ),
                );
            }
            for f in &fields {
                if f.required && values.get(&f.id).is_none_or(|v| v.trim().is_empty()) {
                    self.error(
                        &file,
                        src.line(&s.values),
                        format!(
                            "scenario {id:?} gives no value for the required field {:?}",
                            f.id
                        ),
                    );
                }
            }
            // Choices.
            let authority = match &s.authority {
                Some(a) => {
                    if !p.authority_options.contains(a.get_ref()) {
                        self.error(
                            &file,
                            src.line(a),
                            "the agency must be one of the procedure's authority_options",
                        );
                    }
                    a.get_ref().clone()
                }
                None => p.authority.clone(),
            };
            if !p.delivery_options.contains(s.delivery.get_ref()) {
                self.error(
                    &file,
                    src.line(&s.delivery),
                    "the way of receiving must be one of the procedure's delivery_options",
                );
            }
            let mut documents = BTreeSet::new();
            for d in s.documents.get_ref() {
                if p.document(d.get_ref()).is_none() {
                    self.error(
                        &file,
                        src.line(d),
                        format!("unknown document {:?}", d.get_ref()),
                    );
                }
                documents.insert(d.get_ref().clone());
            }
            let fee = match &s.fee {
                Some(fee) => *fee.get_ref(),
                None => p.fee_for(&values, filing_date),
            };
            let expected = Choices {
                authority,
                delivery: s.delivery.get_ref().clone(),
                fee,
                documents,
            };
            let traps: Vec<Trap> = s
                .traps
                .get_ref()
                .iter()
                .map(|t| t.get_ref().clone())
                .collect();
            if traps.is_empty() {
                self.error(
                    &file,
                    src.line(&s.traps),
                    "set at least one trap: a common mistake this case invites",
                );
            }
            let scenario = Scenario {
                id: id.clone(),
                difficulty: *s.difficulty.get_ref(),
                title,
                brief_html: L10n {
                    vi: markdown::render(&brief.vi, &cx.labels.vi, &resolver),
                    en: brief
                        .en
                        .as_ref()
                        .map(|b| markdown::render(b, &cx.labels.en, &resolver)),
                },
                filing_date,
                values,
                expected,
                traps,
            };
            // Proof against the procedure's own rules.
            let score = |submission: &Submission| {
                score_run(
                    &fields,
                    &p.rules,
                    &scenario.values,
                    &scenario.expected,
                    submission,
                    scenario.filing_date,
                    p.marking(false),
                )
            };
            let right = scenario.right_submission();
            let right_score = score(&right);
            if right_score.points != right_score.max || !right_score.passed {
                for finding in &right_score.findings {
                    let what = match finding {
                        Finding::FieldRight { .. } => continue,
                        Finding::RuleBroken(p) => {
                            format!("the value of {:?} breaks a rule ({:?})", p.field, p.problem)
                        }
                        Finding::FieldWrong { field, .. } => {
                            format!("the value of {field:?} is not accepted")
                        }
                        other => format!("{other:?}"),
                    };
                    let line = match finding {
                        Finding::RuleBroken(p) => s
                            .values
                            .get_ref()
                            .get(&p.field)
                            .map(|v| src.line(v))
                            .unwrap_or_else(|| src.line(&s.values)),
                        _ => src.line(&s.values),
                    };
                    self.error(
                        &file,
                        line,
                        format!("scenario {id:?}: its own right answers fail: {what}"),
                    );
                }
            }
            for (trap, raw_trap) in scenario.traps.iter().zip(s.traps.get_ref()) {
                let tline = src.line(raw_trap);
                if let Some(field) = trap.field() {
                    if p.field(field).is_none() {
                        self.error(
                            &file,
                            tline,
                            format!("the trap names an unknown field {field:?}"),
                        );
                        continue;
                    }
                }
                let fallen = trap.fall_into(&right);
                if fallen == right {
                    self.error(&file, tline, "this trap changes nothing in a right answer");
                } else if !trap.is_caught_by(&score(&fallen)) {
                    self.error(
                        &file,
                        tline,
                        "no rule catches this trap: a learner who falls into it would not be told",
                    );
                } else if !trap.fell_for(&fallen, &scenario.values) {
                    self.error(
                        &file,
                        tline,
                        "the review would not name this trap when a learner falls into it",
                    );
                }
            }
            out.push(scenario);
        }
        out
    }
}

struct Context<'a> {
    labels: &'a Labels,
    known: &'a BTreeMap<String, BTreeSet<String>>,
    competences: &'a BTreeSet<String>,
    sandbox: &'a Sandbox,
}

fn kind_name(kind: &FieldKind) -> &'static str {
    match kind {
        FieldKind::Text => "text",
        FieldKind::FullName => "full_name",
        FieldKind::CitizenId => "citizen_id",
        FieldKind::Phone => "phone",
        FieldKind::Date => "date",
        FieldKind::DateInWords { .. } => "date_in_words",
        FieldKind::Sex => "sex",
        FieldKind::Ethnicity => "ethnicity",
        FieldKind::Address => "address",
        FieldKind::Choice { .. } => "choice",
        FieldKind::Number { .. } => "number",
    }
}
