//! Start-up configuration, read from the environment once.

use anyhow::{bail, Context};

use app::auth::MIN_SECRET_BYTES;

/// Where the SQLite file lives when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/hocso.db?mode=rwc";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Development,
    Production,
}

/// Everything the server needs to know before it opens a socket.
#[derive(Clone)]
pub struct Config {
    pub mode: Mode,
    pub database_url: String,
    pub jwt_secret: Vec<u8>,
    /// Seed the demo accounts at start-up (development only).
    pub demo: bool,
    /// Where the curriculum lives (`--content-dir`, `HOCSO_CONTENT_DIR`, else
    /// [`default_content_dir`]).
    pub content_dir: std::path::PathBuf,
    /// The origin people reach the site at (`HOCSO_PUBLIC_URL`), required in production.
    pub public_origin: Option<PublicOrigin>,
    /// `HOCSO_HSTS`: `off`, or a max-age in seconds; `None`: the default ([`Config::site`]).
    pub hsts: Option<Hsts>,
    /// `HOCSO_LOGIN_PER_ACCOUNT`, `HOCSO_LOGIN_PER_ADDRESS`: login attempts per minute.
    pub limits: app::services::Limits,
}

/// A site origin: scheme, host and port as a browser writes them in `Origin` (lower case, no
/// default port, no path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicOrigin {
    pub https: bool,
    /// `https://host[:port]`.
    origin: String,
    loopback: bool,
}

impl PublicOrigin {
    /// Reads `https://hocso.hanoi.gov.vn` (a trailing `/` or path is dropped).
    pub fn parse(raw: &str) -> Option<PublicOrigin> {
        let url = url::Url::parse(raw.trim()).ok()?;
        let https = match url.scheme() {
            "https" => true,
            "http" => false,
            _ => return None,
        };
        if !url.username().is_empty() || url.password().is_some() {
            return None;
        }
        let loopback = match url.host()? {
            url::Host::Domain(name) => name == "localhost",
            url::Host::Ipv4(ip) => ip.is_loopback(),
            url::Host::Ipv6(ip) => ip.is_loopback(),
        };
        Some(PublicOrigin {
            https,
            origin: url.origin().ascii_serialization(),
            loopback,
        })
    }

    /// `https://host[:port]`, as a browser writes it in `Origin`.
    pub fn origin(&self) -> String {
        self.origin.clone()
    }

    /// Whether the host is this machine (`localhost`, `127.0.0.1`, `[::1]`).
    pub fn is_loopback(&self) -> bool {
        self.loopback
    }
}

/// What `HOCSO_HSTS` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hsts {
    Off,
    MaxAge(u64),
}

/// A year: the `Strict-Transport-Security` max-age sent by default outside loopback.
pub const DEFAULT_HSTS_SECONDS: u64 = 365 * 24 * 3600;

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("mode", &self.mode)
            .field("database_url", &redact_url(&self.database_url))
            .field("demo", &self.demo)
            .field("content_dir", &self.content_dir)
            .field("public_origin", &self.public_origin)
            .field("hsts", &self.hsts)
            .finish_non_exhaustive()
    }
}

/// A source of environment variables, so tests can pass their own.
pub trait Env {
    fn var(&self, name: &str) -> Option<String>;
}

/// The process environment.
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
}

impl<const N: usize> Env for [(&str, &str); N] {
    fn var(&self, name: &str) -> Option<String> {
        self.iter()
            .find(|(k, v)| *k == name && !v.is_empty())
            .map(|(_, v)| (*v).to_owned())
    }
}

impl Config {
    /// Reads `HOCSO_ENV`, `DATABASE_URL`, `HOCSO_JWT_SECRET` / `HOCSO_JWT_SECRET_FILE`,
    /// `HOCSO_DEMO`, `HOCSO_CONTENT_DIR`, `HOCSO_PUBLIC_URL` and `HOCSO_HSTS`.
    ///
    /// In production a secret of at least 32 bytes and the public URL are required, and demo
    /// data is refused. In development a missing secret is replaced by a random one (sessions
    /// end at restart).
    pub fn from_env(env: &impl Env) -> anyhow::Result<Config> {
        let mode = match env.var("HOCSO_ENV").as_deref() {
            None | Some("development") | Some("dev") => Mode::Development,
            Some("production") | Some("prod") => Mode::Production,
            Some(other) => bail!("HOCSO_ENV must be 'development' or 'production', not {other:?}"),
        };
        let database_url = env
            .var("DATABASE_URL")
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        let secret = match (
            env.var("HOCSO_JWT_SECRET"),
            env.var("HOCSO_JWT_SECRET_FILE"),
        ) {
            (Some(secret), _) => Some(secret.into_bytes()),
            (None, Some(path)) => Some(
                std::fs::read(&path)
                    .with_context(|| format!("cannot read HOCSO_JWT_SECRET_FILE {path}"))?
                    .trim_ascii()
                    .to_vec(),
            ),
            (None, None) => None,
        };
        let jwt_secret = match (secret, mode) {
            (Some(s), _) if s.len() >= MIN_SECRET_BYTES => s,
            (Some(_), _) => bail!(
                "the JWT secret must be at least {MIN_SECRET_BYTES} bytes \
                 (generate one with: openssl rand -base64 48)"
            ),
            (None, Mode::Production) => bail!(
                "HOCSO_ENV=production needs a JWT secret: set HOCSO_JWT_SECRET or \
                 HOCSO_JWT_SECRET_FILE (at least {MIN_SECRET_BYTES} bytes)"
            ),
            (None, Mode::Development) => {
                tracing::warn!("no JWT secret configured: using a random one for this run");
                random_secret()
            }
        };
        let demo = matches!(env.var("HOCSO_DEMO").as_deref(), Some("1" | "true" | "yes"));
        if demo && mode == Mode::Production {
            bail!("HOCSO_DEMO is refused in production: demo accounts have published passwords");
        }
        let content_dir = content_dir(env);
        let public_origin = match env.var("HOCSO_PUBLIC_URL") {
            None => None,
            Some(raw) => Some(PublicOrigin::parse(&raw).with_context(|| {
                format!("HOCSO_PUBLIC_URL must be an http:// or https:// address such as https://hocso.hanoi.gov.vn, not {raw:?}")
            })?),
        };
        match (&public_origin, mode) {
            (None, Mode::Production) => bail!(
                "HOCSO_ENV=production needs HOCSO_PUBLIC_URL, the address people open \
                 (e.g. https://hocso.hanoi.gov.vn): forms are accepted only from its pages"
            ),
            (Some(origin), Mode::Production) if !origin.https && !origin.is_loopback() => bail!(
                "HOCSO_PUBLIC_URL must be https:// in production: passwords and sessions \
                 must not cross the network in clear"
            ),
            _ => {}
        }
        let hsts = match env.var("HOCSO_HSTS").as_deref() {
            None => None,
            Some("off" | "0") => Some(Hsts::Off),
            Some(seconds) => Some(Hsts::MaxAge(
                seconds.parse().ok().filter(|s| *s > 0).with_context(|| {
                    format!("HOCSO_HSTS must be 'off' or a number of seconds, not {seconds:?}")
                })?,
            )),
        };
        let defaults = app::services::Limits::default();
        let limits = app::services::Limits {
            login_per_account: per_minute(
                env,
                "HOCSO_LOGIN_PER_ACCOUNT",
                defaults.login_per_account,
            )?,
            login_per_address: per_minute(
                env,
                "HOCSO_LOGIN_PER_ADDRESS",
                defaults.login_per_address,
            )?,
        };
        Ok(Config {
            mode,
            database_url,
            jwt_secret,
            demo,
            content_dir,
            public_origin,
            hsts,
            limits,
        })
    }

    /// The site's policy for a server listening on `bind`. Outside loopback (a public URL on
    /// another host, or no public URL and a non-loopback listen address) the session cookie is
    /// `Secure` and HSTS is sent for a year unless `HOCSO_HSTS` says otherwise; production
    /// always marks the cookie `Secure`. An `http://` public URL on another host (a test
    /// network) keeps plain cookies.
    pub fn site(&self, bind: std::net::SocketAddr) -> app::services::Site {
        let loopback = match &self.public_origin {
            Some(origin) => origin.is_loopback(),
            None => bind.ip().is_loopback(),
        };
        let https = self.public_origin.as_ref().map(|o| o.https);
        let secure_cookies =
            self.mode == Mode::Production || https == Some(true) || (https.is_none() && !loopback);
        let hsts_max_age = match self.hsts {
            Some(Hsts::Off) => None,
            Some(Hsts::MaxAge(seconds)) => Some(seconds),
            None => (secure_cookies && !loopback).then_some(DEFAULT_HSTS_SECONDS),
        };
        app::services::Site {
            public_origin: self.public_origin.as_ref().map(PublicOrigin::origin),
            secure_cookies,
            hsts_max_age,
        }
    }
}

/// The curriculum's directory: `HOCSO_CONTENT_DIR`, else [`default_content_dir`].
pub fn content_dir(env: &impl Env) -> std::path::PathBuf {
    env.var("HOCSO_CONTENT_DIR")
        .map(Into::into)
        .unwrap_or_else(default_content_dir)
}

/// The curriculum's directory when none is configured: `content` in the working directory
/// (a checkout), else the installed copy beside the binary (`../share/hocso/content`), else
/// the checkout the binary was built from.
pub fn default_content_dir() -> std::path::PathBuf {
    let here = std::path::PathBuf::from("content");
    if here.is_dir() {
        return here;
    }
    let installed = std::env::current_exe().ok().and_then(|exe| {
        let dir = exe.parent()?.parent()?.join("share/hocso/content");
        dir.is_dir().then_some(dir)
    });
    installed.unwrap_or_else(|| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../content")
            .components()
            .collect()
    })
}

/// A positive number of attempts per minute from `name`, or `default`.
fn per_minute(env: &impl Env, name: &str, default: u32) -> anyhow::Result<u32> {
    match env.var(name) {
        None => Ok(default),
        Some(raw) => raw
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .with_context(|| {
                format!("{name} must be a number of attempts per minute, not {raw:?}")
            }),
    }
}

fn random_secret() -> Vec<u8> {
    use rand::RngCore;
    let mut secret = vec![0u8; 48];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    secret
}

/// Hides the password part of a database URL in logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://***{}", &url[..scheme_end], &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_without_a_secret_is_refused() {
        let err = Config::from_env(&[("HOCSO_ENV", "production")]).unwrap_err();
        assert!(err.to_string().contains("HOCSO_JWT_SECRET"), "{err}");
    }

    #[test]
    fn production_with_a_short_secret_is_refused() {
        let env = [
            ("HOCSO_ENV", "production"),
            ("HOCSO_JWT_SECRET", "too-short"),
        ];
        assert!(Config::from_env(&env).is_err());
    }

    #[test]
    fn production_refuses_demo_data() {
        let env = [
            ("HOCSO_ENV", "production"),
            (
                "HOCSO_JWT_SECRET",
                "a-secret-that-is-long-enough-for-hs256-signing",
            ),
            ("HOCSO_DEMO", "1"),
        ];
        assert!(Config::from_env(&env).is_err());
    }

    #[test]
    fn development_defaults_to_sqlite_and_a_random_secret() {
        let config = Config::from_env(&[]).unwrap();
        assert_eq!(config.mode, Mode::Development);
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert!(config.jwt_secret.len() >= MIN_SECRET_BYTES);
        assert_ne!(config.jwt_secret, Config::from_env(&[]).unwrap().jwt_secret);
    }

    #[test]
    fn secrets_can_come_from_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret");
        std::fs::write(&path, "x".repeat(40) + "\n").unwrap();
        let path = path.to_string_lossy().into_owned();
        let env = [
            ("HOCSO_ENV", "production"),
            ("HOCSO_JWT_SECRET_FILE", path.as_str()),
            ("HOCSO_PUBLIC_URL", "https://hocso.hanoi.gov.vn"),
        ];
        assert_eq!(Config::from_env(&env).unwrap().jwt_secret, vec![b'x'; 40]);
    }

    const SECRET: &str = "a-secret-that-is-long-enough-for-hs256-signing";

    fn site(env: &[(&str, &str); 4], bind: &str) -> app::services::Site {
        Config::from_env(env).unwrap().site(bind.parse().unwrap())
    }

    #[test]
    fn production_needs_an_https_public_url() {
        let env = [("HOCSO_ENV", "production"), ("HOCSO_JWT_SECRET", SECRET)];
        let err = Config::from_env(&env).unwrap_err().to_string();
        assert!(err.contains("HOCSO_PUBLIC_URL"), "{err}");
        let plain = [
            ("HOCSO_ENV", "production"),
            ("HOCSO_JWT_SECRET", SECRET),
            ("HOCSO_PUBLIC_URL", "http://hocso.hanoi.gov.vn"),
        ];
        assert!(Config::from_env(&plain)
            .unwrap_err()
            .to_string()
            .contains("https://"));
        let default_port = PublicOrigin::parse("https://hocso.hanoi.gov.vn:443/dang-nhap").unwrap();
        assert_eq!(default_port.origin(), "https://hocso.hanoi.gov.vn");
        let nonsense = [("HOCSO_PUBLIC_URL", "hocso.hanoi.gov.vn")];
        assert!(Config::from_env(&nonsense).is_err());
    }

    #[test]
    fn outside_loopback_cookies_are_secure_and_hsts_is_sent() {
        let production = [
            ("HOCSO_ENV", "production"),
            ("HOCSO_JWT_SECRET", SECRET),
            ("HOCSO_PUBLIC_URL", "https://HoCSo.hanoi.gov.vn/"),
            ("HOCSO_DEMO", ""),
        ];
        let public = site(&production, "0.0.0.0:3000");
        assert_eq!(
            public.public_origin.as_deref(),
            Some("https://hocso.hanoi.gov.vn")
        );
        assert!(public.secure_cookies);
        assert_eq!(public.hsts_max_age, Some(DEFAULT_HSTS_SECONDS));

        let none = [("", ""), ("", ""), ("", ""), ("", "")];
        let on_a_network = site(&none, "0.0.0.0:3000");
        assert!(on_a_network.secure_cookies);
        assert_eq!(on_a_network.hsts_max_age, Some(DEFAULT_HSTS_SECONDS));
        assert_eq!(on_a_network.public_origin, None);

        let laptop = site(&none, "127.0.0.1:3000");
        assert!(!laptop.secure_cookies);
        assert_eq!(laptop.hsts_max_age, None);

        let test_network = [
            ("HOCSO_PUBLIC_URL", "http://192.168.1.20:3000"),
            ("", ""),
            ("", ""),
            ("", ""),
        ];
        let lan = site(&test_network, "0.0.0.0:3000");
        assert!(!lan.secure_cookies);
        assert_eq!(lan.hsts_max_age, None);
        assert_eq!(
            lan.public_origin.as_deref(),
            Some("http://192.168.1.20:3000")
        );
    }

    #[test]
    fn hsts_is_configurable() {
        let mut env = [
            ("HOCSO_ENV", "production"),
            ("HOCSO_JWT_SECRET", SECRET),
            ("HOCSO_PUBLIC_URL", "https://hocso.hanoi.gov.vn"),
            ("HOCSO_HSTS", "off"),
        ];
        assert_eq!(site(&env, "0.0.0.0:3000").hsts_max_age, None);
        env[3].1 = "600";
        assert_eq!(site(&env, "0.0.0.0:3000").hsts_max_age, Some(600));
        env[3].1 = "a while";
        assert!(Config::from_env(&env).is_err());
    }

    #[test]
    fn login_limits_are_configurable() {
        let config = Config::from_env(&[("HOCSO_LOGIN_PER_ADDRESS", "1000")]).unwrap();
        assert_eq!(config.limits.login_per_address, 1000);
        assert_eq!(
            config.limits.login_per_account,
            app::services::Limits::default().login_per_account
        );
        assert!(Config::from_env(&[("HOCSO_LOGIN_PER_ACCOUNT", "0")]).is_err());
        assert!(Config::from_env(&[("HOCSO_LOGIN_PER_ACCOUNT", "many")]).is_err());
    }

    #[test]
    fn urls_are_redacted() {
        assert_eq!(
            redact_url("postgres://user:pw@db:5432/hocso"),
            "postgres://***@db:5432/hocso"
        );
        assert_eq!(redact_url(DEFAULT_DATABASE_URL), DEFAULT_DATABASE_URL);
    }
}
