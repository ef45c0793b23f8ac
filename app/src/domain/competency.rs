//! Competency verification: how pieces of evidence (a scored quiz attempt, a scored exam-mode
//! practice run) become a verified level per competence, and how verified levels compare with
//! a job position's standard.
//!
//! The rule (configurable in `content/framework.toml`, `[verification]`): a learner holds level
//! L of a competence when at least `min_evidence` **different** assessments (quizzes or
//! procedures) each gave a piece of evidence that
//! - is tagged with that competence at level L or above,
//! - scored at least `min_percent`,
//! - was earned within the last `window_days` days, and
//! - was earned on the assessment's current version (evidence on a retired version expires).
//!
//! The verified level is the highest such L (0 when there is none). Self-assessed levels are
//! never an input: they are shown beside the verified level and cannot raise it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// The highest level of the framework.
pub const MAX_LEVEL: u8 = 8;

/// The verification rule's parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// How many different assessments must agree.
    pub min_evidence: u32,
    /// The lowest score (percent) that counts.
    pub min_percent: u32,
    /// How long a piece of evidence counts, in days.
    pub window_days: u32,
}

impl Default for Rule {
    fn default() -> Self {
        Rule {
            min_evidence: 2,
            min_percent: 80,
            window_days: 365,
        }
    }
}

impl Rule {
    /// The window in seconds.
    pub fn window(&self) -> i64 {
        i64::from(self.window_days) * DAY
    }

    /// Whether one piece of evidence counts at `now`, and if not, why.
    pub fn standing_of(&self, e: &Evidence, now: i64) -> EvidenceStanding {
        if e.retired {
            EvidenceStanding::Retired
        } else if e.percent < self.min_percent {
            EvidenceStanding::BelowMark
        } else if e.at + self.window() <= now {
            EvidenceStanding::Expired
        } else {
            EvidenceStanding::Counts
        }
    }
}

/// Whether a piece of evidence counts towards a level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EvidenceStanding {
    Counts,
    /// Scored below the rule's mark.
    BelowMark,
    /// Older than the rule's window.
    Expired,
    /// Earned on a version of the quiz or procedure that has since been replaced.
    Retired,
}

/// One piece of evidence for one competence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The assessment it came from, e.g. `quiz:cong-dich-vu-cong` or
    /// `practice:dang-ky-khai-sinh`. Evidence from the same source counts once.
    pub source: String,
    /// The level the assessment evidences.
    pub level: u8,
    /// Its score.
    pub percent: u32,
    /// When it was earned (Unix seconds).
    pub at: i64,
    /// Earned on a version that is no longer current.
    pub retired: bool,
}

/// A verified level and what it rests on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verified {
    /// 0 when nothing is verified.
    pub level: u8,
    /// When the level would drop if nothing new arrives (Unix seconds); `None` at level 0.
    pub until: Option<i64>,
    /// Indices (into the evidence given) of the pieces behind the level: for each source that
    /// supports it, its newest qualifying piece.
    pub basis: Vec<usize>,
}

/// The verified level of one competence, from that competence's evidence.
///
/// The result does not depend on the order of `evidence`, never falls when evidence is added,
/// and never rises as `now` advances.
pub fn verify(rule: &Rule, evidence: &[Evidence], now: i64) -> Verified {
    let need = rule.min_evidence.max(1) as usize;
    for level in (1..=MAX_LEVEL).rev() {
        // Per source: its newest piece that counts at this level (ties: the lowest index).
        let mut newest: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, e) in evidence.iter().enumerate() {
            if e.level < level || rule.standing_of(e, now) != EvidenceStanding::Counts {
                continue;
            }
            newest
                .entry(e.source.as_str())
                .and_modify(|best| {
                    if evidence[*best].at < e.at {
                        *best = i;
                    }
                })
                .or_insert(i);
        }
        if newest.len() >= need {
            let mut times: Vec<i64> = newest.values().map(|&i| evidence[i].at).collect();
            times.sort_unstable_by(|a, b| b.cmp(a));
            // The level holds while `need` sources still count: until the need-th newest expires.
            let until = times[need - 1] + rule.window();
            let mut basis: Vec<usize> = newest.into_values().collect();
            basis.sort_unstable();
            return Verified {
                level,
                until: Some(until),
                basis,
            };
        }
    }
    Verified::default()
}

/// Verified levels for every competence that has evidence. `evidence` pairs each piece with its
/// competence id.
pub fn verify_all(
    rule: &Rule,
    evidence: &[(String, Evidence)],
    now: i64,
) -> BTreeMap<String, Verified> {
    let mut by_competence: BTreeMap<&str, Vec<Evidence>> = BTreeMap::new();
    for (competence, e) in evidence {
        by_competence
            .entry(competence.as_str())
            .or_default()
            .push(e.clone());
    }
    by_competence
        .into_iter()
        .map(|(c, list)| (c.to_owned(), verify(rule, &list, now)))
        .collect()
}

/// One competence of a position's standard, for one learner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub competence: String,
    /// The level the position requires (0 when it requires none).
    pub required: u8,
    /// What the learner says of themself, if they said.
    pub self_assessed: Option<u8>,
    pub verified: u8,
}

impl Line {
    /// Levels still missing: required minus verified. The self-assessment plays no part.
    pub fn gap(&self) -> u8 {
        self.required.saturating_sub(self.verified)
    }

    pub fn met(&self) -> bool {
        self.gap() == 0
    }
}

/// How a learner stands against a position's standard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    /// Required competences met.
    pub met: u32,
    /// Required competences.
    pub required: u32,
    /// When the standing must be looked at again because a verified level may drop (the
    /// earliest `until` among the learner's verified levels); `None` when nothing can drop.
    pub review_at: Option<i64>,
}

impl Standing {
    /// Whether every required competence is met (a position that requires nothing is met).
    pub fn meets(&self) -> bool {
        self.met == self.required
    }
}

/// Compares verified levels with a standard (`requires`: competence, level).
pub fn standing(requires: &[(String, u8)], levels: &BTreeMap<String, Verified>) -> Standing {
    let met = requires
        .iter()
        .filter(|(c, need)| levels.get(c).map_or(0, |v| v.level) >= *need)
        .count() as u32;
    let review_at = levels.values().filter_map(|v| v.until).min();
    Standing {
        met,
        required: requires.len() as u32,
        review_at,
    }
}

/// The lines of a learner's passport: every required competence, then every other competence
/// the learner has a verified or self-assessed level in, in competence order within each part.
pub fn lines(
    requires: &[(String, u8)],
    levels: &BTreeMap<String, Verified>,
    self_assessed: &BTreeMap<String, u8>,
) -> Vec<Line> {
    let line = |competence: &str, required: u8| Line {
        competence: competence.to_owned(),
        required,
        self_assessed: self_assessed.get(competence).copied(),
        verified: levels.get(competence).map_or(0, |v| v.level),
    };
    let mut out: Vec<Line> = requires.iter().map(|(c, l)| line(c, *l)).collect();
    let mut others: Vec<&str> = levels
        .iter()
        .filter(|(_, v)| v.level > 0)
        .map(|(c, _)| c.as_str())
        .chain(self_assessed.keys().map(String::as_str))
        .filter(|c| !requires.iter().any(|(r, _)| r == c))
        .collect();
    others.sort_unstable();
    others.dedup();
    out.extend(others.into_iter().map(|c| line(c, 0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NOW: i64 = 1_800_000_000;

    fn ev(source: &str, level: u8, percent: u32, days_ago: i64) -> Evidence {
        Evidence {
            source: source.to_owned(),
            level,
            percent,
            at: NOW - days_ago * DAY,
            retired: false,
        }
    }

    #[test]
    fn two_assessments_at_the_level_verify_it() {
        let rule = Rule::default();
        let one = [ev("quiz:a", 3, 90, 10)];
        assert_eq!(
            verify(&rule, &one, NOW).level,
            0,
            "one assessment is not enough"
        );
        let two = [ev("quiz:a", 3, 90, 10), ev("practice:b", 4, 85, 3)];
        let v = verify(&rule, &two, NOW);
        assert_eq!(v.level, 3, "the lower of the two levels");
        assert_eq!(v.basis, vec![0, 1]);
        assert_eq!(v.until, Some(NOW - 10 * DAY + 365 * DAY));
    }

    #[test]
    fn the_same_assessment_twice_counts_once() {
        let rule = Rule::default();
        let same = [ev("quiz:a", 3, 90, 10), ev("quiz:a", 3, 95, 1)];
        assert_eq!(verify(&rule, &same, NOW).level, 0);
    }

    #[test]
    fn low_scores_old_and_retired_evidence_do_not_count() {
        let rule = Rule::default();
        let base = ev("quiz:a", 3, 90, 10);
        for (other, standing) in [
            (ev("quiz:b", 3, 79, 1), EvidenceStanding::BelowMark),
            (ev("quiz:b", 3, 80, 365), EvidenceStanding::Expired),
            (
                Evidence {
                    retired: true,
                    ..ev("quiz:b", 3, 100, 1)
                },
                EvidenceStanding::Retired,
            ),
        ] {
            assert_eq!(rule.standing_of(&other, NOW), standing);
            assert_eq!(verify(&rule, &[base.clone(), other], NOW).level, 0);
        }
        assert_eq!(
            rule.standing_of(&ev("quiz:b", 3, 80, 364), NOW),
            EvidenceStanding::Counts
        );
    }

    #[test]
    fn the_rule_is_configurable() {
        let strict = Rule {
            min_evidence: 3,
            min_percent: 90,
            window_days: 30,
        };
        let e = [
            ev("quiz:a", 4, 95, 1),
            ev("quiz:b", 4, 92, 2),
            ev("quiz:c", 4, 91, 29),
        ];
        assert_eq!(verify(&strict, &e, NOW).level, 4);
        assert_eq!(verify(&strict, &e, NOW + 2 * DAY).level, 0, "one falls out");
        let lenient = Rule {
            min_evidence: 1,
            ..Rule::default()
        };
        assert_eq!(verify(&lenient, &e[..1], NOW).level, 4);
    }

    #[test]
    fn a_level_lasts_until_the_second_newest_piece_expires() {
        let rule = Rule::default();
        let e = [
            ev("quiz:a", 3, 90, 300),
            ev("quiz:b", 3, 90, 100),
            ev("quiz:c", 3, 90, 200),
        ];
        let v = verify(&rule, &e, NOW);
        let until = v.until.unwrap_or_default();
        assert_eq!(until, NOW - 200 * DAY + 365 * DAY);
        assert_eq!(verify(&rule, &e, until - 1).level, 3);
        assert_eq!(verify(&rule, &e, until).level, 0);
    }

    #[test]
    fn self_assessment_shows_but_never_fills_a_gap() {
        let requires = vec![("C2.3".to_owned(), 3), ("C4.1".to_owned(), 2)];
        let mut levels = BTreeMap::new();
        levels.insert(
            "C2.3".to_owned(),
            Verified {
                level: 3,
                until: Some(NOW),
                basis: vec![],
            },
        );
        let mut own = BTreeMap::new();
        own.insert("C4.1".to_owned(), 6);
        own.insert("C6.1".to_owned(), 2);
        let l = lines(&requires, &levels, &own);
        assert_eq!(l.len(), 3);
        assert!(l[0].met());
        assert_eq!(
            (l[1].self_assessed, l[1].verified, l[1].gap()),
            (Some(6), 0, 2)
        );
        assert_eq!((l[2].competence.as_str(), l[2].required), ("C6.1", 0));
        let s = standing(&requires, &levels);
        assert_eq!((s.met, s.required, s.meets()), (1, 2, false));
    }

    fn arb_evidence() -> impl Strategy<Value = Evidence> {
        (
            0..5usize,
            1..=8u8,
            0..=100u32,
            0..800i64,
            proptest::bool::weighted(0.1),
        )
            .prop_map(|(s, level, percent, days_ago, retired)| Evidence {
                source: format!("quiz:s{s}"),
                level,
                percent,
                at: NOW - days_ago * DAY,
                retired,
            })
    }

    fn arb_rule() -> impl Strategy<Value = Rule> {
        (1..4u32, 50..=100u32, 30..800u32).prop_map(|(min_evidence, min_percent, window_days)| {
            Rule {
                min_evidence,
                min_percent,
                window_days,
            }
        })
    }

    proptest! {
        #[test]
        fn more_evidence_never_lowers_a_level(
            rule in arb_rule(),
            base in proptest::collection::vec(arb_evidence(), 0..12),
            extra in arb_evidence(),
        ) {
            let before = verify(&rule, &base, NOW).level;
            let mut more = base.clone();
            more.push(extra);
            prop_assert!(verify(&rule, &more, NOW).level >= before);
        }

        #[test]
        fn order_of_events_does_not_change_the_result(
            rule in arb_rule(),
            list in proptest::collection::vec(arb_evidence(), 0..12),
            seed in any::<u64>(),
        ) {
            let mut shuffled = list.clone();
            // A deterministic shuffle from the seed (Fisher–Yates with an LCG).
            let mut x = seed;
            for i in (1..shuffled.len()).rev() {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let j = (x >> 33) as usize % (i + 1);
                shuffled.swap(i, j);
            }
            let a = verify(&rule, &list, NOW);
            let b = verify(&rule, &shuffled, NOW);
            prop_assert_eq!(a.level, b.level);
            prop_assert_eq!(a.until, b.until);
        }

        #[test]
        fn levels_expire_and_never_rise_with_time(
            rule in arb_rule(),
            list in proptest::collection::vec(arb_evidence(), 0..12),
            later in 0..1000i64,
        ) {
            let now = verify(&rule, &list, NOW);
            let then = verify(&rule, &list, NOW + later * DAY);
            prop_assert!(then.level <= now.level);
            if let Some(until) = now.until {
                prop_assert!(until > NOW);
                prop_assert!(verify(&rule, &list, until).level < now.level);
            }
            let newest = list.iter().map(|e| e.at).max().unwrap_or(NOW);
            prop_assert_eq!(verify(&rule, &list, newest + rule.window()).level, 0);
        }

        #[test]
        fn retiring_evidence_never_raises_a_level(
            rule in arb_rule(),
            list in proptest::collection::vec(arb_evidence(), 0..12),
            which in any::<proptest::sample::Index>(),
        ) {
            prop_assume!(!list.is_empty());
            let mut retired = list.clone();
            retired[which.index(list.len())].retired = true;
            prop_assert!(verify(&rule, &retired, NOW).level <= verify(&rule, &list, NOW).level);
        }

        #[test]
        fn self_assessment_never_raises_a_verified_level(
            rule in arb_rule(),
            list in proptest::collection::vec(arb_evidence(), 0..12),
            own in proptest::collection::btree_map("C[0-6]\\.[1-3]", 0..=8u8, 0..6),
            need in 1..=8u8,
        ) {
            let pairs: Vec<(String, Evidence)> =
                list.into_iter().map(|e| ("C2.3".to_owned(), e)).collect();
            let levels = verify_all(&rule, &pairs, NOW);
            let requires = vec![("C2.3".to_owned(), need)];
            let with = lines(&requires, &levels, &own);
            let without = lines(&requires, &levels, &BTreeMap::new());
            prop_assert_eq!(with[0].verified, without[0].verified);
            prop_assert_eq!(with[0].gap(), without[0].gap());
            prop_assert_eq!(standing(&requires, &levels).meets(), without[0].met());
        }

        #[test]
        fn evidence_for_one_competence_leaves_the_others_alone(
            rule in arb_rule(),
            a in proptest::collection::vec(arb_evidence(), 0..10),
            b in proptest::collection::vec(arb_evidence(), 0..10),
        ) {
            // Why recomputing one learner from their own rows is enough: each competence's
            // level depends on that competence's evidence only, whatever else arrives.
            let only_a: Vec<(String, Evidence)> =
                a.iter().map(|e| ("C1.1".to_owned(), e.clone())).collect();
            let mut mixed: Vec<(String, Evidence)> =
                b.iter().map(|e| ("C4.2".to_owned(), e.clone())).collect();
            for (i, pair) in only_a.iter().enumerate() {
                mixed.insert((i * 2).min(mixed.len()), pair.clone());
            }
            let alone = verify_all(&rule, &only_a, NOW);
            let together = verify_all(&rule, &mixed, NOW);
            prop_assert_eq!(
                alone.get("C1.1").map(|v| (v.level, v.until)),
                together.get("C1.1").map(|v| (v.level, v.until))
            );
            prop_assert_eq!(
                together.get("C4.2").map(|v| (v.level, v.until)),
                (!b.is_empty()).then(|| {
                    let v = verify(&rule, &b, NOW);
                    (v.level, v.until)
                })
            );
        }
    }
}
