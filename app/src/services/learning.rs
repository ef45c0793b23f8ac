//! The learner's side of the curriculum: catalog, module and lesson pages, progress, quizzes
//! scored on the server, and results with feedback.

use std::collections::{HashMap, HashSet};

use super::{internal, now, AppState};
use crate::content::{Catalog, Module, QuestionBody, Quiz};
use crate::domain::quiz::{answer_field, read_answers, score, Answer, AnswerKey, AnswerProblem};
use crate::domain::Cohort;
use crate::i18n::{use_locale, Locale};
use crate::store::NewAttempt;
use crate::types::form::{FormErrors, FormInput, Posted};
use crate::types::learning::{
    AfterLesson, CatalogEntry, LessonLink, LessonView, ModuleView, QuestionForm, QuestionResult,
    QuestionView, QuizView, ResultView,
};
use crate::types::{paths, AppError, CurrentUser};

/// Longest duration recorded for an attempt; a quiz page left open for days is not evidence of
/// how long the quiz took.
const MAX_DURATION_SECONDS: i64 = 6 * 3600;

fn cohort_of(user: &CurrentUser) -> Cohort {
    user.cohort.unwrap_or(Cohort::Resident)
}

/// The module, if the learner's cohort may take it.
fn visible_module<'a>(
    catalog: &'a Catalog,
    user: &CurrentUser,
    module: &str,
) -> Result<&'a Module, AppError> {
    catalog
        .module(module)
        .filter(|m| m.cohorts.contains(&cohort_of(user)))
        .ok_or(AppError::NotFound)
}

fn link(module: &Module, index: usize, done: &HashSet<String>, locale: Locale) -> LessonLink {
    let lesson = &module.lessons[index];
    LessonLink {
        id: lesson.id.clone(),
        title: lesson.title.get(locale).to_owned(),
        minutes: lesson.minutes,
        done: done.contains(&lesson.id),
    }
}

fn continue_url(module: &Module, done: &HashSet<String>) -> String {
    match module.lessons.iter().find(|l| !done.contains(&l.id)) {
        Some(lesson) => paths::lesson(&module.id, &lesson.id),
        None => paths::quiz(&module.id),
    }
}

async fn done_lessons(state: &AppState, user: &CurrentUser) -> Result<HashSet<String>, AppError> {
    Ok(state
        .db
        .completed_lessons(user.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|(_, lesson)| lesson)
        .collect())
}

async fn best_results(
    state: &AppState,
    user: &CurrentUser,
) -> Result<HashMap<String, (u32, bool)>, AppError> {
    Ok(state
        .db
        .best_results(user.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|b| {
            (
                b.module_id,
                (b.best_percent.clamp(0, 100) as u32, b.passed == 1),
            )
        })
        .collect())
}

/// A module's best percentage (if attempted) and whether any attempt passed.
fn best_of(best: &HashMap<String, (u32, bool)>, module_id: &str) -> (Option<u32>, bool) {
    match best.get(module_id) {
        Some((percent, passed)) => (Some(*percent), *passed),
        None => (None, false),
    }
}

/// The position of a lesson in its module, or not found.
fn lesson_index(module: &Module, lesson_id: &str) -> Result<usize, AppError> {
    module
        .lessons
        .iter()
        .position(|l| l.id == lesson_id)
        .ok_or(AppError::NotFound)
}

pub async fn catalog(state: &AppState, user: &CurrentUser) -> Result<Vec<CatalogEntry>, AppError> {
    let locale = use_locale();
    let done = done_lessons(state, user).await?;
    let best = best_results(state, user).await?;
    Ok(state
        .content
        .catalog_for(cohort_of(user), user.position_code.as_deref())
        .into_iter()
        .map(|(m, mandatory)| {
            let (best_percent, passed) = best_of(&best, &m.id);
            CatalogEntry {
                id: m.id.clone(),
                title: m.title.get(locale).to_owned(),
                summary: m.summary.get(locale).to_owned(),
                minutes: m.minutes(),
                lessons_total: m.lessons.len(),
                lessons_done: m.lessons.iter().filter(|l| done.contains(&l.id)).count(),
                mandatory,
                passed,
                best_percent,
                continue_url: continue_url(m, &done),
            }
        })
        .collect())
}

pub async fn module(
    state: &AppState,
    user: &CurrentUser,
    module_id: &str,
) -> Result<ModuleView, AppError> {
    let locale = use_locale();
    let module = visible_module(&state.content, user, module_id)?;
    let done = done_lessons(state, user).await?;
    let best = best_results(state, user).await?;
    let (best_percent, passed) = best_of(&best, &module.id);
    Ok(ModuleView {
        id: module.id.clone(),
        title: module.title.get(locale).to_owned(),
        summary: module.summary.get(locale).to_owned(),
        lessons: (0..module.lessons.len())
            .map(|i| link(module, i, &done, locale))
            .collect(),
        questions: module.quiz.questions.len(),
        pass_mark: module.quiz.pass_mark,
        best_percent,
        passed,
        continue_url: continue_url(module, &done),
    })
}

pub async fn lesson(
    state: &AppState,
    user: &CurrentUser,
    module_id: &str,
    lesson_id: &str,
) -> Result<LessonView, AppError> {
    let locale = use_locale();
    let module = visible_module(&state.content, user, module_id)?;
    let index = lesson_index(module, lesson_id)?;
    let done = done_lessons(state, user).await?;
    let lesson = &module.lessons[index];
    Ok(LessonView {
        module_id: module.id.clone(),
        module_title: module.title.get(locale).to_owned(),
        id: lesson.id.clone(),
        title: lesson.title.get(locale).to_owned(),
        minutes: lesson.minutes,
        html: lesson.html.get(locale).to_owned(),
        number: index + 1,
        count: module.lessons.len(),
        previous: index.checked_sub(1).map(|i| link(module, i, &done, locale)),
        next: (index + 1 < module.lessons.len()).then(|| link(module, index + 1, &done, locale)),
        done: done.contains(&lesson.id),
    })
}

/// Marks a lesson read and says what comes next: the next lesson, else the quiz.
pub async fn complete_lesson(
    state: &AppState,
    user: &CurrentUser,
    module_id: &str,
    lesson_id: &str,
) -> Result<AfterLesson, AppError> {
    let module = visible_module(&state.content, user, module_id)?;
    let index = lesson_index(module, lesson_id)?;
    let lesson = &module.lessons[index];
    state
        .db
        .complete_lesson(
            user.id,
            &module.id,
            &lesson.id,
            i64::from(lesson.version),
            now(),
        )
        .await
        .map_err(internal)?;
    Ok(match module.lessons.get(index + 1) {
        Some(next) => AfterLesson::Lesson {
            module: module.id.clone(),
            lesson: next.id.clone(),
        },
        None => AfterLesson::Quiz {
            module: module.id.clone(),
        },
    })
}

/// The items of an ordering question in a random order that is never the answer order, drawn
/// anew for every page (answers are posted by item id, so the shown order carries nothing).
fn shuffled<T: Clone + PartialEq>(items: &[T]) -> Vec<T> {
    use std::hash::{BuildHasher, Hasher};
    if items.len() < 2 {
        return items.to_vec();
    }
    let mut seed = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
        | 1;
    let mut next = move || {
        // xorshift64: plenty for shuffling a handful of items.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    loop {
        let mut out = items.to_vec();
        for i in (1..out.len()).rev() {
            let j = (next() % (i as u64 + 1)) as usize;
            out.swap(i, j);
        }
        if out != items {
            return out;
        }
    }
}

pub fn quiz(state: &AppState, user: &CurrentUser, module_id: &str) -> Result<QuizView, AppError> {
    let locale = use_locale();
    let module = visible_module(&state.content, user, module_id)?;
    let questions = module
        .quiz
        .questions
        .iter()
        .map(|q| QuestionView {
            id: q.id.clone(),
            prompt: q.prompt.get(locale).to_owned(),
            form: match &q.body {
                QuestionBody::Single(choices) => QuestionForm::Single(
                    choices
                        .iter()
                        .map(|c| (c.id.clone(), c.text.get(locale).to_owned()))
                        .collect(),
                ),
                QuestionBody::Multiple(choices) => QuestionForm::Multiple(
                    choices
                        .iter()
                        .map(|c| (c.id.clone(), c.text.get(locale).to_owned()))
                        .collect(),
                ),
                QuestionBody::TrueFalse(_) => QuestionForm::TrueFalse,
                QuestionBody::Ordering(items) => {
                    let items: Vec<(String, String)> = items
                        .iter()
                        .map(|i| (i.id.clone(), i.text.get(locale).to_owned()))
                        .collect();
                    QuestionForm::Ordering(shuffled(&items))
                }
            },
        })
        .collect();
    Ok(QuizView {
        module_id: module.id.clone(),
        module_title: module.title.get(locale).to_owned(),
        pass_mark: module.quiz.pass_mark,
        questions,
        started_at: now(),
    })
}

/// Reads a posted quiz form (see [`read_answers`]) into the answers in quiz order and the
/// errors of the questions that send it back.
fn parse_answers(quiz: &Quiz, form: &FormInput) -> (Vec<Answer>, FormErrors) {
    let keys: Vec<(String, AnswerKey)> = quiz
        .questions
        .iter()
        .map(|q| (q.id.clone(), q.key()))
        .collect();
    let (answers, problems) =
        read_answers(keys.iter().map(|(id, k)| (id.as_str(), k)), form.pairs());
    let mut errors = FormErrors::default();
    for (index, problem) in problems {
        let key = match problem {
            AnswerProblem::Unanswered => "quiz.errors.unanswered",
            AnswerProblem::OrderInvalid => "quiz.errors.order_invalid",
        };
        errors.add_numbered(
            answer_field(&keys[index].0),
            key,
            "quiz.question_label",
            index + 1,
        );
    }
    (answers, errors)
}

/// Scores a submission, records the attempt, and returns its id. Unanswered questions reject
/// the submission (nothing is recorded) so the learner can finish it.
pub async fn submit(
    state: &AppState,
    user: &CurrentUser,
    module_id: &str,
    form: &FormInput,
) -> Posted<i64> {
    let module = visible_module(&state.content, user, module_id)
        .map_err(|_| FormErrors::general("errors.not_found"))?;
    let quiz = &module.quiz;
    let (answers, errors) = parse_answers(quiz, form);
    errors.into_result()?;
    let keys: Vec<_> = quiz.questions.iter().map(|q| q.key()).collect();
    let result = score(&keys, &answers, quiz.pass_mark);
    let submitted_at = now();
    let started_at = form
        .get("started_at")
        .parse::<i64>()
        .ok()
        .filter(|s| *s <= submitted_at && submitted_at - s <= MAX_DURATION_SECONDS)
        .unwrap_or(submitted_at);
    let answers_json = serde_json_string(&answers);
    let attempt = NewAttempt {
        account_id: user.id,
        module_id: module.id.clone(),
        module_version: i64::from(module.version),
        quiz_id: quiz.id.clone(),
        quiz_version: i64::from(quiz.version),
        answers: answers_json,
        points: i64::from(result.points),
        total: i64::from(result.total),
        percent: i64::from(result.percent),
        passed: result.passed,
        started_at,
        submitted_at,
        evidence: super::competency::quiz_evidence(module, result.percent, submitted_at),
    };
    let id = state.db.record_attempt(&attempt).await.map_err(internal)?;
    super::competency::evidence_added(state, user.id).await;
    tracing::info!(account = user.id, module = %module.id, percent = result.percent, passed = result.passed, "quiz attempt");
    Ok(id)
}

fn serde_json_string(answers: &[Answer]) -> String {
    // `Answer` is plain data; serialising it cannot fail.
    leptos::serde_json::to_string(answers).unwrap_or_else(|_| "[]".to_owned())
}

pub async fn result(
    state: &AppState,
    user: &CurrentUser,
    attempt_id: i64,
) -> Result<ResultView, AppError> {
    let locale = use_locale();
    let attempt = state
        .db
        .attempt(attempt_id)
        .await
        .map_err(internal)?
        .filter(|a| a.account_id == user.id)
        .ok_or(AppError::NotFound)?;
    let module = visible_module(&state.content, user, &attempt.module_id)?;
    let quiz = &module.quiz;
    let answers: Vec<Answer> = leptos::serde_json::from_str(&attempt.answers).unwrap_or_default();
    let keys: Vec<_> = quiz.questions.iter().map(|q| q.key()).collect();
    // Feedback is given against the quiz as it is now; the stored score is the one earned.
    let rescored = score(&keys, &answers, quiz.pass_mark);
    let done = done_lessons(state, user).await?;
    let lesson_link = |id: &str| -> LessonLink {
        match module.lessons.iter().position(|l| l.id == id) {
            Some(i) => link(module, i, &done, locale),
            None => LessonLink {
                id: id.to_owned(),
                title: id.to_owned(),
                minutes: 0,
                done: false,
            },
        }
    };
    // The right answers (and the explanations that give them away) come only with a pass:
    // otherwise a second attempt could copy them, and two copied quizzes make a verified level.
    let reveal = attempt.passed == 1;
    let mut questions = Vec::new();
    let mut reread: Vec<String> = Vec::new();
    for (i, q) in quiz.questions.iter().enumerate() {
        let answer = answers.get(i).cloned().unwrap_or_default();
        let correct = rescored.correct.get(i).copied().unwrap_or(false);
        let (your_answer, mut right_answer, mut feedback) = describe(q, &answer, locale);
        if !reveal {
            right_answer.clear();
            if !correct {
                feedback.clear();
            }
        }
        if !correct && !reread.contains(&q.lesson) {
            reread.push(q.lesson.clone());
        }
        questions.push(QuestionResult {
            prompt: q.prompt.get(locale).to_owned(),
            correct,
            your_answer,
            right_answer,
            feedback,
            lesson: lesson_link(&q.lesson),
        });
    }
    let reread = module
        .lessons
        .iter()
        .filter(|l| reread.contains(&l.id))
        .map(|l| lesson_link(&l.id))
        .collect();
    let best = best_results(state, user).await?;
    let next_module = state
        .content
        .catalog_for(cohort_of(user), user.position_code.as_deref())
        .into_iter()
        .map(|(m, _)| m)
        .find(|m| m.id != module.id && !best.get(&m.id).is_some_and(|(_, passed)| *passed))
        .map(|m| (m.id.clone(), m.title.get(locale).to_owned()));
    Ok(ResultView {
        attempt_id: attempt.id,
        module_id: module.id.clone(),
        module_title: module.title.get(locale).to_owned(),
        points: attempt.points.clamp(0, i64::from(u32::MAX)) as u32,
        total: attempt.total.clamp(0, i64::from(u32::MAX)) as u32,
        percent: attempt.percent.clamp(0, 100) as u32,
        pass_mark: quiz.pass_mark,
        passed: attempt.passed == 1,
        questions,
        reread,
        next_module,
    })
}

/// (the learner's answer, the right answer, the explanations) of one question, as text.
fn describe(
    question: &crate::content::Question,
    answer: &Answer,
    locale: Locale,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let yes_no = |b: bool| {
        if b {
            crate::tr_in!(locale, "quiz.true")
        } else {
            crate::tr_in!(locale, "quiz.false")
        }
    };
    let mut feedback = Vec::new();
    let (yours, right) = match &question.body {
        QuestionBody::Single(choices) | QuestionBody::Multiple(choices) => {
            let chosen: Vec<&str> = match answer {
                Answer::Single(id) => vec![id.as_str()],
                Answer::Multiple(ids) => ids.iter().map(String::as_str).collect(),
                _ => Vec::new(),
            };
            let mut yours = Vec::new();
            for c in choices.iter().filter(|c| chosen.contains(&c.id.as_str())) {
                yours.push(c.text.get(locale).to_owned());
                if let Some(f) = &c.feedback {
                    feedback.push(f.get(locale).to_owned());
                }
            }
            let right = choices
                .iter()
                .filter(|c| c.correct)
                .map(|c| c.text.get(locale).to_owned())
                .collect();
            (yours, right)
        }
        QuestionBody::TrueFalse(key) => {
            let yours = match answer {
                Answer::TrueFalse(b) => vec![yes_no(*b)],
                _ => Vec::new(),
            };
            (yours, vec![yes_no(*key)])
        }
        QuestionBody::Ordering(items) => {
            let text = |id: &str| {
                items
                    .iter()
                    .find(|i| i.id == id)
                    .map(|i| i.text.get(locale).to_owned())
                    .unwrap_or_default()
            };
            let yours = match answer {
                Answer::Ordering(order) => order.iter().map(|id| text(id)).collect(),
                _ => Vec::new(),
            };
            (
                yours,
                items
                    .iter()
                    .map(|i| i.text.get(locale).to_owned())
                    .collect(),
            )
        }
    };
    if let Some(f) = &question.feedback {
        feedback.push(f.get(locale).to_owned());
    }
    (yours, right, feedback)
}

#[cfg(test)]
mod tests {
    use super::shuffled;

    #[test]
    fn ordering_items_are_never_shown_in_the_right_order() {
        for n in 2..8 {
            let items: Vec<usize> = (0..n).collect();
            let mut seen = std::collections::BTreeSet::new();
            for _ in 0..50 {
                let shown = shuffled(&items);
                assert_ne!(shown, items, "{n} items");
                let mut sorted = shown.clone();
                sorted.sort();
                assert_eq!(sorted, items, "a permutation");
                seen.insert(shown);
            }
            if n >= 3 {
                assert!(seen.len() > 1, "the order is drawn anew, not fixed");
            }
        }
    }
}
