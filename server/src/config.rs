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
    /// Where the curriculum lives (`HOCSO_CONTENT_DIR`, default `content`).
    pub content_dir: std::path::PathBuf,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("mode", &self.mode)
            .field("database_url", &redact_url(&self.database_url))
            .field("demo", &self.demo)
            .field("content_dir", &self.content_dir)
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
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    }
}

impl Config {
    /// Reads `HOCSO_ENV`, `DATABASE_URL`, `HOCSO_JWT_SECRET` / `HOCSO_JWT_SECRET_FILE`,
    /// `HOCSO_DEMO` and `HOCSO_CONTENT_DIR`.
    ///
    /// In production a secret of at least 32 bytes is required and demo data is refused. In
    /// development a missing secret is replaced by a random one (sessions end at restart).
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
        let content_dir = env
            .var("HOCSO_CONTENT_DIR")
            .unwrap_or_else(|| "content".to_owned())
            .into();
        Ok(Config {
            mode,
            database_url,
            jwt_secret,
            demo,
            content_dir,
        })
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
        ];
        assert_eq!(Config::from_env(&env).unwrap().jwt_secret, vec![b'x'; 40]);
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
