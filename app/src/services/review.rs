//! The review of a submitted practice run: how the score was reached, part by part, each
//! mistake with its rule, the right answer and the lesson that teaches it, and the scenario's
//! traps.

use std::collections::BTreeSet;

use super::practice::{
    agency_name, delivery_name, display_value, inputs_of, lesson_link, money, owned_run,
    problem_key, submission_of,
};
use super::{internal, AppState};
use crate::content::procedures::{Procedure, Scenario};
use crate::domain::practice::{Mode, RunStatus};
use crate::domain::procedure::{Finding, RunScore, Trap};
use crate::i18n::{use_locale, Locale};
use crate::store::RunRow;
use crate::tr_in;
use crate::types::practice::{MistakeView, ReviewView, TrapView};
use crate::types::{AppError, CurrentUser};

fn trap_description(p: &Procedure, trap: &Trap, locale: Locale) -> String {
    let label = |field: &str| {
        p.field(field)
            .map(|f| f.label.get(locale).to_owned())
            .unwrap_or_else(|| field.to_owned())
    };
    let text = |key: &str, field: &str| tr_in!(locale, key).replace("%{field}", &label(field));
    match trap {
        Trap::EthnicityVietNam { field } => text("practice.trap.ethnicity_viet_nam", field),
        Trap::RelationshipOther { field, .. } => text("practice.trap.relationship_other", field),
        Trap::DateInWordsLeftOut { field } => text("practice.trap.date_in_words_left_out", field),
        Trap::OldDistrict { field, .. } => text("practice.trap.old_district", field),
        Trap::TransposedId { field, .. } => text("practice.trap.transposed_id", field),
        Trap::HometownConfusion { field, .. } => text("practice.trap.hometown_confusion", field),
        Trap::WrongFee { .. } => tr_in!(locale, "practice.trap.wrong_fee"),
    }
}

/// The review of a submitted run: score, dossier status, each mistake explained with its rule,
/// the right answer and the lesson that teaches it, and the scenario's traps.
pub async fn review(
    state: &AppState,
    user: &CurrentUser,
    run_id: i64,
) -> Result<ReviewView, AppError> {
    let locale = use_locale();
    let (row, p, s) = owned_run(state, user, run_id).await?;
    if row.status() != RunStatus::Submitted {
        return Err(AppError::NotFound);
    }
    let score: RunScore = row
        .findings
        .as_deref()
        .and_then(|f| leptos::serde_json::from_str(f).ok())
        .ok_or_else(|| internal("a submitted run has no readable findings"))?;
    let mode = row.mode();
    let submitted_inputs = submission_of(&inputs_of(&row), mode, 0, 0);
    let field_label = |id: &str| {
        p.field(id)
            .map(|f| f.label.get(locale).to_owned())
            .unwrap_or_else(|| id.to_owned())
    };
    let field_lesson = |id: &str| {
        let lesson = p.field(id).map(|f| &f.lesson).unwrap_or(&p.lesson);
        Some(lesson_link(state, lesson, locale))
    };
    let procedure_lesson = Some(lesson_link(state, &p.lesson, locale));
    let mut mistakes = Vec::new();
    let broken = |field: &str| {
        score.findings.iter().find_map(|f| match f {
            Finding::RuleBroken(problem) if problem.field == field => Some(problem.problem),
            _ => None,
        })
    };
    let mut explained: BTreeSet<String> = BTreeSet::new();
    for finding in &score.findings {
        match finding {
            Finding::FieldWrong {
                field,
                expected,
                given,
            } => {
                explained.insert(field.clone());
                let rule = match broken(field) {
                    Some(problem) => tr_in!(locale, problem_key(problem)),
                    None => tr_in!(locale, "practice.problem.not_as_in_brief"),
                };
                mistakes.push(MistakeView {
                    what: field_label(field),
                    rule,
                    given: display_value(p, field, given, locale),
                    right: display_value(p, field, expected, locale),
                    lesson: field_lesson(field),
                });
            }
            Finding::RuleBroken(problem) if !explained.contains(&problem.field) => {
                explained.insert(problem.field.clone());
                let given = row_value(&row, &problem.field);
                mistakes.push(MistakeView {
                    what: field_label(&problem.field),
                    rule: tr_in!(locale, problem_key(problem.problem)),
                    given: display_value(p, &problem.field, &given, locale),
                    right: s
                        .values
                        .get(&problem.field)
                        .map(|v| display_value(p, &problem.field, v, locale))
                        .unwrap_or_else(|| tr_in!(locale, "practice.empty")),
                    lesson: field_lesson(&problem.field),
                });
            }
            Finding::DocumentMissing(id) => mistakes.push(MistakeView {
                what: p
                    .document(id)
                    .map(|d| d.name.get(locale).to_owned())
                    .unwrap_or_else(|| id.clone()),
                rule: tr_in!(locale, "practice.review.document_missing"),
                given: tr_in!(locale, "practice.review.not_attached"),
                right: tr_in!(locale, "practice.review.attached"),
                lesson: procedure_lesson.clone(),
            }),
            Finding::DocumentNotNeeded(id) => mistakes.push(MistakeView {
                what: p
                    .document(id)
                    .map(|d| d.name.get(locale).to_owned())
                    .unwrap_or_else(|| id.clone()),
                rule: tr_in!(locale, "practice.review.document_not_needed"),
                given: tr_in!(locale, "practice.review.attached"),
                right: tr_in!(locale, "practice.review.not_attached"),
                lesson: procedure_lesson.clone(),
            }),
            Finding::WrongAuthority { expected, given } => mistakes.push(MistakeView {
                what: tr_in!(locale, "practice.find.authority"),
                rule: tr_in!(locale, "practice.review.wrong_authority"),
                given: if given.is_empty() {
                    tr_in!(locale, "practice.empty")
                } else {
                    agency_name(state, given, locale)
                },
                right: agency_name(state, expected, locale),
                lesson: procedure_lesson.clone(),
            }),
            Finding::WrongDelivery { expected, given } => mistakes.push(MistakeView {
                what: tr_in!(locale, "practice.step.delivery"),
                rule: tr_in!(locale, "practice.review.wrong_delivery"),
                given: if given.is_empty() {
                    tr_in!(locale, "practice.empty")
                } else {
                    delivery_name(state, given, locale)
                },
                right: delivery_name(state, expected, locale),
                lesson: procedure_lesson.clone(),
            }),
            Finding::WrongFee { expected, given } => mistakes.push(MistakeView {
                what: tr_in!(locale, "practice.step.fee"),
                rule: p
                    .fee
                    .note
                    .as_ref()
                    .map(|n| n.get(locale).to_owned())
                    .unwrap_or_else(|| tr_in!(locale, "practice.review.wrong_fee")),
                given: if *given == u32::MAX {
                    tr_in!(locale, "practice.empty")
                } else {
                    money(*given, locale)
                },
                right: money(*expected, locale),
                lesson: Some(lesson_link(
                    state,
                    &(
                        "thanh-toan-le-phi".to_owned(),
                        "le-phi-kiem-tra-so-tien".to_owned(),
                    ),
                    locale,
                ))
                .filter(|_| state.content.module("thanh-toan-le-phi").is_some())
                .or(procedure_lesson.clone()),
            }),
            _ => {}
        }
    }
    let fields_total = score
        .findings
        .iter()
        .filter(|f| matches!(f, Finding::FieldRight { .. } | Finding::FieldWrong { .. }))
        .count();
    let fields_right = score
        .findings
        .iter()
        .filter(|f| matches!(f, Finding::FieldRight { .. }))
        .count();
    let returned = score
        .findings
        .iter()
        .any(|f| matches!(f, Finding::RuleBroken(_)));
    let submitted = row.submitted_at.unwrap_or(row.started_at);
    let breakdown = breakdown(s, &score, fields_right, fields_total, locale);
    Ok(ReviewView {
        id: row.id,
        procedure_id: p.id.clone(),
        procedure_title: p.title.get(locale).to_owned(),
        scenario_id: s.id.clone(),
        scenario_title: s.title.get(locale).to_owned(),
        mode,
        dossier_code: format!(
            "MP-{:02}{:02}{:02}-{:06}",
            s.filing_date.year % 100,
            s.filing_date.month,
            s.filing_date.day,
            row.id
        ),
        points: score.points,
        max: score.max,
        percent: score.percent,
        pass_mark: p.pass_mark,
        passed: score.passed,
        returned,
        minutes: ((submitted - row.started_at).max(0) / 60) as u32,
        time_limit_minutes: (mode == Mode::Exam).then_some(p.exam_minutes),
        hints_used: row.hints_used.clamp(0, i64::from(u32::MAX)) as u32,
        fields_right,
        fields_total,
        breakdown,
        mistakes,
        traps: s
            .traps
            .iter()
            .map(|t| TrapView {
                description: trap_description(p, t, locale),
                fell: t.fell_for(&submitted_inputs, &s.values),
            })
            .collect(),
    })
}

/// The score, part by part, as the review explains it.
fn breakdown(
    s: &Scenario,
    score: &RunScore,
    fields_right: usize,
    fields_total: usize,
    locale: Locale,
) -> Vec<(String, String)> {
    let marking = crate::domain::procedure::Marking::default();
    let count = |test: &dyn Fn(&Finding) -> bool| score.findings.iter().filter(|f| test(f)).count();
    let right_or_wrong = |wrong: usize| {
        tr_in!(
            locale,
            if wrong > 0 {
                "practice.score.wrong"
            } else {
                "practice.score.right"
            }
        )
    };
    let line = |key: &str, pairs: &[(&str, usize)]| {
        let mut text = tr_in!(locale, key);
        for (name, value) in pairs {
            text = text.replace(&format!("%{{{name}}}"), &value.to_string());
        }
        text
    };
    let points = marking.field_points as usize;
    let missing = count(&|f| matches!(f, Finding::DocumentMissing(_)));
    let needed = s.expected.documents.len();
    let mut lines = vec![
        (
            tr_in!(locale, "practice.score.fields"),
            line(
                "practice.score.fields_value",
                &[
                    ("right", fields_right),
                    ("total", fields_total),
                    ("points", fields_right * points),
                    ("max", fields_total * points),
                ],
            ),
        ),
        (
            tr_in!(locale, "practice.find.authority"),
            right_or_wrong(count(&|f| matches!(f, Finding::WrongAuthority { .. }))),
        ),
        (
            tr_in!(locale, "practice.step.delivery"),
            right_or_wrong(count(&|f| matches!(f, Finding::WrongDelivery { .. }))),
        ),
        (
            tr_in!(locale, "practice.step.fee"),
            right_or_wrong(count(&|f| matches!(f, Finding::WrongFee { .. }))),
        ),
        (
            tr_in!(locale, "practice.step.documents"),
            line(
                "practice.score.documents_value",
                &[
                    ("attached", needed.saturating_sub(missing)),
                    ("needed", needed),
                    (
                        "extra",
                        count(&|f| matches!(f, Finding::DocumentNotNeeded(_))),
                    ),
                ],
            ),
        ),
    ];
    for finding in &score.findings {
        match finding {
            Finding::HintsUsed(n) => lines.push((
                tr_in!(locale, "practice.score.hints"),
                line(
                    "practice.score.minus",
                    &[("points", (n * marking.hint_penalty) as usize)],
                ),
            )),
            Finding::OverTime { seconds, limit } => {
                let minutes = seconds.saturating_sub(*limit).div_ceil(60) as usize;
                lines.push((
                    tr_in!(locale, "practice.score.over_time"),
                    line(
                        "practice.score.over_time_value",
                        &[("minutes", minutes), ("points", minutes)],
                    ),
                ));
            }
            _ => {}
        }
    }
    let broken = count(&|f| matches!(f, Finding::RuleBroken(_)));
    if broken > 0 {
        lines.push((
            tr_in!(locale, "practice.score.rules"),
            line("practice.score.rules_value", &[("count", broken)]),
        ));
    }
    lines
}

fn row_value(row: &RunRow, field: &str) -> String {
    inputs_of(row)
        .values
        .get(field)
        .cloned()
        .unwrap_or_default()
}
