//! Working days: how a one-stop desk counts a procedure's legal time limit.
//!
//! Việt Nam's offices work Monday to Friday. Public holidays (Labour Code 2019, article 112) and
//! the days the government moves around them are off; a Saturday swapped for a bridging day is
//! worked. The days themselves are announced year by year, so the caller supplies them; the
//! counting is here.
//!
//! The counting rule: a dossier received on a working day before the 15:00 cut-off is received
//! that day, otherwise on the next working day. A same-day procedure is due on the day it is
//! received; a limit of N working days is due on the N-th working day after it.

use std::collections::BTreeSet;

use thiserror::Error;

use super::vn::Date;

/// Dossiers received at or after this hour count from the next working day.
pub const CUT_OFF_HOUR: u8 = 15;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub fn of(date: Date) -> Weekday {
        // 1 January 1970 was a Thursday.
        match (date.epoch_day() + 3).rem_euclid(7) {
            0 => Weekday::Monday,
            1 => Weekday::Tuesday,
            2 => Weekday::Wednesday,
            3 => Weekday::Thursday,
            4 => Weekday::Friday,
            5 => Weekday::Saturday,
            _ => Weekday::Sunday,
        }
    }

    pub fn is_weekend(self) -> bool {
        matches!(self, Weekday::Saturday | Weekday::Sunday)
    }
}

/// A procedure's legal time limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeLimit {
    /// Returned the day it is received (after the cut-off: the next working day).
    SameDay,
    /// Returned on the N-th working day after the day it is received.
    WorkingDays(u16),
}

/// When a dossier reached the desk: the day and the hour (Việt Nam time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Received {
    pub day: Date,
    pub hour: u8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum CalendarError {
    /// The count runs past the years the calendar knows: nobody can promise a date there.
    #[error("{0} is outside the working calendar")]
    Outside(Date),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkingCalendar {
    /// The years whose days off are known, inclusive.
    years: BTreeSet<u16>,
    days_off: BTreeSet<Date>,
    /// Weekend days worked in exchange for a bridging day off.
    worked_weekends: BTreeSet<Date>,
}

impl WorkingCalendar {
    /// A calendar of `years`, with their days off and their worked weekend days. A day off on
    /// a weekend, or a "worked weekend day" on a weekday, changes nothing.
    pub fn new(
        years: impl IntoIterator<Item = u16>,
        days_off: impl IntoIterator<Item = Date>,
        worked_weekends: impl IntoIterator<Item = Date>,
    ) -> WorkingCalendar {
        WorkingCalendar {
            years: years.into_iter().collect(),
            days_off: days_off.into_iter().collect(),
            worked_weekends: worked_weekends.into_iter().collect(),
        }
    }

    pub fn knows(&self, day: Date) -> bool {
        self.years.contains(&day.year)
    }

    pub fn is_working_day(&self, day: Date) -> Result<bool, CalendarError> {
        if !self.knows(day) {
            return Err(CalendarError::Outside(day));
        }
        if self.worked_weekends.contains(&day) {
            return Ok(true);
        }
        Ok(!Weekday::of(day).is_weekend() && !self.days_off.contains(&day))
    }

    /// The first working day strictly after `day`.
    pub fn next_working_day(&self, day: Date) -> Result<Date, CalendarError> {
        let mut d = day;
        loop {
            d = Date::from_epoch_days(d.epoch_day() + 1);
            if self.is_working_day(d)? {
                return Ok(d);
            }
        }
    }

    /// The working day a dossier counts as received on.
    pub fn receipt_day(&self, received: Received) -> Result<Date, CalendarError> {
        if self.is_working_day(received.day)? && received.hour < CUT_OFF_HOUR {
            Ok(received.day)
        } else {
            self.next_working_day(received.day)
        }
    }

    /// The appointment date on the receipt: when the result is due.
    pub fn due_date(&self, received: Received, limit: TimeLimit) -> Result<Date, CalendarError> {
        let mut due = self.receipt_day(received)?;
        if let TimeLimit::WorkingDays(n) = limit {
            for _ in 0..n {
                due = self.next_working_day(due)?;
            }
        }
        Ok(due)
    }

    /// Working days from `due` to `returned`: 0 when on time or early.
    pub fn working_days_late(&self, due: Date, returned: Date) -> Result<u32, CalendarError> {
        let mut late = 0;
        let mut d = due;
        while d < returned {
            d = self.next_working_day(d)?;
            if d <= returned {
                late += 1;
            }
        }
        Ok(late)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u8, month: u8, year: u16) -> Date {
        Date::new(year, month, day).expect("a real date")
    }

    fn at(day: Date, hour: u8) -> Received {
        Received { day, hour }
    }

    /// 2026 as announced: Tết 14–22 February, Hùng Kings' day on Sunday 26 April moved to
    /// Monday 27, 30 April and 1 May, National Day 1–2 September.
    fn year_2026() -> WorkingCalendar {
        let mut off = vec![d(1, 1, 2026), d(27, 4, 2026), d(30, 4, 2026), d(1, 5, 2026)];
        off.extend((14..=22).map(|day| d(day, 2, 2026)));
        off.extend([d(1, 9, 2026), d(2, 9, 2026)]);
        WorkingCalendar::new([2026], off, [])
    }

    #[test]
    fn weekdays_are_right() {
        assert_eq!(Weekday::of(d(1, 1, 1970)), Weekday::Thursday);
        assert_eq!(Weekday::of(d(1, 7, 2025)), Weekday::Tuesday);
        assert_eq!(Weekday::of(d(7, 12, 2026)), Weekday::Monday);
        assert_eq!(Weekday::of(d(29, 2, 2028)), Weekday::Tuesday);
    }

    #[test]
    fn a_same_day_procedure_is_due_today_before_the_cut_off_and_next_working_day_after() {
        let cal = year_2026();
        let friday = d(4, 12, 2026);
        let morning = at(friday, 9);
        let late = at(friday, 15);
        assert_eq!(cal.due_date(morning, TimeLimit::SameDay), Ok(friday));
        assert_eq!(cal.due_date(late, TimeLimit::SameDay), Ok(d(7, 12, 2026)));
        // Filed online on a Saturday: received on Monday.
        let saturday = at(d(5, 12, 2026), 8);
        assert_eq!(
            cal.due_date(saturday, TimeLimit::SameDay),
            Ok(d(7, 12, 2026))
        );
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        let cal = year_2026();
        // Thursday 26 November + 3 working days: Friday 27, Monday 30, Tuesday 1 December.
        let thursday = at(d(26, 11, 2026), 10);
        assert_eq!(
            cal.due_date(thursday, TimeLimit::WorkingDays(3)),
            Ok(d(1, 12, 2026))
        );
        // Before Tết: Thursday 12 February + 3 = Fri 13, then 23, 24 February.
        let before_tet = at(d(12, 2, 2026), 10);
        assert_eq!(
            cal.due_date(before_tet, TimeLimit::WorkingDays(3)),
            Ok(d(24, 2, 2026))
        );
        // Permanent residence, 7 working days from Friday 24 April: 28, 29 April, then
        // 4–8 May (27 April, 30 April and 1 May are off).
        let residence = at(d(24, 4, 2026), 9);
        assert_eq!(
            cal.due_date(residence, TimeLimit::WorkingDays(7)),
            Ok(d(8, 5, 2026))
        );
    }

    #[test]
    fn a_worked_saturday_counts() {
        let sat = d(10, 1, 2026);
        let cal = WorkingCalendar::new([2026], [d(2, 1, 2026)], [sat]);
        assert_eq!(cal.is_working_day(sat), Ok(true));
        let friday = at(d(9, 1, 2026), 10);
        assert_eq!(cal.due_date(friday, TimeLimit::WorkingDays(1)), Ok(sat));
    }

    #[test]
    fn nothing_is_promised_past_the_known_years() {
        let cal = year_2026();
        let december = at(d(30, 12, 2026), 10);
        assert_eq!(
            cal.due_date(december, TimeLimit::WorkingDays(1)),
            Ok(d(31, 12, 2026))
        );
        assert_eq!(
            cal.due_date(december, TimeLimit::WorkingDays(2)),
            Err(CalendarError::Outside(d(1, 1, 2027)))
        );
    }

    #[test]
    fn lateness_is_counted_in_working_days() {
        let cal = year_2026();
        let due = d(12, 2, 2026);
        assert_eq!(cal.working_days_late(due, due), Ok(0));
        assert_eq!(cal.working_days_late(due, d(11, 2, 2026)), Ok(0));
        assert_eq!(cal.working_days_late(due, d(13, 2, 2026)), Ok(1));
        // Returned on Monday 23 February after Tết: two working days late (13, 23).
        assert_eq!(cal.working_days_late(due, d(23, 2, 2026)), Ok(2));
        // A day off in between does not count.
        assert_eq!(cal.working_days_late(due, d(20, 2, 2026)), Ok(1));
    }
}
