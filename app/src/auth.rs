//! Passwords and session tokens (server-side only).
//!
//! Passwords are hashed with argon2id. A session is a JWT (HS256, the only algorithm accepted)
//! carried in an HttpOnly cookie; it names the account and the account's token version, so
//! bumping the version (logout, password change) revokes every earlier token.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::domain::{PasswordError, PasswordPolicy};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "hocso_session";
/// The `aud` every hocso token carries and every verification demands.
pub const AUDIENCE: &str = "hocso";
/// Shortest secret accepted for signing tokens, in bytes.
pub const MIN_SECRET_BYTES: usize = 32;

#[derive(Debug, Error)]
pub enum AuthError {
    #[error("the signing secret is shorter than {MIN_SECRET_BYTES} bytes")]
    WeakSecret,
    #[error("invalid token: {0}")]
    InvalidToken(#[from] jsonwebtoken::errors::Error),
    #[error("password hashing failed: {0}")]
    Hash(String),
}

/// The claims of a session token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The account id, as a string (RFC 7519).
    pub sub: String,
    /// The account's token version when the token was issued.
    pub ver: i64,
    pub iat: i64,
    pub exp: i64,
    pub aud: String,
}

/// Signs and verifies session tokens.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl_seconds: i64,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeys").finish_non_exhaustive()
    }
}

impl TokenKeys {
    /// Sessions last a week; logout or a password change ends them sooner.
    pub const DEFAULT_TTL_SECONDS: i64 = 7 * 24 * 3600;

    pub fn new(secret: &[u8], ttl_seconds: i64) -> Result<TokenKeys, AuthError> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(AuthError::WeakSecret);
        }
        // The algorithm is pinned: a token whose header names any other (or "none") fails.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "aud", "sub"]);
        validation.leeway = 30;
        Ok(TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl_seconds,
        })
    }

    pub fn ttl_seconds(&self) -> i64 {
        self.ttl_seconds
    }

    pub fn issue(
        &self,
        account_id: i64,
        token_version: i64,
        now: i64,
    ) -> Result<String, AuthError> {
        let claims = Claims {
            sub: account_id.to_string(),
            ver: token_version,
            iat: now,
            exp: now + self.ttl_seconds,
            aud: AUDIENCE.to_owned(),
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// Checks signature, algorithm, audience and expiry. The token version is checked by the
    /// caller against the account row.
    pub fn verify(&self, token: &str) -> Result<Claims, AuthError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)?;
        Ok(data.claims)
    }
}

/// Hashes a password with argon2id and a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AuthError::Hash(e.to_string()))
}

/// Verifies a password against a stored hash. A hash that is not one (an imported account
/// not yet activated has none) verifies nothing, after the same argon2 work as a real check,
/// so the time of an answer does not tell who is on a roster.
pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    match PasswordHash::new(stored_hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => {
            if let Ok(dummy) = PasswordHash::new(dummy_hash()) {
                let _ = Argon2::default().verify_password(password.as_bytes(), &dummy);
            }
            false
        }
    }
}

/// A hash of a random password, verified against when the account does not exist so that a
/// wrong contact and a wrong password take the same time.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("hocso-timing-equaliser-not-a-password").unwrap_or_default())
}

/// The full password rule: the length rule of the domain, then a refusal of passwords that are
/// common or trivially guessable (zxcvbn's estimate, plus Vietnamese favourites it does not know).
pub fn check_new_password(password: &str, user_inputs: &[&str]) -> Result<(), PasswordError> {
    PasswordPolicy::check_length(password)?;
    let lowered = password.to_lowercase();
    let folded: String = lowered.chars().filter(|c| c.is_alphanumeric()).collect();
    let stem = folded.trim_end_matches(|c: char| c.is_ascii_digit());
    if COMMON_VIETNAMESE.contains(&stem) || COMMON_VIETNAMESE.contains(&folded.as_str()) {
        return Err(PasswordError::TooCommon);
    }
    let score = zxcvbn::zxcvbn(password, user_inputs).score();
    if (score as u8) < 2 {
        return Err(PasswordError::TooCommon);
    }
    Ok(())
}

/// Popular Vietnamese passwords (ignoring case, punctuation and trailing digits).
const COMMON_VIETNAMESE: &[&str] = &[
    "anhyeuem",
    "emyeuanh",
    "matkhau",
    "matkhaumoi",
    "vietnam",
    "hanoi",
    "saigon",
    "yeuem",
    "iloveyou",
    "hocso",
    "dichvucong",
    "vneid",
    "password",
    "",
];

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef-test";

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("một mật khẩu dài").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("một mật khẩu dài", &hash));
        assert!(!verify_password("một mật khẩu dai", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn common_and_short_passwords_are_refused() {
        for weak in [
            "12345678",
            "password1",
            "Anhyeuem123",
            "matkhau2025",
            "qwertyuiop",
            "11111111",
        ] {
            assert_eq!(
                check_new_password(weak, &[]),
                Err(PasswordError::TooCommon),
                "{weak}"
            );
        }
        assert_eq!(check_new_password("abc", &[]), Err(PasswordError::TooShort));
        assert_eq!(check_new_password("Hoa sen nở tháng Năm", &[]), Ok(()));
    }

    #[test]
    fn tokens_round_trip_and_expire() {
        let keys = TokenKeys::new(SECRET, 3600).unwrap();
        let now = 1_750_000_000;
        let token = keys.issue(42, 3, now).unwrap();
        let claims = jsonwebtoken::decode::<Claims>(&token, &keys.decoding, &{
            let mut v = keys.validation.clone();
            v.validate_exp = false;
            v
        })
        .unwrap()
        .claims;
        assert_eq!(claims.sub, "42");
        assert_eq!(claims.ver, 3);
        assert_eq!(claims.exp, now + 3600);
        // Issued long ago: expired for the real validation.
        assert!(keys.verify(&token).is_err());
        let fresh = keys
            .issue(42, 3, jsonwebtoken::get_current_timestamp() as i64)
            .unwrap();
        assert_eq!(keys.verify(&fresh).unwrap().sub, "42");
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(matches!(
            TokenKeys::new(b"short", 60),
            Err(AuthError::WeakSecret)
        ));
    }
}
