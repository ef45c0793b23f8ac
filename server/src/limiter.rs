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
/// Registrations per hour from one address (each one costs an argon2 hash).
const REGISTRATIONS_PER_HOUR: u32 = 20;

pub struct LoginLimiter {
    per_account: DefaultKeyedRateLimiter<(Option<IpAddr>, String)>,
    per_address: DefaultKeyedRateLimiter<Option<IpAddr>>,
    registrations: DefaultKeyedRateLimiter<Option<IpAddr>>,
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
        }
    }

    /// `Ok` if a login attempt may go ahead, else how long to wait.
    pub fn check_login(&self, address: Option<IpAddr>, account: &str) -> Result<(), Duration> {
        self.tidy();
        let key = (address, account.trim().to_lowercase());
        let now = DefaultClock::default().now();
        self.per_address
            .check_key(&address)
            .and_then(|_| self.per_account.check_key(&key))
            .map_err(|not_until| not_until.wait_time_from(now))
    }

    /// `Ok` if a registration may go ahead, else how long to wait.
    pub fn check_registration(&self, address: Option<IpAddr>) -> Result<(), Duration> {
        let now = DefaultClock::default().now();
        self.registrations
            .check_key(&address)
            .map_err(|not_until| not_until.wait_time_from(now))
    }

    /// Forgets keys whose allowance is full again, so memory stays bounded.
    fn tidy(&self) {
        if self.per_account.len() > 10_000 {
            self.per_account.retain_recent();
            self.per_address.retain_recent();
            self.registrations.retain_recent();
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
    fn identifiers_are_compared_without_case_or_spaces() {
        let limiter = LoginLimiter::new();
        for _ in 0..PER_ACCOUNT_PER_MINUTE {
            assert!(limiter.check_login(None, "An@Example.vn").is_ok());
        }
        assert!(limiter.check_login(None, " an@example.vn ").is_err());
    }

    #[test]
    fn one_address_cannot_spray_many_accounts() {
        let limiter = LoginLimiter::new();
        let address: Option<IpAddr> = "192.0.2.1".parse().ok();
        for i in 0..PER_ADDRESS_PER_MINUTE {
            assert!(limiter.check_login(address, &format!("user{i}")).is_ok());
        }
        assert!(limiter.check_login(address, "another").is_err());
    }
}
