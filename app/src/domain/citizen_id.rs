//! The 12-digit personal identification number (số định danh cá nhân / căn cước).
//!
//! Structure: 3-digit code of the province (or country) where the birth was registered,
//! 1 digit for century and sex, 2 digits of the birth year, 6 random digits. There is no check
//! digit, so the strongest check is that the ID agrees with the person's sex and birth year.

use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    Male,
    Female,
}

/// A structurally valid personal ID.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CitizenId(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum CitizenIdError {
    #[error("a personal ID has exactly 12 digits")]
    WrongLength,
    #[error("a personal ID holds digits only")]
    NotDigits,
    #[error("the first three digits are not a province code")]
    UnknownProvince,
    #[error("the ID does not match the person's sex")]
    SexMismatch,
    #[error("the ID does not match the person's year of birth")]
    BirthYearMismatch,
}

/// Province codes of the 63 pre-2025 provinces; the 2025 merger left them unchanged.
const PROVINCE_CODES: [u16; 63] = [
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37,
    38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77,
    79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
];

impl CitizenId {
    /// Checks the shape of an ID: length, digits and province code. Spaces are ignored.
    pub fn parse(input: &str) -> Result<CitizenId, CitizenIdError> {
        let id: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if !id.chars().all(|c| c.is_ascii_digit()) {
            return Err(CitizenIdError::NotDigits);
        }
        if id.len() != 12 {
            return Err(CitizenIdError::WrongLength);
        }
        let province: u16 = id[0..3].parse().map_err(|_| CitizenIdError::NotDigits)?;
        if !PROVINCE_CODES.contains(&province) {
            return Err(CitizenIdError::UnknownProvince);
        }
        Ok(CitizenId(id))
    }

    /// Parses and checks that the ID agrees with the given sex and year of birth.
    pub fn parse_for(input: &str, sex: Sex, birth_year: u16) -> Result<CitizenId, CitizenIdError> {
        let id = Self::parse(input)?;
        if id.sex() != sex {
            return Err(CitizenIdError::SexMismatch);
        }
        if id.birth_year() != birth_year {
            return Err(CitizenIdError::BirthYearMismatch);
        }
        Ok(id)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn province_code(&self) -> u16 {
        // Checked in `parse`.
        self.0[0..3].parse().unwrap_or_default()
    }

    fn century_sex_digit(&self) -> u16 {
        u16::from(self.0.as_bytes()[3] - b'0')
    }

    pub fn sex(&self) -> Sex {
        if self.century_sex_digit().is_multiple_of(2) {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// The full birth year: century from digit 4 (0/1 → 1900s, 2/3 → 2000s, …), year from 5–6.
    pub fn birth_year(&self) -> u16 {
        let century = 1900 + (self.century_sex_digit() / 2) * 100;
        let yy: u16 = self.0[4..6].parse().unwrap_or_default();
        century + yy
    }

    /// The digit that encodes `sex` for someone born in `birth_year`, if the year is encodable.
    pub fn century_sex_code(sex: Sex, birth_year: u16) -> Option<u8> {
        if !(1900..2400).contains(&birth_year) {
            return None;
        }
        let base = ((birth_year - 1900) / 100) as u8 * 2;
        Some(base + u8::from(sex == Sex::Female))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_province_sex_and_year() {
        let id = CitizenId::parse("001 2 25 012345").unwrap();
        assert_eq!(id.as_str(), "001225012345");
        assert_eq!(id.province_code(), 1);
        assert_eq!(id.sex(), Sex::Male);
        assert_eq!(id.birth_year(), 2025);

        let id = CitizenId::parse("079185000123").unwrap();
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(id.birth_year(), 1985);
    }

    #[test]
    fn refuses_malformed_ids() {
        assert_eq!(
            CitizenId::parse("00122501234"),
            Err(CitizenIdError::WrongLength)
        );
        assert_eq!(
            CitizenId::parse("00122501234a"),
            Err(CitizenIdError::NotDigits)
        );
        // 003 was never a province code.
        assert_eq!(
            CitizenId::parse("003225012345"),
            Err(CitizenIdError::UnknownProvince)
        );
    }

    #[test]
    fn cross_checks_sex_and_birth_year() {
        assert_eq!(
            CitizenId::parse_for("001225012345", Sex::Female, 2025),
            Err(CitizenIdError::SexMismatch)
        );
        assert_eq!(
            CitizenId::parse_for("001225012345", Sex::Male, 2024),
            Err(CitizenIdError::BirthYearMismatch)
        );
        // A transposed year ("52" for "25") is caught by the year check.
        assert_eq!(
            CitizenId::parse_for("001252012345", Sex::Male, 2025),
            Err(CitizenIdError::BirthYearMismatch)
        );
    }

    proptest! {
        #[test]
        fn generated_ids_agree_with_their_person(
            province_index in 0usize..63,
            female in any::<bool>(),
            year in 1900u16..2100,
            serial in 0u32..1_000_000,
        ) {
            let sex = if female { Sex::Female } else { Sex::Male };
            let code = CitizenId::century_sex_code(sex, year).unwrap();
            let id = format!("{:03}{}{:02}{:06}", PROVINCE_CODES[province_index], code, year % 100, serial);
            let parsed = CitizenId::parse_for(&id, sex, year);
            prop_assert!(parsed.is_ok(), "{id}: {parsed:?}");
            let other = if female { Sex::Male } else { Sex::Female };
            prop_assert_eq!(CitizenId::parse_for(&id, other, year), Err(CitizenIdError::SexMismatch));
        }
    }
}
