//! Vietnamese form conventions: dates written dd/mm/yyyy, dates of birth in words, and the 54
//! recognised ethnic groups.

use thiserror::Error;

use super::text::{fold_tone_placement, normalize};

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum DateError {
    #[error("write the date as dd/mm/yyyy")]
    Format,
    #[error("this day does not exist")]
    NoSuchDay,
}

/// The Việt Nam (UTC+7) calendar day of a Unix time, as days since 1 January 1970.
pub fn vn_day(secs: i64) -> i64 {
    (secs + 7 * 3600).div_euclid(86_400)
}

/// [`Date::ordinal`] of 1 January 1970.
const EPOCH_ORDINAL: i64 = 719_162;

impl std::fmt::Display for Date {
    /// dd/mm/yyyy, as Vietnamese forms write dates.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date, DateError> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(DateError::NoSuchDay);
        }
        Ok(Date { year, month, day })
    }

    /// Reads `dd/mm/yyyy` (also `d/m/yyyy`, and `-` or `.` as separators).
    pub fn parse_vn(input: &str) -> Result<Date, DateError> {
        let parts: Vec<&str> = input.trim().split(['/', '-', '.']).collect();
        let [d, m, y] = parts.as_slice() else {
            return Err(DateError::Format);
        };
        let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if !all_digits(d)
            || !all_digits(m)
            || y.len() != 4
            || !all_digits(y)
            || d.len() > 2
            || m.len() > 2
        {
            return Err(DateError::Format);
        }
        let (Ok(day), Ok(month), Ok(year)) = (d.parse(), m.parse(), y.parse()) else {
            return Err(DateError::Format);
        };
        Date::new(year, month, day)
    }

    /// A date from a form: dd/mm/yyyy as people type it, or yyyy-mm-dd as a browser's date
    /// picker sends it.
    pub fn parse_form(input: &str) -> Result<Date, DateError> {
        let input = input.trim();
        Date::parse_vn(input).or_else(|e| match input.split('-').collect::<Vec<_>>()[..] {
            [y, m, d] if y.len() == 4 => Date::parse_vn(&format!("{d}/{m}/{y}")),
            _ => Err(e),
        })
    }

    /// Days since 1 January of year 1 (proleptic Gregorian), for date arithmetic.
    pub fn ordinal(self) -> i64 {
        let y = i64::from(self.year) - 1;
        let mut days = y * 365 + y / 4 - y / 100 + y / 400;
        for m in 1..self.month {
            days += i64::from(days_in_month(self.year, m));
        }
        days + i64::from(self.day) - 1
    }

    /// The calendar day in Việt Nam (UTC+7) at a Unix time.
    pub fn from_unix_vn(secs: i64) -> Date {
        Date::from_epoch_days(vn_day(secs))
    }

    /// Days since 1 January 1970 (negative before).
    pub fn epoch_day(self) -> i64 {
        self.ordinal() - EPOCH_ORDINAL
    }

    /// 00:00 UTC of this day, as Unix seconds.
    pub fn unix_start(self) -> i64 {
        (self.ordinal() - EPOCH_ORDINAL) * 86_400
    }

    /// The date `days` days after 1 January 1970 (H. Hinnant's civil-from-days).
    pub fn from_epoch_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.ordinal() - self.ordinal()
    }

    /// Age in whole years on `on`.
    pub fn age_on(self, on: Date) -> i64 {
        let mut age = i64::from(on.year) - i64::from(self.year);
        if (on.month, on.day) < (self.month, self.day) {
            age -= 1;
        }
        age
    }

    /// The date as the birth declaration writes it in words, e.g. "Ngày mười lăm tháng ba năm
    /// hai nghìn không trăm hai mươi lăm".
    pub fn in_words(self) -> String {
        format!(
            "Ngày {} tháng {} năm {}",
            number_words(u32::from(self.day)),
            month_words(self.month),
            number_words(u32::from(self.year))
        )
    }

    /// Whether `written` says this date in words. Accepted variants: "mốt"/"một",
    /// "tư"/"bốn", "lăm"/"năm" after tens, "nghìn"/"ngàn", "linh"/"lẻ"/"không trăm … lẻ",
    /// "giêng" for January; case, spacing and tone placement do not matter.
    pub fn matches_words(self, written: &str) -> bool {
        canonical_words(written) == canonical_words(&self.in_words())
    }
}

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

fn month_words(month: u8) -> String {
    number_words(u32::from(month))
}

/// Vietnamese words for 0..=9999, in the form forms use.
pub fn number_words(n: u32) -> String {
    if n < 10 {
        return DIGITS[n as usize].to_owned();
    }
    if n < 100 {
        let tens = n / 10;
        let units = n % 10;
        let head = if tens == 1 {
            "mười".to_owned()
        } else {
            format!("{} mươi", DIGITS[tens as usize])
        };
        return match units {
            0 => head,
            1 if tens > 1 => format!("{head} mốt"),
            4 if tens > 1 => format!("{head} tư"),
            5 => format!("{head} lăm"),
            u => format!("{head} {}", DIGITS[u as usize]),
        };
    }
    if n < 1000 {
        let hundreds = n / 100;
        let rest = n % 100;
        let head = format!("{} trăm", DIGITS[hundreds as usize]);
        return match rest {
            0 => head,
            r if r < 10 => format!("{head} lẻ {}", DIGITS[r as usize]),
            r => format!("{head} {}", number_words(r)),
        };
    }
    let thousands = n / 1000;
    let rest = n % 1000;
    let head = format!("{} nghìn", number_words(thousands));
    match rest {
        0 => head,
        r if r < 10 => format!("{head} không trăm lẻ {}", DIGITS[r as usize]),
        r if r < 100 => format!("{head} không trăm {}", number_words(r)),
        r => format!("{head} {}", number_words(r)),
    }
}

/// Whether two dates written in words say the same thing (accepted variants folded).
pub fn same_date_words(a: &str, b: &str) -> bool {
    !a.trim().is_empty() && canonical_words(a) == canonical_words(b)
}

/// Folds the accepted variants of number words into one spelling.
fn canonical_words(input: &str) -> String {
    let folded = fold_tone_placement(&normalize(input)).to_lowercase();
    let words: Vec<&str> = folded
        .split(|c: char| c.is_whitespace() || c == ',' || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let after_tens = i > 0 && matches!(words[i - 1], "mươi" | "mười");
        // "Ngày mùng một", "ngày mồng năm": the day's "mùng" is optional.
        if matches!(*w, "mùng" | "mồng") && i > 0 && words[i - 1] == "ngày" {
            continue;
        }
        let word = match *w {
            "ngàn" => "nghìn",
            "linh" => "lẻ",
            "giêng" => "một",
            "một" | "mốt" if after_tens => "mốt",
            "bốn" | "tư" if after_tens => "tư",
            "năm" | "lăm" if after_tens && i + 1 < words.len() && words[i + 1] != "năm" => "lăm",
            "năm" | "lăm" if after_tens && i + 1 == words.len() => "lăm",
            other => other,
        };
        out.push(word);
    }
    out.join(" ")
}

/// The 54 ethnic groups recognised in Vietnam, as forms spell them.
pub const ETHNIC_GROUPS: [&str; 54] = [
    "Kinh",
    "Tày",
    "Thái",
    "Mường",
    "Khmer",
    "Hoa",
    "Nùng",
    "Mông",
    "Dao",
    "Gia Rai",
    "Ê Đê",
    "Ba Na",
    "Sán Chay",
    "Chăm",
    "Cơ Ho",
    "Xơ Đăng",
    "Sán Dìu",
    "Hrê",
    "Ra Glai",
    "Mnông",
    "Thổ",
    "Xtiêng",
    "Khơ Mú",
    "Bru - Vân Kiều",
    "Cơ Tu",
    "Giáy",
    "Tà Ôi",
    "Mạ",
    "Giẻ Triêng",
    "Co",
    "Chơ Ro",
    "Xinh Mun",
    "Hà Nhì",
    "Chu Ru",
    "Lào",
    "La Chí",
    "Kháng",
    "Phù Lá",
    "La Hủ",
    "La Ha",
    "Pà Thẻn",
    "Lự",
    "Ngái",
    "Chứt",
    "Lô Lô",
    "Mảng",
    "Cơ Lao",
    "Bố Y",
    "Cống",
    "Si La",
    "Pu Péo",
    "Rơ Măm",
    "Brâu",
    "Ơ Đu",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum EthnicityError {
    #[error("Việt Nam is a nationality, not an ethnic group")]
    Nationality,
    #[error("not one of the 54 recognised ethnic groups")]
    Unknown,
}

fn ethnicity_key(s: &str) -> String {
    fold_tone_placement(&normalize(s))
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Reads an ethnic group in its common spellings ("H'Mông", "Khơ-me", "Kơ Ho", hyphens and
/// spaces ignored) and returns its standard name. "Việt Nam" is refused as a nationality.
pub fn parse_ethnicity(input: &str) -> Result<&'static str, EthnicityError> {
    let key = ethnicity_key(input);
    if key == "vietnam" || key == ethnicity_key("Việt Nam") {
        return Err(EthnicityError::Nationality);
    }
    let aliases: [(&str, &str); 6] = [
        ("H'Mông", "Mông"),
        ("Hmông", "Mông"),
        ("Khơ-me", "Khmer"),
        ("Khơ me", "Khmer"),
        ("Kơ Ho", "Cơ Ho"),
        ("Vân Kiều", "Bru - Vân Kiều"),
    ];
    if let Some((_, name)) = aliases
        .iter()
        .find(|(alias, _)| ethnicity_key(alias) == key)
    {
        return Ok(name);
    }
    ETHNIC_GROUPS
        .iter()
        .find(|name| ethnicity_key(name) == key)
        .copied()
        .ok_or(EthnicityError::Unknown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dates_are_read_as_vietnamese_forms_write_them() {
        assert_eq!(
            Date::parse_vn("15/03/2025"),
            Ok(Date {
                year: 2025,
                month: 3,
                day: 15
            })
        );
        assert_eq!(
            Date::parse_vn("5/3/2025"),
            Ok(Date {
                year: 2025,
                month: 3,
                day: 5
            })
        );
        assert_eq!(Date::parse_vn("29/02/2024").map(|d| d.day), Ok(29));
        assert_eq!(Date::parse_vn("29/02/2025"), Err(DateError::NoSuchDay));
        assert_eq!(Date::parse_vn("2025-03-15"), Err(DateError::Format));
        assert_eq!(Date::parse_vn("15/03/25"), Err(DateError::Format));
        assert_eq!(Date::parse_vn("31/04/2025"), Err(DateError::NoSuchDay));
    }

    #[test]
    fn date_arithmetic() {
        let birth = Date::new(2025, 3, 15).unwrap();
        assert_eq!(birth.days_until(Date::new(2025, 5, 14).unwrap()), 60);
        assert_eq!(birth.age_on(Date::new(2031, 3, 14).unwrap()), 5);
        assert_eq!(birth.age_on(Date::new(2031, 3, 15).unwrap()), 6);
    }

    #[test]
    fn numbers_in_words() {
        assert_eq!(number_words(15), "mười lăm");
        assert_eq!(number_words(21), "hai mươi mốt");
        assert_eq!(number_words(24), "hai mươi tư");
        assert_eq!(number_words(10), "mười");
        assert_eq!(number_words(2025), "hai nghìn không trăm hai mươi lăm");
        assert_eq!(number_words(2005), "hai nghìn không trăm lẻ năm");
        assert_eq!(number_words(1998), "một nghìn chín trăm chín mươi tám");
        assert_eq!(number_words(2100), "hai nghìn một trăm");
    }

    #[test]
    fn the_date_of_birth_in_words() {
        let d = Date::new(2025, 3, 15).unwrap();
        assert_eq!(
            d.in_words(),
            "Ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi lăm"
        );
        assert!(d.matches_words("ngày mười lăm, tháng ba, năm hai ngàn không trăm hai mươi lăm"));
        assert!(d.matches_words("Ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi năm"));
        assert!(!d.matches_words("Ngày mười sáu tháng ba năm hai nghìn không trăm hai mươi lăm"));
        let first = Date::new(2025, 11, 1).unwrap();
        assert!(first
            .matches_words("Ngày mùng một tháng mười một năm hai nghìn không trăm hai mươi lăm"));
        assert!(first
            .matches_words("Ngày mồng một tháng mười một năm hai nghìn không trăm hai mươi lăm"));
        assert!(!first
            .matches_words("Ngày mùng hai tháng mười một năm hai nghìn không trăm hai mươi lăm"));
        let d = Date::new(2024, 1, 21).unwrap();
        assert!(
            d.matches_words("Ngày hai mươi một tháng giêng năm hai nghìn không trăm hai mươi tư")
        );
        assert!(
            d.matches_words("Ngày hai mươi mốt tháng một năm hai nghìn không trăm hai mươi bốn")
        );
    }

    #[test]
    fn ethnic_groups_and_the_nationality_trap() {
        assert_eq!(parse_ethnicity("kinh"), Ok("Kinh"));
        assert_eq!(parse_ethnicity("H'Mông"), Ok("Mông"));
        assert_eq!(parse_ethnicity("Khơ-me"), Ok("Khmer"));
        assert_eq!(parse_ethnicity("Ê-đê"), Ok("Ê Đê"));
        assert_eq!(parse_ethnicity("Thai"), Err(EthnicityError::Unknown));
        assert_eq!(
            parse_ethnicity("Việt Nam"),
            Err(EthnicityError::Nationality)
        );
        assert_eq!(
            parse_ethnicity("viet nam"),
            Err(EthnicityError::Nationality)
        );
        assert_eq!(ETHNIC_GROUPS.len(), 54);
    }

    proptest! {
        #[test]
        fn every_date_matches_its_own_words(year in 1900u16..2100, month in 1u8..=12, day in 1u8..=28) {
            let d = Date::new(year, month, day).unwrap();
            prop_assert!(d.matches_words(&d.in_words()));
            prop_assert!(d.matches_words(&d.in_words().to_uppercase()));
            let other = Date::new(year, month, if day == 28 { 1 } else { day + 1 }).unwrap();
            prop_assert!(!other.matches_words(&d.in_words()));
        }

        #[test]
        fn parse_and_format_round_trip(year in 1900u16..2100, month in 1u8..=12, day in 1u8..=28) {
            let text = format!("{day:02}/{month:02}/{year}");
            prop_assert_eq!(Date::parse_vn(&text), Ok(Date { year, month, day }));
        }

        #[test]
        fn day_counts_agree_with_the_calendar(
            y1 in 1900u16..2100, m1 in 1u8..=12, d1 in 1u8..=27,
            y2 in 1900u16..2100, m2 in 1u8..=12, d2 in 1u8..=28,
        ) {
            let a = Date::new(y1, m1, d1).unwrap();
            let b = Date::new(y2, m2, d2).unwrap();
            prop_assert_eq!(a.days_until(b), -b.days_until(a));
            prop_assert_eq!(a < b, a.days_until(b) > 0);
            let next = Date::new(y1, m1, d1 + 1).unwrap();
            prop_assert_eq!(a.days_until(next), 1);
            let next_year = Date::new(y1 + 1, m1, d1).unwrap();
            let expected = if (m1 <= 2 && is_leap(y1)) || (m1 > 2 && is_leap(y1 + 1)) { 366 } else { 365 };
            prop_assert_eq!(a.days_until(next_year), expected);
        }
    }

    #[test]
    fn unix_times_map_to_vietnamese_calendar_days() {
        let d = Date::new(2025, 7, 1).unwrap_or(Date {
            year: 0,
            month: 0,
            day: 0,
        });
        assert_eq!(d.unix_start(), 1_751_328_000);
        assert_eq!(
            Date::from_epoch_days(0),
            Date {
                year: 1970,
                month: 1,
                day: 1
            }
        );
        assert_eq!(Date::from_unix_vn(d.unix_start()), d);
        // 17:00 UTC on 30 June is already 1 July in Hà Nội.
        assert_eq!(Date::from_unix_vn(d.unix_start() - 7 * 3600), d);
        assert_eq!(Date::from_unix_vn(d.unix_start() - 7 * 3600 - 1).day, 30);
        assert_eq!(d.to_string(), "01/07/2025");
        for days in [-1000i64, 0, 59, 60, 10_000, 20_000, 30_000] {
            let date = Date::from_epoch_days(days);
            assert_eq!(date.unix_start(), days * 86_400, "{date}");
        }
    }
}
