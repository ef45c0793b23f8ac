//! Rules for what people type when they create or use an account.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::text::normalize;

/// A person's full name (họ, chữ đệm, tên), NFC-normalised with single spaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FullName(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum NameError {
    #[error("name is empty")]
    Empty,
    #[error("name is too long")]
    TooLong,
    #[error("name holds a digit or a symbol")]
    InvalidCharacter,
}

impl FullName {
    /// Longest name accepted, in characters. The law sets no limit; this only stops abuse.
    pub const MAX_CHARS: usize = 100;

    /// Accepts letters (any script, so every Vietnamese letter and tone mark), spaces, and the
    /// apostrophe and hyphen some ethnic-minority names use. Digits and other symbols are refused
    /// (Civil Code 2015, art. 26(3)).
    pub fn parse(input: &str) -> Result<FullName, NameError> {
        let name = normalize(input);
        if name.is_empty() {
            return Err(NameError::Empty);
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(NameError::TooLong);
        }
        let allowed = |c: char| c.is_alphabetic() || c == ' ' || c == '\'' || c == '-';
        // Combining marks can remain after NFC for letters with no precomposed form.
        let combining = |c: char| ('\u{0300}'..='\u{036f}').contains(&c);
        if !name.chars().all(|c| allowed(c) || combining(c)) {
            return Err(NameError::InvalidCharacter);
        }
        Ok(FullName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How an account is reached and identified: a Vietnamese mobile number or an email address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Contact {
    /// Ten digits starting with 0, as stored (a `+84` prefix is rewritten to `0`).
    Phone(String),
    /// Lower-cased.
    Email(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum ContactError {
    #[error("contact is empty")]
    Empty,
    #[error("not a Vietnamese mobile number")]
    InvalidPhone,
    #[error("not an email address")]
    InvalidEmail,
}

impl Contact {
    /// Reads a phone number or an email address. Spaces, dots and dashes inside a phone number
    /// are ignored, as people write "0912 345 678" or "0912.345.678".
    pub fn parse(input: &str) -> Result<Contact, ContactError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(ContactError::Empty);
        }
        if trimmed.contains('@') {
            return parse_email(trimmed).map(Contact::Email);
        }
        parse_phone(trimmed).map(Contact::Phone)
    }

    pub fn as_str(&self) -> &str {
        match self {
            Contact::Phone(p) => p,
            Contact::Email(e) => e,
        }
    }
}

/// `^(0|\+84)(3|5|7|8|9)\d{8}$` after removing separators; returns the `0…` form.
pub fn parse_phone(input: &str) -> Result<String, ContactError> {
    let compact: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
        .collect();
    let national = if let Some(rest) = compact.strip_prefix("+84") {
        format!("0{rest}")
    } else if let Some(rest) = compact.strip_prefix("84").filter(|r| r.len() == 9) {
        format!("0{rest}")
    } else {
        compact
    };
    let bytes = national.as_bytes();
    let valid = bytes.len() == 10
        && bytes[0] == b'0'
        && matches!(bytes[1], b'3' | b'5' | b'7' | b'8' | b'9')
        && bytes.iter().all(u8::is_ascii_digit);
    if valid {
        Ok(national)
    } else {
        Err(ContactError::InvalidPhone)
    }
}

fn parse_email(input: &str) -> Result<String, ContactError> {
    let email = input.to_lowercase();
    let Some((local, domain)) = email.split_once('@') else {
        return Err(ContactError::InvalidEmail);
    };
    let valid = !local.is_empty()
        && email.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(email)
    } else {
        Err(ContactError::InvalidEmail)
    }
}

/// The length part of the password rule. The server also refuses common passwords, a check
/// that needs a dictionary and so is not part of this pure module.
#[derive(Clone, Copy, Debug)]
pub struct PasswordPolicy;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum PasswordError {
    #[error("password is shorter than 8 characters")]
    TooShort,
    #[error("password is longer than 128 characters")]
    TooLong,
    #[error("password is too common")]
    TooCommon,
    #[error("the two passwords differ")]
    Mismatch,
}

impl PasswordPolicy {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_CHARS: usize = 128;

    pub fn check_length(password: &str) -> Result<(), PasswordError> {
        let n = password.chars().count();
        if n < Self::MIN_CHARS {
            Err(PasswordError::TooShort)
        } else if n > Self::MAX_CHARS {
            Err(PasswordError::TooLong)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn vietnamese_names_are_accepted_and_normalised() {
        let name = FullName::parse("  Nguyễn   Thị Thu  Hằng ").unwrap();
        assert_eq!(name.as_str(), "Nguyễn Thị Thu Hằng");
        assert!(FullName::parse("Lò Văn Pó").is_ok());
        assert!(FullName::parse("H'Hen Niê").is_ok());
    }

    #[test]
    fn names_with_digits_or_symbols_are_refused() {
        assert_eq!(
            FullName::parse("Nguyen Van 2"),
            Err(NameError::InvalidCharacter)
        );
        assert_eq!(
            FullName::parse("<script>"),
            Err(NameError::InvalidCharacter)
        );
        assert_eq!(FullName::parse("   "), Err(NameError::Empty));
        assert_eq!(FullName::parse(&"a".repeat(101)), Err(NameError::TooLong));
    }

    #[test]
    fn phone_numbers_in_common_spellings() {
        for input in [
            "0912345678",
            "0912 345 678",
            "0912.345.678",
            "+84912345678",
            "84912345678",
        ] {
            assert_eq!(
                Contact::parse(input),
                Ok(Contact::Phone("0912345678".into())),
                "{input}"
            );
        }
        for bad in [
            "0212345678",
            "091234567",
            "09123456789",
            "09a2345678",
            "+1912345678",
        ] {
            assert_eq!(
                Contact::parse(bad),
                Err(ContactError::InvalidPhone),
                "{bad}"
            );
        }
    }

    #[test]
    fn emails_are_lowercased_and_checked() {
        assert_eq!(
            Contact::parse(" An.Nguyen@Example.VN "),
            Ok(Contact::Email("an.nguyen@example.vn".into()))
        );
        for bad in ["@x.vn", "a@", "a@b", "a@@b.vn", "a b@c.vn", "a@.vn"] {
            assert_eq!(
                Contact::parse(bad),
                Err(ContactError::InvalidEmail),
                "{bad}"
            );
        }
        assert_eq!(Contact::parse(""), Err(ContactError::Empty));
    }

    #[test]
    fn password_length_counts_characters_not_bytes() {
        assert_eq!(
            PasswordPolicy::check_length("1234567"),
            Err(PasswordError::TooShort)
        );
        // Eight Vietnamese letters are 8 characters even though they are more bytes.
        assert_eq!(PasswordPolicy::check_length("mậtkhẩuđ"), Ok(()));
        assert_eq!(
            PasswordPolicy::check_length(&"x".repeat(129)),
            Err(PasswordError::TooLong)
        );
    }

    proptest! {
        #[test]
        fn any_valid_mobile_number_parses_to_itself(prefix in "[35789]", rest in "[0-9]{8}") {
            let number = format!("0{prefix}{rest}");
            prop_assert_eq!(Contact::parse(&number), Ok(Contact::Phone(number.clone())));
            let international = format!("+84{prefix}{rest}");
            prop_assert_eq!(Contact::parse(&international), Ok(Contact::Phone(number)));
        }

        #[test]
        fn parsed_names_are_stable(input in "\\PC{0,40}") {
            if let Ok(name) = FullName::parse(&input) {
                prop_assert_eq!(FullName::parse(name.as_str()), Ok(name.clone()));
                prop_assert!(!name.as_str().chars().any(|c| c.is_ascii_digit()));
            }
        }
    }
}
