//! The i18n layer: the two locales, how a request picks one, and the `tr!` macro that every
//! user-facing string goes through. The catalog itself is `app/locales/app.yml`.

use serde::{Deserialize, Serialize};

/// Name of the cookie that remembers the chosen language (one year).
pub const LANG_COOKIE: &str = "hocso_lang";

/// The interface languages. Vietnamese comes first and is the default for everyone, whatever the
/// browser's own language: many residents' phones are set to English by the shop that sold them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    Vi,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Vi, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::Vi => "vi",
            Locale::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Locale> {
        Locale::ALL.into_iter().find(|l| l.code() == code.trim())
    }

    /// The locale named by the `hocso_lang` cookie in a `Cookie` header value, or the default.
    pub fn from_cookie_header(header: &str) -> Locale {
        header
            .split(';')
            .filter_map(|pair| pair.trim().strip_prefix(LANG_COOKIE)?.strip_prefix('='))
            .find_map(Locale::parse)
            .unwrap_or_default()
    }
}

/// The locale of the request being rendered (server) or the default (browser; islands get their
/// text as props and never ask).
pub fn use_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Locale>().copied())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Locale::default()
    }
}

/// Looks a key up in the catalog for the current request's locale: `tr!("nav.home")`, or with
/// values to interpolate, `tr!("home.greeting", name = user.name)`.
#[macro_export]
macro_rules! tr {
    ($key:expr) => {
        ::rust_i18n::t!($key, locale = $crate::i18n::use_locale().code()).into_owned()
    };
    ($key:expr, $($name:ident = $value:expr),+ $(,)?) => {
        ::rust_i18n::t!($key, locale = $crate::i18n::use_locale().code(), $($name = $value),+)
            .into_owned()
    };
}

/// Looks a key up for an explicit locale (handlers that run outside a render).
#[macro_export]
macro_rules! tr_in {
    ($locale:expr, $key:expr) => {
        ::rust_i18n::t!($key, locale = $locale.code()).into_owned()
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_header_picks_the_language() {
        assert_eq!(
            Locale::from_cookie_header("a=1; hocso_lang=en; b=2"),
            Locale::En
        );
        assert_eq!(Locale::from_cookie_header("hocso_lang=vi"), Locale::Vi);
        assert_eq!(Locale::from_cookie_header("hocso_lang=fr"), Locale::Vi);
        assert_eq!(Locale::from_cookie_header("hocso_language=en"), Locale::Vi);
        assert_eq!(Locale::from_cookie_header(""), Locale::Vi);
    }

    /// Every key of the catalog has both a Vietnamese and an English text, and no text is empty.
    #[test]
    fn every_key_is_translated_into_both_languages() {
        let locales: Vec<String> = rust_i18n::available_locales!()
            .into_iter()
            .map(|l| l.to_string())
            .collect();
        assert!(locales.contains(&"vi".to_owned()) && locales.contains(&"en".to_owned()));
        let catalog = include_str!("../locales/app.yml");
        let mut key: Option<String> = None;
        let mut seen: Vec<&str> = Vec::new();
        let mut checked = 0;
        let mut check = |key: &Option<String>, seen: &Vec<&str>| {
            if let Some(k) = key {
                assert!(
                    seen.contains(&"vi") && seen.contains(&"en"),
                    "key {k} lacks a translation: has {seen:?}"
                );
                checked += 1;
            }
        };
        for line in catalog.lines() {
            if line.trim().is_empty() || line.trim_start().starts_with('#') || line == "_version: 2"
            {
                continue;
            }
            if !line.starts_with(' ') {
                check(&key, &seen);
                key = Some(line.trim_end_matches(':').to_owned());
                seen.clear();
            } else {
                let (lang, text) = line.trim().split_once(':').expect("lang: text");
                assert!(!text.trim().is_empty(), "{key:?}/{lang} is empty");
                seen.push(lang);
            }
        }
        check(&key, &seen);
        assert!(checked > 20, "only {checked} keys read");
    }
}
