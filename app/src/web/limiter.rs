//! Rate limits for the password forms.
//!
//! Login attempts are counted per (client address, account identifier): someone guessing
//! passwords from elsewhere uses up their own allowance, never the real user's, so nobody can
//! lock a person out of their account. A wider per-address limit slows password spraying
//! across many accounts. Limits live in each server's memory (see ARCHITECTURE.md).

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Attempts per minute for one account from one address.
const PER_ACCOUNT_PER_MINUTE: u32 = 5;
/// Attempts per minute from one address, all accounts together.
const PER_ADDRESS_PER_MINUTE: u32 = 30;
/// Registrations per hour from one address (each one costs an argon2 hash). Generous: a class
/// of residents at a commune office shares one public address.
const REGISTRATIONS_PER_HOUR: u32 = 60;
/// Password changes per minute for one account (each checks the current password).
const PASSWORD_CHANGES_PER_MINUTE: u32 = 5;

pub struct LoginLimiter {
    per_account: DefaultKeyedRateLimiter<(Option<IpAddr>, String)>,
    per_address: DefaultKeyedRateLimiter<Option<IpAddr>>,
    registrations: DefaultKeyedRateLimiter<Option<IpAddr>>,
    password_changes: DefaultKeyedRateLimiter<i64>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        Self::new()
    }
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

impl LoginLimiter {
    pub fn new() -> LoginLimiter {
        LoginLimiter {
            per_account: RateLimiter::keyed(per_minute(PER_ACCOUNT_PER_MINUTE)),
            per_address: RateLimiter::keyed(per_minute(PER_ADDRESS_PER_MINUTE)),
            registrations: RateLimiter::keyed(Quota::per_hour(
                NonZeroU32::new(REGISTRATIONS_PER_HOUR).unwrap_or(NonZeroU32::MIN),
            )),
            password_changes: RateLimiter::keyed(per_minute(PASSWORD_CHANGES_PER_MINUTE)),
        }
    }

    /// `Ok` if a login attempt may go ahead, else how long to wait.
    pub fn check_login(&self, address: Option<IpAddr>, account: &str) -> Result<(), Duration> {
        self.tidy();
        // One key per account however its number or email is written ("0912 345 678",
        // "+84912345678" …); input that is no contact at all shares one key.
        let account = crate::domain::Contact::parse(account)
            .map(|c| c.as_str().to_owned())
            .unwrap_or_else(|_| "(not a contact)".to_owned());
        let key = (address, account);
        let now = DefaultClock::default().now();
        self.per_address
            .check_key(&address)
            .and_then(|_| self.per_account.check_key(&key))
            .map_err(|not_until| not_until.wait_time_from(now))
    }

    /// `Ok` if a password change may go ahead for this account, else how long to wait.
    pub fn check_password_change(&self, account_id: i64) -> Result<(), Duration> {
        self.tidy();
        let now = DefaultClock::default().now();
        self.password_changes
            .check_key(&account_id)
            .map_err(|not_until| not_until.wait_time_from(now))
    }

    /// `Ok` if a registration may go ahead, else how long to wait.
    pub fn check_registration(&self, address: Option<IpAddr>) -> Result<(), Duration> {
        self.tidy();
        let now = DefaultClock::default().now();
        self.registrations
            .check_key(&address)
            .map_err(|not_until| not_until.wait_time_from(now))
    }

    /// Forgets keys whose allowance is full again, so memory stays bounded.
    fn tidy(&self) {
        const MAX_KEYS: usize = 10_000;
        if self.per_account.len() > MAX_KEYS {
            self.per_account.retain_recent();
        }
        if self.per_address.len() > MAX_KEYS {
            self.per_address.retain_recent();
        }
        if self.registrations.len() > MAX_KEYS {
            self.registrations.retain_recent();
        }
        if self.password_changes.len() > MAX_KEYS {
            self.password_changes.retain_recent();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attacker_elsewhere_does_not_lock_out_the_real_user() {
        let limiter = LoginLimiter::new();
        let attacker: Option<IpAddr> = "203.0.113.9".parse().ok();
        let user: Option<IpAddr> = "198.51.100.7".parse().ok();
        for _ in 0..PER_ACCOUNT_PER_MINUTE {
            assert!(limiter.check_login(attacker, "0912345678").is_ok());
        }
        assert!(limiter.check_login(attacker, "0912345678").is_err());
        assert!(limiter.check_login(user, "0912345678").is_ok());
    }

    #[test]
    fn one_account_is_one_key_however_it_is_written() {
        let limiter = LoginLimiter::new();
        for _ in 0..PER_ACCOUNT_PER_MINUTE {
            assert!(limiter.check_login(None, "An@Example.vn").is_ok());
        }
        assert!(limiter.check_login(None, " an@example.vn ").is_err());
        let spellings = [
            "0912345678",
            "0912 345 678",
            "+84912345678",
            "0912.345.678",
            "84912345678",
        ];
        for spelling in spellings {
            assert!(limiter.check_login(None, spelling).is_ok(), "{spelling}");
        }
        assert!(limiter.check_login(None, "0912-345-678").is_err());
    }

    #[test]
    fn password_changes_are_limited_per_account() {
        let limiter = LoginLimiter::new();
        for _ in 0..PASSWORD_CHANGES_PER_MINUTE {
            assert!(limiter.check_password_change(7).is_ok());
        }
        assert!(limiter.check_password_change(7).is_err());
        assert!(limiter.check_password_change(8).is_ok());
    }

    #[test]
    fn one_address_cannot_spray_many_accounts() {
        let limiter = LoginLimiter::new();
        let address: Option<IpAddr> = "192.0.2.1".parse().ok();
        for i in 0..PER_ADDRESS_PER_MINUTE {
            assert!(limiter
                .check_login(address, &format!("09123456{i:02}"))
                .is_ok());
        }
        assert!(limiter.check_login(address, "0987654321").is_err());
    }
}
