//! Rate limits for the password forms.
//!
//! Login attempts are counted first by account: per (client address, account), so someone
//! guessing from elsewhere uses up their own allowance and not the real user's; and per account
//! from all addresses together, so guessing from many addresses is slow too (locking a person
//! out takes several addresses at once, for a minute). A per-address limit on all accounts
//! together slows password spraying; it is generous, because a class of residents at a
//! commune office shares one public address. The two wide limits are configurable
//! ([`Limits`]). Limits live in each server's memory (see ARCHITECTURE.md).

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::services::Limits;

/// Attempts per minute for one account from one address.
const PER_ACCOUNT_PER_MINUTE: u32 = 5;
/// Registrations per hour from one address (each one costs an argon2 hash). Generous: a class
/// of residents at a commune office shares one public address.
const REGISTRATIONS_PER_HOUR: u32 = 60;
/// Password changes per minute for one account (each checks the current password).
const PASSWORD_CHANGES_PER_MINUTE: u32 = 5;

pub struct LoginLimiter {
    per_account_and_address: DefaultKeyedRateLimiter<(Option<IpAddr>, String)>,
    per_account: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<Option<IpAddr>>,
    registrations: DefaultKeyedRateLimiter<Option<IpAddr>>,
    password_changes: DefaultKeyedRateLimiter<i64>,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

impl LoginLimiter {
    pub fn new(limits: Limits) -> LoginLimiter {
        LoginLimiter {
            per_account_and_address: RateLimiter::keyed(per_minute(PER_ACCOUNT_PER_MINUTE)),
            per_account: RateLimiter::keyed(per_minute(limits.login_per_account)),
            per_address: RateLimiter::keyed(per_minute(limits.login_per_address)),
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
        let now = DefaultClock::default().now();
        self.per_account_and_address
            .check_key(&(address, account.clone()))
            .and_then(|_| self.per_account.check_key(&account))
            .and_then(|_| self.per_address.check_key(&address))
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
        if self.per_account_and_address.len() > MAX_KEYS {
            self.per_account_and_address.retain_recent();
        }
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
        let limiter = LoginLimiter::new(Limits::default());
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
        let limiter = LoginLimiter::new(Limits::default());
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
        let limiter = LoginLimiter::new(Limits::default());
        for _ in 0..PASSWORD_CHANGES_PER_MINUTE {
            assert!(limiter.check_password_change(7).is_ok());
        }
        assert!(limiter.check_password_change(7).is_err());
        assert!(limiter.check_password_change(8).is_ok());
    }

    #[test]
    fn one_address_cannot_spray_many_accounts() {
        let limits = Limits::default();
        let limiter = LoginLimiter::new(limits);
        let address: Option<IpAddr> = "192.0.2.1".parse().ok();
        for i in 0..limits.login_per_address {
            assert!(limiter.check_login(address, &format!("0912{i:06}")).is_ok());
        }
        assert!(limiter.check_login(address, "0987654321").is_err());
    }

    #[test]
    fn a_class_at_one_commune_office_is_not_stopped() {
        // Sixty residents behind the office's one public address, each getting the password
        // wrong twice before getting it right, within the same minute.
        let limiter = LoginLimiter::new(Limits::default());
        let office: Option<IpAddr> = "203.0.113.40".parse().ok();
        for resident in 0..60 {
            for attempt in 0..3 {
                assert!(
                    limiter
                        .check_login(office, &format!("0913{resident:06}"))
                        .is_ok(),
                    "resident {resident}, attempt {attempt}"
                );
            }
        }
    }

    #[test]
    fn guessing_one_account_from_many_addresses_is_limited_too() {
        let limits = Limits {
            login_per_account: 12,
            login_per_address: 300,
        };
        let limiter = LoginLimiter::new(limits);
        let addresses: Vec<Option<IpAddr>> = (1..=4)
            .map(|i| format!("198.51.100.{i}").parse().ok())
            .collect();
        let mut allowed = 0;
        for address in &addresses {
            for _ in 0..PER_ACCOUNT_PER_MINUTE {
                if limiter.check_login(*address, "0912345678").is_ok() {
                    allowed += 1;
                }
            }
        }
        assert_eq!(allowed, 12, "the account's own limit, from all addresses");
        assert!(limiter.check_login(addresses[0], "0987654321").is_ok());
    }

    #[test]
    fn the_wide_limits_are_configurable() {
        let limiter = LoginLimiter::new(Limits {
            login_per_account: 20,
            login_per_address: 2,
        });
        let address: Option<IpAddr> = "192.0.2.9".parse().ok();
        assert!(limiter.check_login(address, "0912000001").is_ok());
        assert!(limiter.check_login(address, "0912000002").is_ok());
        assert!(limiter.check_login(address, "0912000003").is_err());
    }
}
