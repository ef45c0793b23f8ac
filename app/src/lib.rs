//! hocso's application crate: the pure domain, the Leptos components and routes, the server
//! functions, and (behind the `ssr` feature) the server-side services they call.
//!
//! Built twice: with `ssr` into the `hocso` server binary, and with `hydrate` into the wasm
//! module that wakes up the page's islands.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod api;
pub mod components;
pub mod domain;
pub mod i18n;
pub mod pages;
pub mod request;
pub mod shell;
pub mod types;

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod content;
#[cfg(feature = "ssr")]
pub mod services;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod web;

// The catalog of user-facing text (app/locales/*.yml), compiled in. Only the server renders
// text from it: islands receive their strings as props, so the wasm build does not link it.
rust_i18n::i18n!("locales", fallback = "vi");

pub use shell::{shell, App};

/// Entry point of the wasm module: wakes up every island on the page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
