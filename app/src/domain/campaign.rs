//! The campaign's rules: which day of the campaign it is, the target line a burn-up chart
//! draws, which units are at risk, the metrics the rollups count, deployment shifts, the
//! outcomes of assisted sessions and the keys of households. No IO: the store counts, these
//! rules decide.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::text::{fold_tone_placement, normalize};
use super::Cohort;

/// What the rollups count, per unit and per province. Stored as [`Metric::as_str`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Metric {
    /// Learners of a cohort attached to the unit.
    Members(Cohort),
    /// Learners of a cohort who ever passed a quiz or an exam run.
    Trained(Cohort),
    /// Learners of a cohort meeting their position's standard (volunteers: ready).
    Meeting(Cohort),
    /// Volunteers with at least one shift in the unit (province: anywhere).
    Deployed,
    /// Households volunteers met.
    HouseholdsSeen,
    /// Households with a member who can use the portal on their own.
    HouseholdsProficient,
    /// Assisted sessions, by outcome, their minutes, and those after which the resident passed
    /// the procedure's practice unaided.
    Assists,
    AssistsOnline,
    AssistsHelped,
    AssistsImpossible,
    AssistMinutes,
    AssistsIndependent,
}

impl Metric {
    pub const ALL: [Metric; 18] = [
        Metric::Members(Cohort::Official),
        Metric::Members(Cohort::Volunteer),
        Metric::Members(Cohort::Resident),
        Metric::Trained(Cohort::Official),
        Metric::Trained(Cohort::Volunteer),
        Metric::Trained(Cohort::Resident),
        Metric::Meeting(Cohort::Official),
        Metric::Meeting(Cohort::Volunteer),
        Metric::Meeting(Cohort::Resident),
        Metric::Deployed,
        Metric::HouseholdsSeen,
        Metric::HouseholdsProficient,
        Metric::Assists,
        Metric::AssistsOnline,
        Metric::AssistsHelped,
        Metric::AssistsImpossible,
        Metric::AssistMinutes,
        Metric::AssistsIndependent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Members(Cohort::Official) => "official.members",
            Metric::Members(Cohort::Volunteer) => "volunteer.members",
            Metric::Members(Cohort::Resident) => "resident.members",
            Metric::Trained(Cohort::Official) => "official.trained",
            Metric::Trained(Cohort::Volunteer) => "volunteer.trained",
            Metric::Trained(Cohort::Resident) => "resident.trained",
            Metric::Meeting(Cohort::Official) => "official.meeting",
            Metric::Meeting(Cohort::Volunteer) => "volunteer.meeting",
            Metric::Meeting(Cohort::Resident) => "resident.meeting",
            Metric::Deployed => "volunteer.deployed",
            Metric::HouseholdsSeen => "households.seen",
            Metric::HouseholdsProficient => "households.proficient",
            Metric::Assists => "assists.total",
            Metric::AssistsOnline => "assists.online",
            Metric::AssistsHelped => "assists.helped",
            Metric::AssistsImpossible => "assists.impossible",
            Metric::AssistMinutes => "assists.minutes",
            Metric::AssistsIndependent => "assists.independent",
        }
    }

    pub fn parse(code: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.as_str() == code)
    }
}

/// What organizers set targets for, city-wide and per unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Goal {
    /// Officials meeting their position's standard, % of the officials on the roster.
    OfficialsMeeting,
    /// Volunteers meeting the volunteer standard (a count).
    VolunteersReady,
    /// Volunteers sent to at least one shift (a count).
    VolunteersDeployed,
    /// Residents who passed at least one quiz or exam run (a count).
    ResidentsTrained,
    /// Households with a proficient member, % of the households in the unit's figures.
    HouseholdsProficient,
    /// Procedures received online, % of all received (the portal's figures).
    OnlineRate,
}

impl Goal {
    pub const ALL: [Goal; 6] = [
        Goal::OfficialsMeeting,
        Goal::VolunteersReady,
        Goal::VolunteersDeployed,
        Goal::ResidentsTrained,
        Goal::HouseholdsProficient,
        Goal::OnlineRate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Goal::OfficialsMeeting => "officials_meeting_pct",
            Goal::VolunteersReady => "volunteers_ready",
            Goal::VolunteersDeployed => "volunteers_deployed",
            Goal::ResidentsTrained => "residents_trained",
            Goal::HouseholdsProficient => "households_proficient_pct",
            Goal::OnlineRate => "online_rate_pct",
        }
    }

    pub fn parse(code: &str) -> Option<Goal> {
        Goal::ALL.into_iter().find(|g| g.as_str() == code)
    }

    /// Whether the target is a percentage (0–100) rather than a count.
    pub fn is_percent(self) -> bool {
        matches!(
            self,
            Goal::OfficialsMeeting | Goal::HouseholdsProficient | Goal::OnlineRate
        )
    }

    /// The largest target accepted.
    pub fn max_target(self) -> i64 {
        if self.is_percent() {
            100
        } else {
            10_000_000
        }
    }
}

/// A goal's standing at some moment: `count` of `of` (percent goals), or a bare count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    pub count: i64,
    /// The denominator of a percent goal; `None` when unknown (no figures yet).
    pub of: Option<i64>,
}

impl Reading {
    pub fn count(count: i64) -> Reading {
        Reading { count, of: None }
    }

    pub fn share(count: i64, of: i64) -> Reading {
        Reading {
            count,
            of: Some(of),
        }
    }

    /// The value compared with the goal's target: a percent (rounded down) for percent goals,
    /// the count otherwise. `None` when a percent goal has nothing to divide by.
    pub fn value(self, goal: Goal) -> Option<i64> {
        if goal.is_percent() {
            match self.of {
                Some(of) if of > 0 => Some(self.count.max(0) * 100 / of),
                _ => None,
            }
        } else {
            Some(self.count)
        }
    }
}

/// A campaign's calendar: the first day (days since 1970-01-01, Việt Nam time) and its length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    pub first_day: i64,
    pub days: i64,
}

/// Where a day falls in a campaign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    /// Starts in this many days.
    Before(i64),
    /// Day N of the campaign, 1-based.
    Day(i64),
    /// Ended this many days ago (1: yesterday was its last day).
    After(i64),
}

impl Calendar {
    pub fn phase(self, today: i64) -> Phase {
        let n = today - self.first_day + 1;
        if n < 1 {
            Phase::Before(1 - n)
        } else if n > self.days {
            Phase::After(n - self.days)
        } else {
            Phase::Day(n)
        }
    }

    /// The last day (inclusive).
    pub fn last_day(self) -> i64 {
        self.first_day + self.days - 1
    }

    /// How many days of the campaign have begun by `today` (0 before it, `days` after it).
    pub fn elapsed(self, today: i64) -> i64 {
        (today - self.first_day + 1).clamp(0, self.days)
    }
}

/// Where the target line stands after `elapsed` of `days` days: a straight line from `start`
/// (the value when the campaign began) to `target` on the last day. Rounded down.
pub fn target_line(start: i64, target: i64, elapsed: i64, days: i64) -> i64 {
    if days <= 0 {
        return target;
    }
    let elapsed = elapsed.clamp(0, days);
    start + (target - start) * elapsed / days
}

/// Days in which a unit is not yet judged: the first week is for getting started.
pub const GRACE_DAYS: i64 = 7;

/// A unit is behind a goal when its value is under this share (in percent) of where the
/// target line stands.
pub const BEHIND_SHARE: i64 = 80;

/// How far a unit is behind on one goal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortfall {
    pub goal: Goal,
    pub value: i64,
    /// Where the target line stands today.
    pub expected: i64,
    pub target: i64,
}

impl Shortfall {
    /// The value as a percent of where it should be (0 when nothing was expected).
    pub fn pace_percent(self) -> i64 {
        if self.expected <= 0 {
            100
        } else {
            self.value.max(0) * 100 / self.expected
        }
    }
}

/// The goals on which a unit is behind after `elapsed` days: past the grace week, a value
/// below [`BEHIND_SHARE`]% of the target line (drawn from `start`). Goals without a target or a
/// value are not judged. Worst first.
pub fn shortfalls(
    goals: &[(Goal, Option<i64>, Option<i64>, i64)],
    elapsed: i64,
    days: i64,
) -> Vec<Shortfall> {
    if elapsed <= GRACE_DAYS {
        return Vec::new();
    }
    let mut behind: Vec<Shortfall> = goals
        .iter()
        .filter_map(|&(goal, target, value, start)| {
            let (target, value) = (target?, value?);
            let expected = target_line(start.min(target), target, elapsed, days);
            (expected > 0 && value * 100 < expected * BEHIND_SHARE).then_some(Shortfall {
                goal,
                value,
                expected,
                target,
            })
        })
        .collect();
    behind.sort_by_key(|s| (s.pace_percent(), s.goal));
    behind
}

/// One shift of a deployment day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Shift {
    Morning,
    Afternoon,
    Evening,
}

impl Shift {
    pub const ALL: [Shift; 3] = [Shift::Morning, Shift::Afternoon, Shift::Evening];

    pub fn as_str(self) -> &'static str {
        match self {
            Shift::Morning => "morning",
            Shift::Afternoon => "afternoon",
            Shift::Evening => "evening",
        }
    }

    pub fn parse(code: &str) -> Option<Shift> {
        Shift::ALL.into_iter().find(|s| s.as_str() == code.trim())
    }
}

/// How an assisted session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Outcome {
    /// The resident's dossier was submitted online.
    Online,
    /// The resident needed the volunteer to do part of it.
    Helped,
    /// It could not be done online (a missing document, no account, the portal down…).
    Impossible,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Online, Outcome::Helped, Outcome::Impossible];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Online => "online",
            Outcome::Helped => "helped",
            Outcome::Impossible => "impossible",
        }
    }

    pub fn parse(code: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == code.trim())
    }

    pub fn metric(self) -> Metric {
        match self {
            Outcome::Online => Metric::AssistsOnline,
            Outcome::Helped => Metric::AssistsHelped,
            Outcome::Impossible => Metric::AssistsImpossible,
        }
    }
}

/// Longest session a volunteer can log, in minutes.
pub const MAX_ASSIST_MINUTES: i64 = 600;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum HouseholdError {
    #[error("the household is empty")]
    Empty,
    #[error("the household is too long")]
    TooLong,
}

/// The key a household is counted by within its unit: what the volunteer wrote (a household
/// book number or an address), NFC, one tone placement, lower case, with punctuation and
/// repeated spaces dropped. "Số 8, ngõ 12 Thái Hà" and "số 8 ngõ 12  thái hà" are one household.
pub fn household_key(input: &str) -> Result<String, HouseholdError> {
    let folded = fold_tone_placement(&normalize(input)).to_lowercase();
    let cleaned: String = folded
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '/' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let key = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if key.is_empty() {
        return Err(HouseholdError::Empty);
    }
    if key.chars().count() > 200 {
        return Err(HouseholdError::TooLong);
    }
    Ok(key)
}

/// Whether a volunteer may still log a session for a shift of `day`: from the day itself up
/// to three days after (a paper notebook filled in later), never ahead of time.
pub fn may_log_for(day: i64, today: i64) -> bool {
    (0..=3).contains(&(today - day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for m in Metric::ALL {
            assert_eq!(Metric::parse(m.as_str()), Some(m));
        }
        for g in Goal::ALL {
            assert_eq!(Goal::parse(g.as_str()), Some(g));
        }
        for s in Shift::ALL {
            assert_eq!(Shift::parse(s.as_str()), Some(s));
        }
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
        assert_eq!(Metric::parse("official.meets"), None);
        assert_eq!(Shift::parse("night"), None);
    }

    #[test]
    fn the_calendar_counts_days_one_based() {
        let c = Calendar {
            first_day: 100,
            days: 45,
        };
        assert_eq!(c.phase(98), Phase::Before(2));
        assert_eq!(c.phase(100), Phase::Day(1));
        assert_eq!(c.phase(144), Phase::Day(45));
        assert_eq!(c.phase(145), Phase::After(1));
        assert_eq!(c.last_day(), 144);
        assert_eq!(c.elapsed(99), 0);
        assert_eq!(c.elapsed(120), 21);
        assert_eq!(c.elapsed(400), 45);
    }

    #[test]
    fn the_target_line_runs_from_the_start_to_the_target() {
        assert_eq!(target_line(0, 80, 0, 45), 0);
        assert_eq!(target_line(0, 80, 45, 45), 80);
        assert_eq!(target_line(40, 80, 22, 45), 59);
        assert_eq!(target_line(0, 80, 90, 45), 80, "clamped after the end");
    }

    #[test]
    fn percent_readings_need_a_denominator() {
        assert_eq!(Reading::share(3, 4).value(Goal::OnlineRate), Some(75));
        assert_eq!(Reading::share(3, 0).value(Goal::OnlineRate), None);
        assert_eq!(Reading::count(3).value(Goal::OnlineRate), None);
        assert_eq!(Reading::count(3).value(Goal::VolunteersReady), Some(3));
    }

    #[test]
    fn units_are_judged_after_the_first_week_against_the_line() {
        let goals = [
            (Goal::OnlineRate, Some(80), Some(40), 40),
            (Goal::OfficialsMeeting, Some(100), Some(10), 0),
            (Goal::VolunteersReady, None, Some(0), 0),
            (Goal::ResidentsTrained, Some(100), None, 0),
        ];
        assert!(shortfalls(&goals, GRACE_DAYS, 45).is_empty());
        let day_30 = shortfalls(&goals, 30, 45);
        // Online: line at 40 + 40·30/45 = 66; 40 < 80% of 66. Officials: line at 66; 10 is far
        // behind: worst first.
        assert_eq!(
            day_30.iter().map(|s| s.goal).collect::<Vec<_>>(),
            vec![Goal::OfficialsMeeting, Goal::OnlineRate]
        );
        assert_eq!(day_30[1].expected, 66);
        let on_pace = [(Goal::OnlineRate, Some(80), Some(60), 40)];
        assert!(shortfalls(&on_pace, 30, 45).is_empty(), "60 ≥ 80% of 66");
        let met = [(Goal::VolunteersReady, Some(0), Some(0), 0)];
        assert!(shortfalls(&met, 30, 45).is_empty(), "a zero target is met");
    }

    #[test]
    fn households_are_one_whatever_the_spelling() {
        let a = household_key("Số 8, ngõ 12 Thái Hà").unwrap();
        let b = household_key("  số 8 ngõ 12   THÁI HÀ ").unwrap();
        assert_eq!(a, b);
        assert_eq!(
            household_key("Ngõ 5 Hoà Mã").unwrap(),
            household_key("ngõ 5 hòa mã").unwrap()
        );
        assert_eq!(household_key("12/3 Kim Mã").unwrap(), "12/3 kim mã");
        assert_eq!(household_key(" ,. "), Err(HouseholdError::Empty));
        assert_eq!(
            household_key(&"a".repeat(201)),
            Err(HouseholdError::TooLong)
        );
    }

    #[test]
    fn sessions_are_logged_on_the_day_or_soon_after() {
        assert!(may_log_for(10, 10));
        assert!(may_log_for(10, 13));
        assert!(!may_log_for(10, 14));
        assert!(!may_log_for(11, 10), "not ahead of the shift");
    }
}
