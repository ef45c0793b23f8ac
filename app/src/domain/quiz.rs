//! Quizzes: what a question is, what an answer is, and how a submission is scored.
//!
//! Scoring is all-or-nothing per question: a single-choice question is right when the one
//! correct option is chosen; a multiple-choice question when exactly the correct options are
//! chosen; a true/false question when the answer matches; an ordering question when every item
//! is in its place. A quiz is passed when the share of right answers reaches the pass mark.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// A question's kind and its key (the correct answer). The key never leaves the server before
/// the learner has submitted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnswerKey {
    /// The id of the one correct option.
    Single(String),
    /// The ids of every correct option.
    Multiple(BTreeSet<String>),
    TrueFalse(bool),
    /// Item ids in the correct order.
    Ordering(Vec<String>),
}

/// What a learner submitted for one question.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    /// Nothing chosen.
    #[default]
    Blank,
    Single(String),
    Multiple(BTreeSet<String>),
    TrueFalse(bool),
    /// Item ids in the order the learner put them.
    Ordering(Vec<String>),
}

impl Answer {
    pub fn is_blank(&self) -> bool {
        match self {
            Answer::Blank => true,
            Answer::Multiple(chosen) => chosen.is_empty(),
            Answer::Ordering(items) => items.is_empty(),
            Answer::Single(_) | Answer::TrueFalse(_) => false,
        }
    }
}

impl AnswerKey {
    /// Whether `answer` is exactly right.
    pub fn accepts(&self, answer: &Answer) -> bool {
        match (self, answer) {
            (AnswerKey::Single(key), Answer::Single(chosen)) => key == chosen,
            (AnswerKey::Multiple(key), Answer::Multiple(chosen)) => key == chosen,
            (AnswerKey::TrueFalse(key), Answer::TrueFalse(chosen)) => key == chosen,
            (AnswerKey::Ordering(key), Answer::Ordering(order)) => key == order,
            _ => false,
        }
    }
}

/// The scored outcome of one submission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizScore {
    /// Per question, in quiz order: was it right?
    pub correct: Vec<bool>,
    /// Right answers.
    pub points: u32,
    /// Questions in the quiz.
    pub total: u32,
    /// Percentage of right answers, rounded down.
    pub percent: u32,
    pub passed: bool,
}

/// Scores `answers` (one per key, in the same order; missing answers count as blank) against
/// `keys` with `pass_mark` as a percentage.
pub fn score(keys: &[AnswerKey], answers: &[Answer], pass_mark: u32) -> QuizScore {
    let correct: Vec<bool> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| answers.get(i).is_some_and(|a| key.accepts(a)))
        .collect();
    let points = correct.iter().filter(|c| **c).count() as u32;
    let total = keys.len() as u32;
    let percent = (points * 100).checked_div(total).unwrap_or(0);
    QuizScore {
        correct,
        points,
        total,
        percent,
        passed: total > 0 && percent >= pass_mark,
    }
}

/// Why one question of a posted quiz form cannot be scored yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnswerProblem {
    /// Nothing was chosen or placed.
    Unanswered,
    /// An ordering whose positions are not 1..n, each once.
    OrderInvalid,
}

/// The form field of question `question`'s answer: `q-<question>`, repeated for multiple
/// choice; an ordering item's position is posted as `q-<question>-<item>`.
pub fn answer_field(question: &str) -> String {
    format!("q-{question}")
}

/// Reads a posted quiz form (name/value pairs, repeated names kept) into one answer per
/// question, in quiz order, with the problems that send it back: `(question index, problem)`.
/// Each question is given by its id and key; the key only says what kind of answer to read
/// (and, for an ordering, which items there are), never whether it is right.
pub fn read_answers<'a>(
    questions: impl IntoIterator<Item = (&'a str, &'a AnswerKey)>,
    fields: &[(String, String)],
) -> (Vec<Answer>, Vec<(usize, AnswerProblem)>) {
    let values = |name: &str| -> Vec<&str> {
        fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let mut problems = Vec::new();
    let answers = questions
        .into_iter()
        .enumerate()
        .map(|(index, (id, key))| {
            let name = answer_field(id);
            let answer = match key {
                AnswerKey::Single(_) => values(&name)
                    .first()
                    .map(|v| Answer::Single((*v).to_owned()))
                    .unwrap_or_default(),
                AnswerKey::Multiple(_) => {
                    Answer::Multiple(values(&name).into_iter().map(str::to_owned).collect())
                }
                AnswerKey::TrueFalse(_) => match values(&name).first() {
                    Some(&"true") => Answer::TrueFalse(true),
                    Some(&"false") => Answer::TrueFalse(false),
                    _ => Answer::Blank,
                },
                AnswerKey::Ordering(items) => {
                    let mut placed: Vec<(usize, String)> = items
                        .iter()
                        .filter_map(|item| {
                            let position = values(&format!("{name}-{item}"))
                                .first()
                                .and_then(|v| v.trim().parse::<usize>().ok())?;
                            Some((position, item.clone()))
                        })
                        .collect();
                    placed.sort();
                    let positions: Vec<usize> = placed.iter().map(|(p, _)| *p).collect();
                    let expected: Vec<usize> = (1..=items.len()).collect();
                    if placed.is_empty() {
                        Answer::Blank
                    } else if positions != expected {
                        // Each position 1..n exactly once; anything else is asked again.
                        problems.push((index, AnswerProblem::OrderInvalid));
                        Answer::Ordering(Vec::new())
                    } else {
                        Answer::Ordering(placed.into_iter().map(|(_, id)| id).collect())
                    }
                }
            };
            if answer.is_blank() && !problems.iter().any(|(i, _)| *i == index) {
                problems.push((index, AnswerProblem::Unanswered));
            }
            answer
        })
        .collect();
    (answers, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn set(ids: &[&str]) -> BTreeSet<String> {
        ids.iter().map(|s| (*s).to_owned()).collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_posted_form_reads_into_one_answer_per_question() {
        let keys = [
            ("one", AnswerKey::Single("b".into())),
            ("many", AnswerKey::Multiple(set(&["a", "c"]))),
            ("tf", AnswerKey::TrueFalse(true)),
            (
                "order",
                AnswerKey::Ordering(vec!["x".into(), "y".into(), "z".into()]),
            ),
        ];
        let questions = keys.iter().map(|(id, k)| (*id, k));
        let form = pairs(&[
            ("q-one", "a"),
            ("q-many", "c"),
            ("q-many", "b"),
            ("q-tf", "false"),
            ("q-order-z", "1"),
            ("q-order-x", " 2 "),
            ("q-order-y", "3"),
        ]);
        let (answers, problems) = read_answers(questions, &form);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            answers,
            vec![
                Answer::Single("a".into()),
                Answer::Multiple(set(&["b", "c"])),
                Answer::TrueFalse(false),
                Answer::Ordering(vec!["z".into(), "x".into(), "y".into()]),
            ]
        );
    }

    #[test]
    fn blank_questions_and_broken_orderings_are_sent_back() {
        let keys = [
            ("one", AnswerKey::Single("b".into())),
            ("tf", AnswerKey::TrueFalse(true)),
            ("order", AnswerKey::Ordering(vec!["x".into(), "y".into()])),
            ("many", AnswerKey::Multiple(set(&["a"]))),
        ];
        let form = pairs(&[("q-tf", "maybe"), ("q-order-x", "1"), ("q-order-y", "1")]);
        let (answers, problems) = read_answers(keys.iter().map(|(id, k)| (*id, k)), &form);
        assert_eq!(answers.len(), 4);
        assert_eq!(
            problems,
            vec![
                (0, AnswerProblem::Unanswered),
                (1, AnswerProblem::Unanswered),
                (2, AnswerProblem::OrderInvalid),
                (3, AnswerProblem::Unanswered),
            ]
        );
    }

    #[test]
    fn each_kind_is_all_or_nothing() {
        let single = AnswerKey::Single("b".into());
        assert!(single.accepts(&Answer::Single("b".into())));
        assert!(!single.accepts(&Answer::Single("a".into())));
        assert!(!single.accepts(&Answer::Blank));

        let multiple = AnswerKey::Multiple(set(&["a", "c"]));
        assert!(multiple.accepts(&Answer::Multiple(set(&["c", "a"]))));
        assert!(
            !multiple.accepts(&Answer::Multiple(set(&["a"]))),
            "partial is wrong"
        );
        assert!(
            !multiple.accepts(&Answer::Multiple(set(&["a", "b", "c"]))),
            "extra is wrong"
        );

        let tf = AnswerKey::TrueFalse(false);
        assert!(tf.accepts(&Answer::TrueFalse(false)));
        assert!(!tf.accepts(&Answer::TrueFalse(true)));

        let order = AnswerKey::Ordering(vec!["x".into(), "y".into(), "z".into()]);
        assert!(order.accepts(&Answer::Ordering(vec!["x".into(), "y".into(), "z".into()])));
        assert!(!order.accepts(&Answer::Ordering(vec!["y".into(), "x".into(), "z".into()])));
        // An answer of the wrong kind is never right.
        assert!(!order.accepts(&Answer::Single("x".into())));
    }

    #[test]
    fn pass_mark_is_inclusive() {
        let keys: Vec<AnswerKey> = (0..10).map(|_| AnswerKey::TrueFalse(true)).collect();
        let mut answers = vec![Answer::TrueFalse(true); 8];
        answers.extend([Answer::TrueFalse(false), Answer::Blank]);
        let s = score(&keys, &answers, 80);
        assert_eq!((s.points, s.total, s.percent, s.passed), (8, 10, 80, true));
        answers[0] = Answer::Blank;
        let s = score(&keys, &answers, 80);
        assert_eq!((s.points, s.percent, s.passed), (7, 70, false));
        assert!(!s.correct[0]);
    }

    #[test]
    fn an_empty_quiz_is_never_passed() {
        let s = score(&[], &[], 0);
        assert!(!s.passed);
        assert_eq!(s.percent, 0);
    }

    fn key_and_answer() -> impl Strategy<Value = (AnswerKey, Answer)> {
        prop_oneof![
            ("[a-d]", "[a-d]").prop_map(|(k, a)| (AnswerKey::Single(k), Answer::Single(a))),
            (any::<bool>(), any::<bool>())
                .prop_map(|(k, a)| (AnswerKey::TrueFalse(k), Answer::TrueFalse(a))),
            (
                proptest::collection::btree_set("[a-e]", 1..4),
                proptest::collection::btree_set("[a-e]", 0..5)
            )
                .prop_map(|(k, a)| (AnswerKey::Multiple(k), Answer::Multiple(a))),
        ]
    }

    proptest! {
        #[test]
        fn the_score_counts_exactly_the_right_answers(
            pairs in proptest::collection::vec(key_and_answer(), 0..20),
            pass_mark in 0u32..=100,
        ) {
            let (keys, answers): (Vec<_>, Vec<_>) = pairs.into_iter().unzip();
            let s = score(&keys, &answers, pass_mark);
            let expected = keys.iter().zip(&answers).filter(|(k, a)| k.accepts(a)).count() as u32;
            prop_assert_eq!(s.points, expected);
            prop_assert_eq!(s.total as usize, keys.len());
            prop_assert!(s.percent <= 100);
            prop_assert_eq!(s.passed, !keys.is_empty() && s.percent >= pass_mark);
        }

        #[test]
        fn answering_with_the_key_always_scores_full_marks(
            pairs in proptest::collection::vec(key_and_answer(), 1..20),
        ) {
            let keys: Vec<AnswerKey> = pairs.into_iter().map(|(k, _)| k).collect();
            let perfect: Vec<Answer> = keys.iter().map(|k| match k {
                AnswerKey::Single(x) => Answer::Single(x.clone()),
                AnswerKey::Multiple(x) => Answer::Multiple(x.clone()),
                AnswerKey::TrueFalse(x) => Answer::TrueFalse(*x),
                AnswerKey::Ordering(x) => Answer::Ordering(x.clone()),
            }).collect();
            let s = score(&keys, &perfect, 100);
            prop_assert_eq!(s.percent, 100);
            prop_assert!(s.passed);
        }

        #[test]
        fn changing_one_right_answer_to_blank_never_raises_the_score(
            pairs in proptest::collection::vec(key_and_answer(), 1..20),
            index in any::<prop::sample::Index>(),
        ) {
            let (keys, mut answers): (Vec<_>, Vec<_>) = pairs.into_iter().unzip();
            let before = score(&keys, &answers, 80);
            let i = index.index(answers.len());
            answers[i] = Answer::Blank;
            let after = score(&keys, &answers, 80);
            prop_assert!(after.points <= before.points);
        }
    }
}
