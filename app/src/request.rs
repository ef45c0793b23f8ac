//! What the request being rendered carries, as the session middleware put it into the
//! request's extensions: who is signed in and the text size they chose (the language is in
//! [`crate::i18n`]). In the browser, where only islands run and get what they need as props,
//! every answer is the default.

use crate::types::CurrentUser;

/// The session of the request, put into the request's extensions by the session middleware.
#[derive(Clone, Debug, Default)]
pub struct Session(pub Option<CurrentUser>);

/// The signed-in person of the request being handled (pages and server functions); always
/// `None` in the browser.
pub fn current_user() -> Option<CurrentUser> {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Session>().cloned())
            .and_then(|s| s.0)
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// Name of the cookie that remembers the text size.
pub const TEXT_COOKIE: &str = "hocso_text";

/// The reading size a person chose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TextSize {
    #[default]
    Normal,
    Large,
}

impl TextSize {
    pub fn from_cookie_header(header: &str) -> TextSize {
        let large = header
            .split(';')
            .filter_map(|pair| pair.trim().strip_prefix(TEXT_COOKIE)?.strip_prefix('='))
            .any(|v| v == "large");
        if large {
            TextSize::Large
        } else {
            TextSize::Normal
        }
    }
}

/// Whether the person chose large text (the `hocso_text` cookie, read by the session layer).
pub fn large_text() -> bool {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<TextSize>().copied())
            .is_some_and(|size| size == TextSize::Large)
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}
