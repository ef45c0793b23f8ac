//! Public-service procedures as rules: the fields of a declaration form, what each accepts, the
//! rules that tie fields together, and how a practice run is scored against its scenario.
//!
//! The same code checks a field as the learner types (in the browser) and scores the submitted
//! run (on the server). Labels and help texts live in the content, not here.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::account::parse_phone;
use super::citizen_id::{CitizenId, CitizenIdError, Sex};
use super::text::{fold_tone_placement, normalize};
use super::vn::{parse_ethnicity, same_date_words, Date, DateError, EthnicityError};
use super::FullName;

/// What a form field accepts. (Serde's default, externally tagged form: it is the cheapest to
/// read in the browser, where islands receive it.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldKind {
    Text,
    FullName,
    CitizenId,
    Phone,
    /// dd/mm/yyyy.
    Date,
    /// The date of field `of`, written in words.
    DateInWords {
        of: String,
    },
    /// "nam" or "nu" (male or female).
    Sex,
    Ethnicity,
    /// An address written with the two-tier units in force since 1 July 2025.
    Address,
    /// One of the listed option codes.
    Choice {
        options: Vec<String>,
    },
    /// A whole number within bounds.
    Number {
        min: i64,
        max: i64,
    },
}

/// One field of a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub id: String,
    pub kind: FieldKind,
    pub required: bool,
}

/// A rule between fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CrossRule {
    /// The personal ID in `id` agrees with the sex in `sex` and the birth year of the date in
    /// `birth_date`.
    IdMatchesPerson {
        id: String,
        sex: String,
        birth_date: String,
    },
    /// The date in `earlier` is not after the date in `later`.
    NotAfter { earlier: String, later: String },
    /// The person born on `birth_date` is younger than `years` on the filing date (for
    /// example the bundled procedure's health-insurance card for a child under 6).
    YoungerThan { birth_date: String, years: u8 },
}

/// What is wrong with one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Missing,
    NotAName,
    NotAPhone,
    NotADate,
    NoSuchDay,
    NotAnId(IdProblem),
    NotAnEthnicity,
    /// "Việt Nam" in the ethnicity box: a nationality, not an ethnic group.
    NationalityAsEthnicity,
    /// A district (quận, huyện, thị xã) in an address: districts were abolished on 1 July 2025.
    AbolishedDistrict,
    /// The date in words does not say the same date as the digits.
    WordsDoNotMatch,
    NotAnOption,
    OutOfRange,
    /// The personal ID does not match the person's sex.
    IdSexMismatch,
    /// The personal ID does not match the person's birth year.
    IdBirthYearMismatch,
    /// A date that must not come after another does.
    DateOrder,
    /// The person is too old for this procedure.
    TooOld,
}

/// Why a personal ID is malformed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdProblem {
    Length,
    Digits,
    Province,
}

/// A problem with a field, by field id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    pub problem: Problem,
}

/// The values a learner entered, by field id.
pub type Values = BTreeMap<String, String>;

const SEX_CODES: [&str; 2] = ["nam", "nu"];

/// Checks one field's value on its own (what instant feedback shows as the learner types).
pub fn check_field(field: &Field, value: &str, values: &Values) -> Option<Problem> {
    let value = value.trim();
    if value.is_empty() {
        return field.required.then_some(Problem::Missing);
    }
    match &field.kind {
        FieldKind::Text => None,
        FieldKind::FullName => FullName::parse(value).err().map(|_| Problem::NotAName),
        FieldKind::CitizenId => CitizenId::parse(value).err().map(|e| match e {
            CitizenIdError::WrongLength => Problem::NotAnId(IdProblem::Length),
            CitizenIdError::NotDigits => Problem::NotAnId(IdProblem::Digits),
            _ => Problem::NotAnId(IdProblem::Province),
        }),
        FieldKind::Phone => parse_phone(value).err().map(|_| Problem::NotAPhone),
        FieldKind::Date => Date::parse_vn(value).err().map(|e| match e {
            DateError::Format => Problem::NotADate,
            DateError::NoSuchDay => Problem::NoSuchDay,
        }),
        FieldKind::DateInWords { of } => {
            let date = values.get(of).and_then(|d| Date::parse_vn(d).ok())?;
            (!date.matches_words(value)).then_some(Problem::WordsDoNotMatch)
        }
        FieldKind::Sex => (!SEX_CODES.contains(&value)).then_some(Problem::NotAnOption),
        FieldKind::Ethnicity => parse_ethnicity(value).err().map(|e| match e {
            EthnicityError::Nationality => Problem::NationalityAsEthnicity,
            EthnicityError::Unknown => Problem::NotAnEthnicity,
        }),
        FieldKind::Address => names_abolished_district(value).then_some(Problem::AbolishedDistrict),
        FieldKind::Choice { options } => {
            (!options.iter().any(|o| o == value)).then_some(Problem::NotAnOption)
        }
        FieldKind::Number { min, max } => match value.parse::<i64>() {
            Ok(n) if (*min..=*max).contains(&n) => None,
            _ => Some(Problem::OutOfRange),
        },
    }
}

/// Whether an address still names a district-level unit.
pub fn names_abolished_district(address: &str) -> bool {
    let folded = fold_tone_placement(&normalize(address)).to_lowercase();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().enumerate().any(|(i, w)| {
        matches!(*w, "quận" | "huyện") || (*w == "thị" && words.get(i + 1) == Some(&"xã"))
    })
}

/// Checks every field and every cross-field rule. `filing_date` is the day the run is filed.
pub fn validate(
    fields: &[Field],
    rules: &[CrossRule],
    values: &Values,
    filing_date: Date,
) -> Vec<FieldProblem> {
    let mut problems: Vec<FieldProblem> = fields
        .iter()
        .filter_map(|f| {
            let value = values.get(&f.id).map(String::as_str).unwrap_or("");
            check_field(f, value, values).map(|problem| FieldProblem {
                field: f.id.clone(),
                problem,
            })
        })
        .collect();
    let has_problem = |problems: &[FieldProblem], id: &str| problems.iter().any(|p| p.field == id);
    let date = |id: &str| values.get(id).and_then(|v| Date::parse_vn(v).ok());
    for rule in rules {
        let found = match rule {
            CrossRule::IdMatchesPerson {
                id,
                sex,
                birth_date,
            } => {
                if has_problem(&problems, id) {
                    None
                } else {
                    let person_sex = match values.get(sex).map(|s| s.trim()) {
                        Some("nam") => Some(Sex::Male),
                        Some("nu") => Some(Sex::Female),
                        _ => None,
                    };
                    match (values.get(id), person_sex, date(birth_date)) {
                        (Some(value), Some(s), Some(born)) => {
                            match CitizenId::parse_for(value, s, born.year) {
                                Err(CitizenIdError::SexMismatch) => {
                                    Some((id, Problem::IdSexMismatch))
                                }
                                Err(CitizenIdError::BirthYearMismatch) => {
                                    Some((id, Problem::IdBirthYearMismatch))
                                }
                                _ => None,
                            }
                        }
                        _ => None,
                    }
                }
            }
            CrossRule::NotAfter { earlier, later } => match (date(earlier), date(later)) {
                (Some(a), Some(b)) if a > b => Some((earlier, Problem::DateOrder)),
                _ => None,
            },
            CrossRule::YoungerThan { birth_date, years } => match date(birth_date) {
                Some(born) if born.age_on(filing_date) >= i64::from(*years) => {
                    Some((birth_date, Problem::TooOld))
                }
                _ => None,
            },
        };
        if let Some((field, problem)) = found {
            problems.push(FieldProblem {
                field: field.clone(),
                problem,
            });
        }
    }
    problems
}

/// How a field's value is compared with the scenario's expected value.
pub fn same_value(kind: &FieldKind, given: &str, expected: &str) -> bool {
    let fold = |s: &str| fold_tone_placement(&normalize(s)).to_lowercase();
    match kind {
        FieldKind::CitizenId => {
            let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
            digits(given) == digits(expected)
        }
        FieldKind::Phone => match (parse_phone(given), parse_phone(expected)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        },
        FieldKind::Date => match (Date::parse_vn(given), Date::parse_vn(expected)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        },
        // Any accepted wording of the same date is right.
        FieldKind::DateInWords { .. } => same_date_words(given, expected),
        FieldKind::Ethnicity => match (parse_ethnicity(given), parse_ethnicity(expected)) {
            (Ok(a), Ok(b)) => a == b,
            _ => fold(given) == fold(expected),
        },
        _ => fold(given) == fold(expected),
    }
}

/// What a scenario expects the learner to choose besides the form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choices {
    pub authority: String,
    pub delivery: String,
    /// The fee in đồng.
    pub fee: u32,
    pub documents: BTreeSet<String>,
}

/// One line of a run's score: what was checked, how many points it was worth and earned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Finding {
    FieldRight {
        field: String,
    },
    FieldWrong {
        field: String,
        expected: String,
        given: String,
    },
    RuleBroken(FieldProblem),
    DocumentMissing(String),
    DocumentNotNeeded(String),
    WrongAuthority {
        expected: String,
        given: String,
    },
    WrongDelivery {
        expected: String,
        given: String,
    },
    WrongFee {
        expected: u32,
        given: u32,
    },
    HintsUsed(u32),
    OverTime {
        seconds: u32,
        limit: u32,
    },
}

/// The explained score of a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunScore {
    pub findings: Vec<Finding>,
    pub points: u32,
    pub max: u32,
    pub percent: u32,
    pub passed: bool,
}

/// How a run is marked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marking {
    /// Points per correct field; the other checks are worth one each.
    pub field_points: u32,
    /// Points lost per hint used (guided mode).
    pub hint_penalty: u32,
    /// Time limit in seconds (exam mode); 0 for none.
    pub time_limit: u32,
    pub pass_mark: u32,
}

impl Default for Marking {
    fn default() -> Self {
        Marking {
            field_points: 2,
            hint_penalty: 1,
            time_limit: 0,
            pass_mark: 80,
        }
    }
}

/// Everything a learner submitted in a run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub values: Values,
    pub choices: Choices,
    pub hints_used: u32,
    pub seconds: u32,
}

/// Scores a submitted run against what its scenario expects. Each field the scenario names is
/// worth `field_points`; authority, delivery and fee one each; each required document one. Rule
/// violations and wrong fields are listed; hints and overtime cost points. A run that breaks a
/// rule does not pass, whatever its percentage: the dossier would be sent back.
#[allow(clippy::too_many_arguments)]
pub fn score_run(
    fields: &[Field],
    rules: &[CrossRule],
    expected_values: &Values,
    expected: &Choices,
    submission: &Submission,
    filing_date: Date,
    marking: Marking,
) -> RunScore {
    let mut findings = Vec::new();
    let mut points: u32 = 0;
    let mut max: u32 = 0;
    let problems = validate(fields, rules, &submission.values, filing_date);
    for field in fields {
        let Some(want) = expected_values.get(&field.id) else {
            continue;
        };
        max += marking.field_points;
        let given = submission
            .values
            .get(&field.id)
            .cloned()
            .unwrap_or_default();
        let broken = problems.iter().any(|p| p.field == field.id);
        if !broken && same_value(&field.kind, &given, want) {
            points += marking.field_points;
            findings.push(Finding::FieldRight {
                field: field.id.clone(),
            });
        } else {
            findings.push(Finding::FieldWrong {
                field: field.id.clone(),
                expected: want.clone(),
                given,
            });
        }
    }
    findings.extend(problems.into_iter().map(Finding::RuleBroken));

    let mut check = |ok: bool, finding: Finding, findings: &mut Vec<Finding>| {
        max += 1;
        if ok {
            points += 1;
        } else {
            findings.push(finding);
        }
    };
    let given = &submission.choices;
    check(
        fold_eq(&given.authority, &expected.authority),
        Finding::WrongAuthority {
            expected: expected.authority.clone(),
            given: given.authority.clone(),
        },
        &mut findings,
    );
    check(
        fold_eq(&given.delivery, &expected.delivery),
        Finding::WrongDelivery {
            expected: expected.delivery.clone(),
            given: given.delivery.clone(),
        },
        &mut findings,
    );
    check(
        given.fee == expected.fee,
        Finding::WrongFee {
            expected: expected.fee,
            given: given.fee,
        },
        &mut findings,
    );
    for doc in &expected.documents {
        check(
            given.documents.contains(doc),
            Finding::DocumentMissing(doc.clone()),
            &mut findings,
        );
    }
    for doc in given.documents.difference(&expected.documents) {
        // An unneeded document costs a point: the desk would send it back.
        points = points.saturating_sub(1);
        findings.push(Finding::DocumentNotNeeded(doc.clone()));
    }
    if submission.hints_used > 0 {
        points = points.saturating_sub(submission.hints_used * marking.hint_penalty);
        findings.push(Finding::HintsUsed(submission.hints_used));
    }
    if marking.time_limit > 0 && submission.seconds > marking.time_limit {
        let over = submission.seconds - marking.time_limit;
        // One point per started minute over the limit.
        points = points.saturating_sub(over.div_ceil(60));
        findings.push(Finding::OverTime {
            seconds: submission.seconds,
            limit: marking.time_limit,
        });
    }
    let percent = (points * 100).checked_div(max).unwrap_or(0);
    // A dossier that breaks a rule would be sent back by the desk: it cannot pass.
    let rule_broken = findings.iter().any(|f| matches!(f, Finding::RuleBroken(_)));
    RunScore {
        findings,
        points,
        max,
        percent,
        passed: max > 0 && percent >= marking.pass_mark && !rule_broken,
    }
}

fn fold_eq(a: &str, b: &str) -> bool {
    let fold = |s: &str| fold_tone_placement(&normalize(s)).to_lowercase();
    fold(a) == fold(b)
}

/// The common applicant mistakes a scenario can set as a trap. Each knows how to make a right
/// submission fall into it, so the content checker can prove that the procedure's rules catch it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Trap {
    /// "Việt Nam" written as the ethnicity.
    EthnicityVietNam { field: String },
    /// "Other" chosen as the relationship instead of the right one.
    RelationshipOther { field: String, other: String },
    /// The date of birth in words left out.
    DateInWordsLeftOut { field: String },
    /// A pre-2025 district named in an address.
    OldDistrict { field: String, district: String },
    /// Two digits of a personal ID swapped (positions 0-based).
    TransposedId {
        field: String,
        first: usize,
        second: usize,
    },
    /// Nguyên quán (ancestral origin) written where quê quán (hometown) is asked.
    HometownConfusion { field: String, ancestral: String },
    /// A fee believed from hearsay.
    WrongFee { fee: u32 },
}

impl Trap {
    /// The field the trap is about, if it is about a field.
    pub fn field(&self) -> Option<&str> {
        match self {
            Trap::EthnicityVietNam { field }
            | Trap::RelationshipOther { field, .. }
            | Trap::DateInWordsLeftOut { field }
            | Trap::OldDistrict { field, .. }
            | Trap::TransposedId { field, .. }
            | Trap::HometownConfusion { field, .. } => Some(field),
            Trap::WrongFee { .. } => None,
        }
    }

    /// `submission` changed the way a learner who falls into the trap changes it.
    pub fn fall_into(&self, submission: &Submission) -> Submission {
        let mut fallen = submission.clone();
        let mut set = |field: &str, value: String| {
            fallen.values.insert(field.to_owned(), value);
        };
        match self {
            Trap::EthnicityVietNam { field } => set(field, "Việt Nam".to_owned()),
            Trap::RelationshipOther { field, other } => set(field, other.clone()),
            Trap::DateInWordsLeftOut { field } => set(field, String::new()),
            Trap::OldDistrict { field, district } => {
                let address = submission.values.get(field).cloned().unwrap_or_default();
                set(field, format!("{address}, {district}"));
            }
            Trap::TransposedId {
                field,
                first,
                second,
            } => {
                let mut digits: Vec<char> = submission
                    .values
                    .get(field)
                    .map(|v| v.chars().filter(char::is_ascii_digit).collect())
                    .unwrap_or_default();
                if *first < digits.len() && *second < digits.len() {
                    digits.swap(*first, *second);
                }
                set(field, digits.into_iter().collect());
            }
            Trap::HometownConfusion { field, ancestral } => set(field, ancestral.clone()),
            Trap::WrongFee { fee } => fallen.choices.fee = *fee,
        }
        fallen
    }

    /// Whether a submission made this very mistake (not just any mistake in the same field):
    /// what the review tells the learner. `right` are the scenario's right values.
    pub fn fell_for(&self, submission: &Submission, right: &Values) -> bool {
        let given = |field: &str| {
            submission
                .values
                .get(field)
                .map(|v| v.trim().to_owned())
                .unwrap_or_default()
        };
        let fold = |s: &str| fold_tone_placement(&normalize(s)).to_lowercase();
        match self {
            Trap::EthnicityVietNam { field } => matches!(
                parse_ethnicity(&given(field)),
                Err(EthnicityError::Nationality)
            ),
            Trap::RelationshipOther { field, other } => given(field) == *other,
            Trap::DateInWordsLeftOut { field } => given(field).is_empty(),
            Trap::OldDistrict { field, .. } => names_abolished_district(&given(field)),
            Trap::TransposedId { field, .. } => {
                let digits = |s: &str| {
                    let mut d: Vec<char> = s.chars().filter(char::is_ascii_digit).collect();
                    let unsorted = d.iter().collect::<String>();
                    d.sort_unstable();
                    (unsorted, d)
                };
                let (typed, typed_sorted) = digits(&given(field));
                let (want, want_sorted) =
                    digits(right.get(field).map(String::as_str).unwrap_or(""));
                // The same digits in another order.
                typed != want && typed_sorted == want_sorted
            }
            Trap::HometownConfusion { field, ancestral } => {
                let typed = fold(&given(field));
                !typed.is_empty() && typed.contains(&fold(ancestral))
            }
            Trap::WrongFee { fee } => submission.choices.fee == *fee,
        }
    }

    /// Whether a score reports this trap: the field is marked wrong or breaks a rule, or the fee
    /// is marked wrong.
    pub fn is_caught_by(&self, score: &RunScore) -> bool {
        match (self, self.field()) {
            (Trap::WrongFee { .. }, _) => score
                .findings
                .iter()
                .any(|f| matches!(f, Finding::WrongFee { .. })),
            (_, Some(field)) => score.findings.iter().any(|f| match f {
                Finding::FieldWrong { field: wrong, .. } => wrong == field,
                Finding::RuleBroken(problem) => problem.field == field,
                _ => false,
            }),
            (_, None) => false,
        }
    }
}

/// Reads an amount of money as people type it: "8000", "8.000", "8,000 đ", "8.000 đồng".
/// Returns None when it is not a whole number of đồng.
pub fn parse_money(input: &str) -> Option<u32> {
    let lowered = input.trim().to_lowercase();
    let number = lowered
        .trim_end_matches("đồng")
        .trim_end_matches("vnđ")
        .trim_end_matches("vnd")
        .trim_end_matches('đ')
        .trim();
    if number.is_empty() {
        return None;
    }
    let digits: String = number
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}'))
        .collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The fee of a procedure that is free within `free_days` of an event (e.g. birth registration
/// within 60 days of the birth), and `late_fee` after.
pub fn fee_free_within(event: Date, filed: Date, free_days: u32, late_fee: u32) -> u32 {
    if event.days_until(filed) <= i64::from(free_days) {
        0
    } else {
        late_fee
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn birth_form() -> (Vec<Field>, Vec<CrossRule>) {
        let f = |id: &str, kind: FieldKind| Field {
            id: id.into(),
            kind,
            required: true,
        };
        (
            vec![
                f("child_name", FieldKind::FullName),
                f("birth_date", FieldKind::Date),
                f(
                    "birth_date_words",
                    FieldKind::DateInWords {
                        of: "birth_date".into(),
                    },
                ),
                f("sex", FieldKind::Sex),
                f("ethnicity", FieldKind::Ethnicity),
                f(
                    "relationship",
                    FieldKind::Choice {
                        options: vec!["ban_than".into(), "cha_me".into(), "khac".into()],
                    },
                ),
                f("declarant_id", FieldKind::CitizenId),
                f("declarant_sex", FieldKind::Sex),
                f("declarant_birth", FieldKind::Date),
                f("residence", FieldKind::Address),
                f("hometown", FieldKind::Text),
                f("phone", FieldKind::Phone),
            ],
            vec![
                CrossRule::IdMatchesPerson {
                    id: "declarant_id".into(),
                    sex: "declarant_sex".into(),
                    birth_date: "declarant_birth".into(),
                },
                CrossRule::NotAfter {
                    earlier: "declarant_birth".into(),
                    later: "birth_date".into(),
                },
                CrossRule::YoungerThan {
                    birth_date: "birth_date".into(),
                    years: 6,
                },
            ],
        )
    }

    fn right_values() -> Values {
        [
            ("child_name", "Nguyễn Minh Khang"),
            ("birth_date", "15/03/2025"),
            (
                "birth_date_words",
                "Ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi lăm",
            ),
            ("sex", "nam"),
            ("ethnicity", "Kinh"),
            ("relationship", "cha_me"),
            ("declarant_id", "001092012345"),
            ("declarant_sex", "nam"),
            ("declarant_birth", "02/09/1992"),
            ("residence", "Số 12 ngõ 5 phố Láng, Phường Láng, Hà Nội"),
            ("hometown", "Hà Nội"),
            ("phone", "0912345678"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    fn filing() -> Date {
        Date::new(2025, 4, 1).unwrap()
    }

    fn choices() -> Choices {
        Choices {
            authority: "ubnd-xa".into(),
            delivery: "truc-tuyen".into(),
            fee: 0,
            documents: ["giay-chung-sinh".to_owned()].into_iter().collect(),
        }
    }

    fn run(values: Values, choices: Choices) -> RunScore {
        let (fields, rules) = birth_form();
        score_run(
            &fields,
            &rules,
            &right_values(),
            &self::choices(),
            &Submission {
                values,
                choices,
                hints_used: 0,
                seconds: 300,
            },
            filing(),
            Marking::default(),
        )
    }

    fn problem_of(values: &Values, field: &str) -> Option<Problem> {
        let (fields, rules) = birth_form();
        validate(&fields, &rules, values, filing())
            .into_iter()
            .find(|p| p.field == field)
            .map(|p| p.problem)
    }

    #[test]
    fn a_right_run_scores_full_marks() {
        let (fields, rules) = birth_form();
        assert!(validate(&fields, &rules, &right_values(), filing()).is_empty());
        let score = run(right_values(), choices());
        assert_eq!(score.points, score.max, "{:#?}", score.findings);
        assert_eq!(score.percent, 100);
        assert!(score.passed);
    }

    // One test per trap kind of the common-mistake list.

    #[test]
    fn trap_ethnicity_viet_nam() {
        let mut v = right_values();
        v.insert("ethnicity".into(), "Việt Nam".into());
        assert_eq!(
            problem_of(&v, "ethnicity"),
            Some(Problem::NationalityAsEthnicity)
        );
        assert!(!run(v, choices()).passed);
    }

    #[test]
    fn trap_relationship_other_instead_of_parent() {
        let mut v = right_values();
        v.insert("relationship".into(), "khac".into());
        assert_eq!(
            problem_of(&v, "relationship"),
            None,
            "a valid option, but the wrong one"
        );
        let score = run(v, choices());
        assert!(score
            .findings
            .iter()
            .any(|f| matches!(f, Finding::FieldWrong { field, .. } if field == "relationship")));
    }

    #[test]
    fn trap_date_of_birth_in_words_left_out() {
        let mut v = right_values();
        v.insert("birth_date_words".into(), String::new());
        assert_eq!(problem_of(&v, "birth_date_words"), Some(Problem::Missing));
        let mut v = right_values();
        v.insert(
            "birth_date_words".into(),
            "Ngày mười sáu tháng ba năm hai nghìn không trăm hai mươi lăm".into(),
        );
        assert_eq!(
            problem_of(&v, "birth_date_words"),
            Some(Problem::WordsDoNotMatch)
        );
    }

    #[test]
    fn trap_pre_2025_district_in_an_address() {
        let mut v = right_values();
        v.insert(
            "residence".into(),
            "Số 12 ngõ 5 phố Láng, phường Láng Thượng, quận Đống Đa, Hà Nội".into(),
        );
        assert_eq!(
            problem_of(&v, "residence"),
            Some(Problem::AbolishedDistrict)
        );
        assert!(names_abolished_district(
            "thôn Đông, xã Bát Tràng, huyện Gia Lâm"
        ));
        assert!(names_abolished_district(
            "Phường Quang Trung, Thị xã Sơn Tây"
        ));
        assert!(!names_abolished_district(
            "Số 3 phố Quán Thánh, Phường Ba Đình, Hà Nội"
        ));
    }

    #[test]
    fn trap_transposed_id_digit() {
        // Birth year 1992 written as 1929 in the ID ("29" for "92").
        let mut v = right_values();
        v.insert("declarant_id".into(), "001029012345".into());
        assert_eq!(
            problem_of(&v, "declarant_id"),
            Some(Problem::IdBirthYearMismatch)
        );
        // A transposition in the random part breaks no rule but differs from the card.
        let mut v = right_values();
        v.insert("declarant_id".into(), "001092013245".into());
        assert_eq!(problem_of(&v, "declarant_id"), None);
        let score = run(v, choices());
        assert!(score
            .findings
            .iter()
            .any(|f| matches!(f, Finding::FieldWrong { field, .. } if field == "declarant_id")));
    }

    #[test]
    fn trap_wrong_fee() {
        let mut c = choices();
        c.fee = 8000;
        let score = run(right_values(), c);
        assert!(score.findings.contains(&Finding::WrongFee {
            expected: 0,
            given: 8000
        }));
        // Free within 60 days of the birth, not after.
        let born = Date::new(2025, 3, 15).unwrap();
        assert_eq!(
            fee_free_within(born, Date::new(2025, 5, 14).unwrap(), 60, 8000),
            0
        );
        assert_eq!(
            fee_free_within(born, Date::new(2025, 5, 15).unwrap(), 60, 8000),
            8000
        );
    }

    #[test]
    fn money_as_people_type_it() {
        for (typed, amount) in [
            ("0", 0),
            ("8000", 8000),
            ("8.000", 8000),
            ("8,000 đ", 8000),
            ("10.000 đồng", 10000),
            (" 200 000 VNĐ ", 200_000),
        ] {
            assert_eq!(parse_money(typed), Some(amount), "{typed}");
        }
        for typed in ["", "mười nghìn", "8.5k", "-8000", "đồng"] {
            assert_eq!(parse_money(typed), None, "{typed}");
        }
    }

    #[test]
    fn cross_field_rules() {
        let mut v = right_values();
        v.insert("declarant_sex".into(), "nu".into());
        assert_eq!(problem_of(&v, "declarant_id"), Some(Problem::IdSexMismatch));
        let mut v = right_values();
        v.insert("birth_date".into(), "15/03/2018".into());
        v.insert(
            "birth_date_words".into(),
            "Ngày mười lăm tháng ba năm hai nghìn không trăm mười tám".into(),
        );
        assert_eq!(
            problem_of(&v, "birth_date"),
            Some(Problem::TooOld),
            "the under-6 card"
        );
        let mut v = right_values();
        v.insert("declarant_birth".into(), "01/01/2026".into());
        assert_eq!(problem_of(&v, "declarant_birth"), Some(Problem::DateOrder));
    }

    #[test]
    fn documents_authority_delivery_hints_and_time() {
        let mut c = choices();
        c.documents.clear();
        c.documents.insert("so-ho-khau".into());
        c.authority = "cong-an-xa".into();
        let score = run(right_values(), c);
        assert!(score
            .findings
            .contains(&Finding::DocumentMissing("giay-chung-sinh".into())));
        assert!(score
            .findings
            .contains(&Finding::DocumentNotNeeded("so-ho-khau".into())));
        assert!(score
            .findings
            .iter()
            .any(|f| matches!(f, Finding::WrongAuthority { .. })));

        let (fields, rules) = birth_form();
        let marking = Marking {
            time_limit: 600,
            ..Marking::default()
        };
        let slow = score_run(
            &fields,
            &rules,
            &right_values(),
            &choices(),
            &Submission {
                values: right_values(),
                choices: choices(),
                hints_used: 2,
                seconds: 700,
            },
            filing(),
            marking,
        );
        assert!(slow.findings.contains(&Finding::HintsUsed(2)));
        assert!(slow.findings.contains(&Finding::OverTime {
            seconds: 700,
            limit: 600
        }));
        assert_eq!(slow.points, slow.max - 2 - 2);
    }

    #[test]
    fn values_compare_by_meaning() {
        assert!(same_value(
            &FieldKind::FullName,
            "nguyễn  minh khang",
            "Nguyễn Minh Khang"
        ));
        assert!(same_value(&FieldKind::FullName, "Lê Thị Hoà", "Lê Thị Hòa"));
        assert!(same_value(&FieldKind::Date, "5/3/2025", "05/03/2025"));
        assert!(same_value(
            &FieldKind::Phone,
            "+84 912 345 678",
            "0912345678"
        ));
        assert!(same_value(&FieldKind::Ethnicity, "H'Mông", "Mông"));
        assert!(same_value(
            &FieldKind::CitizenId,
            "001 092 012 345",
            "001092012345"
        ));
        assert!(!same_value(
            &FieldKind::CitizenId,
            "001092013245",
            "001092012345"
        ));
    }

    #[test]
    fn every_trap_kind_is_caught_and_a_trap_no_rule_sees_is_not() {
        let (fields, rules) = birth_form();
        let right = Submission {
            values: right_values(),
            choices: choices(),
            hints_used: 0,
            seconds: 60,
        };
        let traps = [
            Trap::EthnicityVietNam {
                field: "ethnicity".into(),
            },
            Trap::RelationshipOther {
                field: "relationship".into(),
                other: "khac".into(),
            },
            Trap::DateInWordsLeftOut {
                field: "birth_date_words".into(),
            },
            Trap::OldDistrict {
                field: "residence".into(),
                district: "quận Đống Đa".into(),
            },
            Trap::TransposedId {
                field: "declarant_id".into(),
                first: 4,
                second: 5,
            },
            Trap::HometownConfusion {
                field: "child_name".into(),
                ancestral: "Nam Định".into(),
            },
            Trap::WrongFee { fee: 8000 },
        ];
        let score = |s: &Submission| {
            score_run(
                &fields,
                &rules,
                &right_values(),
                &choices(),
                s,
                filing(),
                Marking::default(),
            )
        };
        assert!(
            traps.iter().all(|t| !t.is_caught_by(&score(&right))),
            "a right run falls into no trap"
        );
        for trap in &traps {
            let fallen = trap.fall_into(&right);
            assert_ne!(fallen, right, "{trap:?} changed nothing");
            assert!(trap.is_caught_by(&score(&fallen)), "{trap:?} is not caught");
        }
        for trap in &traps {
            let fallen = trap.fall_into(&right);
            assert!(
                trap.fell_for(&fallen, &right_values()),
                "{trap:?} is not recognised"
            );
            assert!(
                !trap.fell_for(&right, &right_values()),
                "{trap:?} seen in a right run"
            );
        }
        // Another mistake in the same field is not this trap.
        let mut other = right.clone();
        other.values.insert("declarant_id".into(), String::new());
        other.values.insert("ethnicity".into(), "Kinhh".into());
        other
            .values
            .insert("relationship".into(), "ban_than".into());
        other.choices.fee = 15_000;
        for trap in &traps[..] {
            if !matches!(
                trap,
                Trap::DateInWordsLeftOut { .. }
                    | Trap::OldDistrict { .. }
                    | Trap::HometownConfusion { .. }
            ) {
                assert!(
                    !trap.fell_for(&other, &right_values()),
                    "{trap:?} blamed for another mistake"
                );
            }
        }
        // A field nobody checks: the trap goes unseen, which the content checker reports.
        let unchecked = Trap::EthnicityVietNam {
            field: "ghi_chu".into(),
        };
        assert!(!unchecked.is_caught_by(&score(&unchecked.fall_into(&right))));
    }

    fn person_rule() -> (Vec<Field>, Vec<CrossRule>) {
        let f = |id: &str, kind: FieldKind| Field {
            id: id.into(),
            kind,
            required: true,
        };
        (
            vec![
                f("id", FieldKind::CitizenId),
                f("sex", FieldKind::Sex),
                f("born", FieldKind::Date),
            ],
            vec![CrossRule::IdMatchesPerson {
                id: "id".into(),
                sex: "sex".into(),
                birth_date: "born".into(),
            }],
        )
    }

    fn person(id: String, female: bool, born: Date) -> Values {
        [
            ("id".to_owned(), id),
            (
                "sex".to_owned(),
                if female { "nu" } else { "nam" }.to_owned(),
            ),
            (
                "born".to_owned(),
                format!("{:02}/{:02}/{}", born.day, born.month, born.year),
            ),
        ]
        .into_iter()
        .collect()
    }

    /// Syllables with the tone on an oa/oe/uy diphthong, in the traditional placement.
    const SYLLABLES: [&str; 12] = [
        "Hòa", "Thúy", "Khỏe", "Hoàng", "Thủy", "Xòe", "Lan", "Nguyễn", "Đức", "Ngọc", "Tuấn",
        "Thị",
    ];

    proptest! {
        #[test]
        fn the_id_rule_agrees_with_sex_and_birth_year(
            province in prop::sample::select(vec![1u16, 27, 36, 79, 96]),
            female in any::<bool>(),
            year in 1930u16..2025,
            month in 1u8..=12,
            day in 1u8..=28,
            serial in 0u32..1_000_000,
            other_year in 1930u16..2025,
        ) {
            let (fields, rules) = person_rule();
            let born = Date::new(year, month, day).unwrap();
            let code = |female: bool, year: u16| (year / 100 - 19) * 2 + u16::from(female);
            let id = |female: bool, year: u16| {
                format!("{province:03}{}{:02}{serial:06}", code(female, year), year % 100)
            };
            let filed = Date::new(2025, 12, 1).unwrap();
            let right = person(id(female, year), female, born);
            prop_assert!(validate(&fields, &rules, &right, filed).is_empty());
            // The same ID for the other sex, or another birth year, is refused with the reason.
            let wrong_sex = person(id(!female, year), female, born);
            prop_assert_eq!(
                validate(&fields, &rules, &wrong_sex, filed).first().map(|p| p.problem),
                Some(Problem::IdSexMismatch)
            );
            let wrong_year = person(id(female, other_year), female, born);
            let found = validate(&fields, &rules, &wrong_year, filed).first().map(|p| p.problem);
            // (A digit for the right sex but another century is a birth-year mismatch too.)
            let expected = (other_year != year).then_some(Problem::IdBirthYearMismatch);
            prop_assert_eq!(found, expected);
        }

        #[test]
        fn names_compare_after_nfc_and_either_tone_placement(
            words in prop::collection::vec(prop::sample::select(SYLLABLES.to_vec()), 2..5),
        ) {
            use unicode_normalization::UnicodeNormalization;
            let name = words.join(" ");
            let field = Field { id: "name".into(), kind: FieldKind::FullName, required: true };
            let decomposed: String = name.nfd().collect();
            let new_style = name
                .replace("òa", "oà")
                .replace("úy", "uý")
                .replace("ỏe", "oẻ")
                .replace("ủy", "uỷ")
                .replace("òe", "oè");
            for variant in [&name, &decomposed, &new_style, &format!("  {}  ", name.to_lowercase())] {
                prop_assert_eq!(check_field(&field, variant, &Values::new()), None, "{}", variant);
                prop_assert!(same_value(&FieldKind::FullName, variant, &name), "{} vs {}", variant, name);
            }
            let longer = format!("{} An", name);
            prop_assert!(!same_value(&FieldKind::FullName, &longer, &name));
        }

        #[test]
        fn breaking_one_field_never_raises_the_score(index in 0usize..12, junk in "[0-9a-z ]{0,12}") {
            let base = run(right_values(), choices());
            let key = right_values().keys().nth(index).cloned().unwrap();
            let mut v = right_values();
            v.insert(key, junk);
            let broken = run(v, choices());
            prop_assert!(broken.points <= base.points);
            prop_assert_eq!(broken.max, base.max);
        }

        #[test]
        fn the_score_stays_within_bounds(hints in 0u32..50, seconds in 0u32..10_000) {
            let (fields, rules) = birth_form();
            let s = score_run(
                &fields, &rules, &right_values(), &choices(),
                &Submission { values: right_values(), choices: choices(), hints_used: hints, seconds },
                filing(), Marking { time_limit: 900, ..Marking::default() },
            );
            prop_assert!(s.points <= s.max);
            prop_assert!(s.percent <= 100);
        }
    }
}
