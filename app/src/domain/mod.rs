//! The pure domain: rules that decide, with no IO.
//!
//! Nothing here imports leptos, sqlx, tokio or anything that touches the network, the disk or
//! the clock. The same code is compiled into the browser (instant feedback) and into the server
//! (the authoritative result). Callers pass in what the rules need, the current time included.

pub mod account;
pub mod audit;
pub mod calendar;
pub mod campaign;
pub mod citizen_id;
pub mod competency;
pub mod practice;
pub mod procedure;
pub mod quiz;
pub mod role;
pub mod roster;
pub mod text;
pub mod vn;

pub use account::{Contact, ContactError, FullName, NameError, PasswordError, PasswordPolicy};
pub use citizen_id::{CitizenId, CitizenIdError, Sex};
pub use role::{Audience, Cohort, Role};
